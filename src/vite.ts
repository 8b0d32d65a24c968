import { createVitePlugin } from 'unplugin';
import { unpluginFactory } from './integrations/unplugin/index.ts';

export default createVitePlugin(unpluginFactory);
