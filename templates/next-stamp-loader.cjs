// webpack loader of `unplugin-buttercms/next/stamp` in `next dev` with webpack (see withButter):
// the module becomes `{ syncedAt }` of the snapshot's manifest, rebuilt at every compilation, so
// that the pages reading the snapshot change when it does. CommonJS: webpack loads it with require.
const { readFileSync } = require('node:fs');

module.exports = function buttercmsStampLoader() {
  this.cacheable(false);
  const { manifest } = this.getOptions();
  this.addDependency(manifest);
  let syncedAt = null;
  try {
    syncedAt = JSON.parse(readFileSync(manifest, 'utf8')).syncedAt ?? null;
  } catch {
    // No snapshot yet: the next sync rebuilds this module.
  }
  return `export default ${JSON.stringify({ syncedAt })};\n`;
};
