export type { Options } from './core/options.ts';
export { default, unplugin, unpluginFactory } from './integrations/unplugin/index.ts';
