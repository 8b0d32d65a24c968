import { createRollupPlugin } from 'unplugin';
import { unpluginFactory } from './integrations/unplugin/index.ts';

export default createRollupPlugin(unpluginFactory);
