export { buttercms, buttercms as default } from './integrations/astro/index.ts';
export {
  type ButterLoader,
  buttercmsLoader,
  type LoaderOptions,
} from './integrations/astro/loader.ts';
