// Types for plugin-bundle.js, which stays JavaScript because Nx loads it before any TypeScript compiler.

/** Where the bundle of the plugin in pluginDir lives (tools/edge-plugin/dist/plugin.js). */
export function bundlePathOf(pluginDir?: string): string;

/** Bundles index.ts with esbuild and writes it with its build record; returns the bundle's path. */
export function buildPluginBundle(pluginDir?: string): string;

/** The bundle's path, rebuilt first when missing or stale (rebuilt says why); throws rather than serve a stale one. */
export function ensurePluginBundle(pluginDir?: string): { bundlePath: string; rebuilt: string | undefined };

/** Why the bundle cannot be used as it is, or undefined when it matches its sources. */
export function findStaleReason(pluginDir?: string): string | undefined;

export interface PluginBundleRecord {
  esbuild: string;
  /** sha256 of every file the bundle was built from, by path relative to the plugin folder. */
  inputs: Record<string, string>;
}

export function readBundleRecord(bundlePath: string): PluginBundleRecord | undefined;
