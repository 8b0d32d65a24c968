export {
  PHASE_BUILD,
  PHASE_DEV,
  PHASE_EXPORT,
  prepareForNext,
  withButter,
} from './integrations/next/index.ts';
