import { createWebpackPlugin } from 'unplugin';
import { unpluginFactory } from './integrations/unplugin/index.ts';

export default createWebpackPlugin(unpluginFactory);
