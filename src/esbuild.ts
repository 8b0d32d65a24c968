import { createEsbuildPlugin } from 'unplugin';
import { unpluginFactory } from './integrations/unplugin/index.ts';

export default createEsbuildPlugin(unpluginFactory);
