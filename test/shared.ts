import { join, resolve } from 'node:path';

/** `shared/` lies beside the repository (in CI too): the API docs and the real recordings. */
export const SHARED_DIR = resolve(import.meta.dirname, '../../shared');
export const CONFORMANCE_DIR = join(SHARED_DIR, 'conformance');
