import { createRspackPlugin } from 'unplugin';
import { unpluginFactory } from './integrations/unplugin/index.ts';

export default createRspackPlugin(unpluginFactory);
