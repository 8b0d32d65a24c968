export { butterImage, nextButter, snapshotDir } from './integrations/next/reader.ts';
export * from './reader.ts';
