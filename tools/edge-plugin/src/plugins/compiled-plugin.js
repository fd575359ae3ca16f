// nx.json registers this file rather than index.ts: Nx loads plain JavaScript without registering a
// TypeScript transpiler. It serves the esbuild bundle of index.ts, rebuilt first when any file it was
// built from changed (plugin-bundle.js), so editing the plugin's TypeScript takes effect on the next
// nx call and a stale bundle is never loaded.
'use strict';
const { ensurePluginBundle } = require('./plugin-bundle');

const { bundlePath, rebuilt } = ensurePluginBundle();
if (rebuilt && process.env.NX_VERBOSE_LOGGING === 'true') {
  console.error(`edge-plugin: rebuilt ${bundlePath} (${rebuilt})`);
}
module.exports = require(bundlePath);
