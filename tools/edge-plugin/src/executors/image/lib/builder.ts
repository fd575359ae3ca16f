import { ConfigError, ToolError, runCommand } from '@edgeship/edge-common';
import { engineArgs } from './docker-engine';

export interface BuilderNode {
  name: string;
  /** A docker context name, or an engine URL such as ssh://… or unix://… */
  endpoint: string;
  status?: string;
}

export interface BuilderInspection {
  driver: string;
  /** buildx's own error: set when the builder's engine did not answer (it then lists no nodes). */
  error?: string;
  nodes: BuilderNode[];
}

/** A `--builder` checked before any build, and where the image it builds ends up. */
export interface ResolvedBuilder {
  name: string;
  driver: string;
  /**
   * Set for the docker driver: the builder is a docker context's own engine (e.g. one reached over ssh), which
   * builds with its built-in BuildKit and keeps what `--load` loads. Other drivers load into the current engine.
   */
  engine?: string;
}

/** Reads the text of `docker buildx inspect` (buildx 0.13 has no --format for it). */
export function parseBuilderInspect(text: string): BuilderInspection {
  const inspection: BuilderInspection = { driver: '', nodes: [] };
  let isInNodes = false;
  for (const line of text.split('\n')) {
    if (line.trim() === 'Nodes:') {
      isInNodes = true;
      continue;
    }
    const match = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, value] = match as unknown as [string, string, string];
    if (!isInNodes) {
      if (key === 'Driver') inspection.driver = value.trim();
      if (key === 'Error') inspection.error = value.trim();
    } else if (key === 'Name') {
      inspection.nodes.push({ name: value.trim(), endpoint: '' });
    } else {
      const node = inspection.nodes.at(-1);
      if (node && key === 'Endpoint') node.endpoint = value.trim();
      if (node && key === 'Status') node.status = value.trim();
    }
  }
  return inspection;
}

/**
 * The builder exists and every engine it builds on answers — checked before the base, the runtime or any
 * build, so an unreachable builder costs seconds and names itself, its context and where that context points.
 */
export async function resolveBuilder(name: string, where: string): Promise<ResolvedBuilder> {
  const inspect = await runCommand('docker', ['buildx', 'inspect', name], {
    check: false,
    timeoutMs: 120_000,
  });
  if (inspect.exitCode !== 0) {
    throw new ConfigError(
      where,
      'builder',
      name,
      `No buildx builder or docker context has that name (${inspect.stderr.trim() || 'docker buildx inspect failed'}). \`docker buildx ls\` lists them; a docker context is a builder of its own: docker context create ${name} --docker host=ssh://user@arm64-host.`,
    );
  }
  const inspection = parseBuilderInspect(inspect.stdout);
  // A docker context whose engine does not answer is listed with an error and no nodes: its endpoint is itself.
  const endpoints = inspection.nodes.length > 0 ? inspection.nodes.map((n) => n.endpoint) : [name];
  if (runsOnDockerEngines(inspection.driver)) {
    for (const endpoint of endpoints) await checkBuilderEngine(name, endpoint);
  } else {
    await checkBuildKitNodes(name);
  }
  if (inspection.error) {
    throw new ToolError(
      `builder "${name}" is not usable. Nothing was built. \`docker buildx inspect ${name}\` shows why; fix it or build without --builder.`,
      `docker buildx inspect ${name}`,
      inspect.exitCode,
      inspection.error,
    );
  }
  return {
    name,
    driver: inspection.driver,
    engine: inspection.driver === 'docker' ? endpoints[0] : undefined,
  };
}

/** docker and docker-container builders run on docker engines; remote and kubernetes ones reach BuildKit itself. */
export function runsOnDockerEngines(driver: string): boolean {
  return driver === '' || driver === 'docker' || driver === 'docker-container';
}

/** Other drivers: buildx starts or dials every node (--bootstrap), and each must then be running. */
async function checkBuildKitNodes(builder: string): Promise<void> {
  const args = ['buildx', 'inspect', '--bootstrap', builder];
  const inspect = await runCommand('docker', args, { check: false, timeoutMs: 180_000 });
  const inspection = parseBuilderInspect(inspect.stdout);
  const down = inspection.nodes.filter((node) => node.status !== 'running');
  if (inspect.exitCode === 0 && !inspection.error && down.length === 0) return;
  const nodes = down.map((node) => `${node.name} (${node.endpoint})`).join(', ');
  throw new ToolError(
    `builder "${builder}" cannot be reached${nodes ? `: its nodes ${nodes} are not running` : ''}. Nothing was built. Start them (docker buildx inspect --bootstrap ${builder}) or build without --builder.`,
    `docker ${args.join(' ')}`,
    inspect.exitCode,
    inspection.error ?? (inspect.stderr || inspect.stdout),
  );
}

async function checkBuilderEngine(builder: string, endpoint: string): Promise<void> {
  const args = [...engineArgs(endpoint), 'version', '--format', '{{.Server.Version}}'];
  const version = await runCommand('docker', args, { check: false, timeoutMs: 90_000 });
  if (version.exitCode === 0) return;
  const target = endpoint.includes('://')
    ? `its engine at ${endpoint}`
    : `the engine of its docker context "${endpoint}"${await describeContextHost(endpoint)}`;
  throw new ToolError(
    `builder "${builder}" cannot be reached: ${target} does not answer. Nothing was built. Start that engine (and sshd on its host), fix the context (docker context inspect ${endpoint}), or build without --builder.`,
    `docker ${args.join(' ')}`,
    version.exitCode,
    version.stderr || version.stdout,
  );
}

async function describeContextHost(context: string): Promise<string> {
  const inspect = await runCommand(
    'docker',
    ['context', 'inspect', context, '--format', '{{.Endpoints.docker.Host}}'],
    { check: false },
  );
  const host = inspect.stdout.trim();
  return inspect.exitCode === 0 && host ? ` (${host})` : '';
}
