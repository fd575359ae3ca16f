import { names, readJson, type Tree } from '@nx/devkit';
import { ConfigError } from '@edgeship/edge-common';
import type { ServiceGeneratorSchema } from '../schema';
import { readWorkspacePackages, type WorkspacePackage } from './workspace-packages';

/** The ports the local fleet publishes from every node (tools/edge-fleet): a service outside them is unreachable. */
export const FLEET_PORTS = { first: 8100, last: 8119 } as const;

export const GENERATOR = 'nx g @edgeship/edge-plugin:service';
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 40;
const SERVICE_KIT_MANIFEST = 'packages/service-kit/package.json';

export const FRAMEWORKS = ['fastify', 'express', 'hono', 'http'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
/** Why fastify: see the generator's README section in the root README (pino built in, schemas, throughput). */
export const DEFAULT_FRAMEWORK: Framework = 'fastify';

/** The npm packages each framework's template needs; versions are the ones service-kit is tested against. */
const FRAMEWORK_PACKAGES: Record<Framework, { dependencies: string[]; devDependencies: string[] }> = {
  fastify: { dependencies: ['fastify'], devDependencies: [] },
  express: { dependencies: ['express'], devDependencies: ['@types/express'] },
  hono: { dependencies: ['@hono/node-server', 'hono'], devDependencies: [] },
  http: { dependencies: [], devDependencies: [] },
};

const FRAMEWORK_TITLES: Record<Framework, string> = {
  fastify: '[fastify](https://fastify.dev)',
  express: '[express](https://expressjs.com)',
  hono: '[hono](https://hono.dev)',
  http: '`node:http`',
};

export interface NormalizedServiceOptions {
  name: string;
  /** For identifiers in the template, e.g. SensorRelay in createSensorRelayApp. */
  className: string;
  projectRoot: string;
  port: number;
  delivery: 'binary' | 'container';
  description: string;
  install: 'full' | 'lockfile-only' | 'skip';
  serviceKitVersion: string;
  framework: Framework;
  frameworkTitle: string;
  /** The "dependencies" object of the new package.json, as JSON indented for the template. */
  dependenciesJson: string;
  /** Likewise "devDependencies", or '' when there are none. */
  devDependenciesJson: string;
}

/** Validates the options against the workspace; every refusal names the option, the value and the fix. */
export function normalizeServiceOptions(
  tree: Tree,
  schema: ServiceGeneratorSchema,
): NormalizedServiceOptions {
  const name = validateName(schema.name);
  const packages = readWorkspacePackages(tree);
  const clash = packages.find((p) => [p.root.split('/')[1], p.packageName, p.projectName].includes(name));
  if (clash) {
    throw new ConfigError(
      GENERATOR,
      'name',
      name,
      `${clash.root} already exists under that name; choose another name.`,
    );
  }
  const delivery = schema.delivery ?? 'binary';
  if (delivery !== 'binary' && delivery !== 'container') {
    throw new ConfigError(GENERATOR, 'delivery', delivery, 'Use "binary" or "container".');
  }
  const install = schema.install ?? 'full';
  if (!['full', 'lockfile-only', 'skip'].includes(install)) {
    throw new ConfigError(GENERATOR, 'install', install, 'Use "full", "lockfile-only" or "skip".');
  }
  const framework = schema.framework ?? DEFAULT_FRAMEWORK;
  if (!FRAMEWORKS.includes(framework)) {
    throw new ConfigError(GENERATOR, 'framework', framework, `Use one of ${FRAMEWORKS.join(', ')}.`);
  }
  const serviceKit = readServiceKitManifest(tree);
  const frameworkPackages = FRAMEWORK_PACKAGES[framework];
  const dependencies = {
    '@edgeship/service-kit': serviceKit.version,
    ...pinFrameworkPackages(frameworkPackages.dependencies, serviceKit.devDependencies),
  };
  const devDependencies = pinFrameworkPackages(frameworkPackages.devDependencies, serviceKit.devDependencies);
  return {
    name,
    className: names(name).className,
    projectRoot: `packages/${name}`,
    port: choosePort(schema.port, packages),
    delivery,
    description: schema.description?.trim() || `The ${name} edgeship service.`,
    install,
    serviceKitVersion: serviceKit.version,
    framework,
    frameworkTitle: FRAMEWORK_TITLES[framework],
    dependenciesJson: indentJson(dependencies),
    devDependenciesJson: Object.keys(devDependencies).length > 0 ? indentJson(devDependencies) : '',
  };
}

export function validateName(name: unknown): string {
  if (typeof name !== 'string' || !KEBAB_CASE.test(name)) {
    throw new ConfigError(
      GENERATOR,
      'name',
      name,
      'Use kebab-case: lowercase letters and digits, words joined by "-", starting with a letter, e.g. "sensor-relay".',
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new ConfigError(
      GENERATOR,
      'name',
      name,
      `Keep it to ${MAX_NAME_LENGTH} characters: it names units, users and images.`,
    );
  }
  return name;
}

export function choosePort(requested: unknown, packages: readonly WorkspacePackage[]): number {
  const used = new Map(packages.filter((p) => p.port !== undefined).map((p) => [p.port!, p.root]));
  const free: number[] = [];
  for (let port = FLEET_PORTS.first; port <= FLEET_PORTS.last; port++) if (!used.has(port)) free.push(port);
  const suggestion =
    free.length > 0 ? `free: ${free.slice(0, 5).join(', ')}${free.length > 5 ? ', …' : ''}` : 'none is free';
  if (requested === undefined) {
    if (free.length === 0) {
      throw new ConfigError(
        GENERATOR,
        'port',
        undefined,
        `Every port ${FLEET_PORTS.first}-${FLEET_PORTS.last} is taken by a service; free one before adding another.`,
      );
    }
    return free[0]!;
  }
  if (
    typeof requested !== 'number' ||
    !Number.isInteger(requested) ||
    requested < FLEET_PORTS.first ||
    requested > FLEET_PORTS.last
  ) {
    throw new ConfigError(
      GENERATOR,
      'port',
      requested,
      `Use ${FLEET_PORTS.first}-${FLEET_PORTS.last}, the ports the local fleet publishes (${suggestion}).`,
    );
  }
  const owner = used.get(requested);
  if (owner) {
    throw new ConfigError(
      GENERATOR,
      'port',
      requested,
      `${owner}/package.json already uses it (edgeship.port); pick another (${suggestion}) or leave --port out.`,
    );
  }
  return requested;
}

/** One level in, as the object sits inside package.json. */
function indentJson(value: Record<string, string>): string {
  return JSON.stringify(value, null, 2).split('\n').join('\n  ');
}

/** The exact versions service-kit's own tests run the framework at, so a new service starts on a tested pair. */
function pinFrameworkPackages(names: string[], tested: Record<string, string>): Record<string, string> {
  const pinned: Record<string, string> = {};
  for (const name of names) {
    const version = tested[name];
    if (!version) {
      throw new ConfigError(
        SERVICE_KIT_MANIFEST,
        `devDependencies.${name}`,
        undefined,
        `The service template needs ${name}; service-kit pins the framework versions it is tested against: npm install --save-dev --save-exact -w packages/service-kit ${name}.`,
      );
    }
    pinned[name] = version;
  }
  return pinned;
}

function readServiceKitManifest(tree: Tree): { version: string; devDependencies: Record<string, string> } {
  const version = readServiceKitVersion(tree);
  const manifest = readJson<{ devDependencies?: Record<string, string> }>(tree, SERVICE_KIT_MANIFEST);
  return { version, devDependencies: manifest.devDependencies ?? {} };
}

function readServiceKitVersion(tree: Tree): string {
  if (!tree.exists(SERVICE_KIT_MANIFEST)) {
    throw new ConfigError(
      SERVICE_KIT_MANIFEST,
      '(file)',
      undefined,
      'New services are built on packages/service-kit; restore it.',
    );
  }
  const version = readJson<{ version?: unknown }>(tree, SERVICE_KIT_MANIFEST).version;
  if (typeof version !== 'string') {
    throw new ConfigError(SERVICE_KIT_MANIFEST, 'version', version, 'Give service-kit a semver version.');
  }
  return version;
}
