// The precompiled plugin: index.ts bundled by esbuild into one CommonJS file that Nx loads without a
// TypeScript transpiler (registering one and compiling the sources cost ~1.2 s per nx call).
// Plain JavaScript on purpose: it runs inside nx, before anything could compile TypeScript.
// The bundle's first line records the content hash of every file it was built from; a bundle whose
// record does not match the sources is rebuilt before it is loaded, and never used as it is.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

/** tools/edge-plugin: the package whose index.ts is bundled. */
const PLUGIN_DIR = resolve(__dirname, '..', '..');
const BUNDLE_FILE = join('dist', 'plugin.js');
const RECORD_PREFIX = '// edgeship-plugin-bundle ';
/**
 * Files that shape the bundle without being bundled: this builder (the esbuild options) and the
 * tsconfig files esbuild reads. Paths are relative to the plugin folder, like the recorded inputs.
 */
function listBuildInputs(pluginDir) {
  return [
    relative(pluginDir, __filename),
    'package.json',
    'tsconfig.json',
    join('..', '..', 'tsconfig.base.json'),
  ];
}

/** Where the bundle of the plugin in pluginDir lives (ignored by git: dist/). */
function bundlePathOf(pluginDir = PLUGIN_DIR) {
  return join(pluginDir, BUNDLE_FILE);
}

/** sha256 of a file, or undefined when it does not exist. */
function hashFile(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** The build record on the bundle's first line, or undefined (no bundle, or not one of ours). */
function readBundleRecord(bundlePath) {
  let text;
  try {
    text = readFileSync(bundlePath, 'utf8');
  } catch {
    return undefined;
  }
  const firstLine = text.slice(0, text.indexOf('\n'));
  if (!firstLine.startsWith(RECORD_PREFIX)) return undefined;
  try {
    return JSON.parse(firstLine.slice(RECORD_PREFIX.length));
  } catch {
    return undefined;
  }
}

/**
 * Why the bundle cannot be used as it is ('missing', 'built by esbuild X', 'src/a.ts changed'), or
 * undefined when every file it was built from still has the content it had then.
 */
function findStaleReason(pluginDir = PLUGIN_DIR) {
  const record = readBundleRecord(bundlePathOf(pluginDir));
  if (!record || typeof record.inputs !== 'object') return 'no bundle yet';
  const esbuildVersion = readEsbuildVersion(pluginDir);
  if (esbuildVersion !== undefined && record.esbuild !== esbuildVersion) {
    return `built by esbuild ${record.esbuild}, installed is ${esbuildVersion}`;
  }
  for (const [file, hash] of Object.entries(record.inputs)) {
    if (hashFile(join(pluginDir, file)) !== hash) return `${file} changed since the bundle was built`;
  }
  return undefined;
}

function readEsbuildVersion(pluginDir) {
  try {
    return require(require.resolve('esbuild/package.json', { paths: [pluginDir] })).version;
  } catch {
    return undefined;
  }
}

/**
 * The workspace packages the plugin depends on (@edgeship/edge-common) are TypeScript sources, which
 * Node cannot require inside nx: each is aliased to its entry file so esbuild bundles it in, while
 * every other package stays external.
 */
function aliasWorkspacePackages(pluginDir) {
  let dependencies = {};
  try {
    dependencies = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8')).dependencies ?? {};
  } catch (error) {
    if (error.code !== 'ENOENT') throw error; // a plugin folder without package.json depends on nothing
  }
  const names = Object.keys(dependencies).filter((name) => name.startsWith('@edgeship/'));
  return Object.fromEntries(names.map((name) => [name, require.resolve(name, { paths: [pluginDir] })]));
}

/**
 * Bundles index.ts with esbuild (npm packages stay external, so they load from node_modules as
 * before) and writes it with its build record in one rename: a reader sees the old file or the new.
 */
function buildPluginBundle(pluginDir = PLUGIN_DIR) {
  let esbuild;
  try {
    esbuild = require(require.resolve('esbuild', { paths: [pluginDir] }));
  } catch (error) {
    throw new Error(
      `${relative(process.cwd(), bundlePathOf(pluginDir))}: the Nx plugin bundle must be (re)built and ` +
        `esbuild is not installed (${error.message}). Install the workspace first: npm ci.`,
    );
  }
  const result = esbuild.buildSync({
    absWorkingDir: pluginDir,
    entryPoints: ['index.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    alias: aliasWorkspacePackages(pluginDir),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...listBuildInputs(pluginDir)]) {
    const hash = hashFile(join(pluginDir, file));
    if (hash !== undefined) inputs[file] = hash;
  }
  const record = { esbuild: esbuild.version, inputs };
  const bundlePath = bundlePathOf(pluginDir);
  const temporary = `${bundlePath}.${process.pid}.tmp`;
  mkdirSync(dirname(bundlePath), { recursive: true });
  try {
    writeFileSync(temporary, `${RECORD_PREFIX}${JSON.stringify(record)}\n${result.outputFiles[0].text}`);
    renameSync(temporary, bundlePath);
  } finally {
    rmSync(temporary, { force: true });
  }
  return bundlePath;
}

/**
 * The bundle's path, rebuilt first when it is missing or stale. A stale bundle is never returned:
 * when the rebuild fails, this throws (with esbuild's own message) instead.
 */
function ensurePluginBundle(pluginDir = PLUGIN_DIR) {
  const staleReason = findStaleReason(pluginDir);
  if (staleReason === undefined) return { bundlePath: bundlePathOf(pluginDir), rebuilt: undefined };
  try {
    return { bundlePath: buildPluginBundle(pluginDir), rebuilt: staleReason };
  } catch (error) {
    const detail = error && Array.isArray(error.errors) ? error.message : String(error && error.message);
    throw new Error(
      `${relative(process.cwd(), bundlePathOf(pluginDir)) || BUNDLE_FILE} is stale (${staleReason}) and ` +
        `could not be rebuilt, so Nx does not load it: ${detail}\n` +
        `Fix the plugin sources under ${relative(process.cwd(), pluginDir) || '.'}, then run nx again.`,
    );
  }
}

module.exports = { bundlePathOf, buildPluginBundle, ensurePluginBundle, findStaleReason, readBundleRecord };
