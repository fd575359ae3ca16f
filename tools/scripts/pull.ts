// `npm run pull`: pull mode for nodes SSH cannot reach. publish a released build to a channel directory, serve
// it, enroll nodes (playbooks/pull.yml). What the nodes do is in playbooks/roles/edge_pull.
import { join, relative, resolve } from 'node:path';
import { ConfigError, logger, reportError } from '@edgeship/edge-common';
import { normalizeStatusOptions } from '@edgeship/edge-plugin/executors/status/lib/normalize-status-options';
import { enrollNodes } from '@edgeship/edge-plugin/lib/pull-channel/enroll-nodes';
import { publishToChannel } from '@edgeship/edge-plugin/lib/pull-channel/publish-to-channel';
import { serveChannel } from '@edgeship/edge-plugin/lib/pull-channel/serve-channel';
import { findTrustAnchor } from '@edgeship/edge-plugin/lib/trust-anchor';
import { listServices } from './list-services';
import { parsePullArgs, type PullCommand } from './pull-args';
import { servicesContext } from './services-context';
import { selectServices } from './start-args';

const workspaceRoot = resolve(__dirname, '..', '..');

async function main(command: PullCommand): Promise<number> {
  switch (command.command) {
    case 'help':
      console.log(command.text);
      return 0;
    case 'publish': {
      const channelDir = resolve(command.channel);
      const anchor = findTrustAnchor(workspaceRoot, process.env, true);
      for (const service of selectServices(command.projects, listServices(workspaceRoot), 'npm run pull')) {
        const distDir = join(workspaceRoot, 'dist', service);
        const published = await publishToChannel({
          distDir,
          shownDir: relative(workspaceRoot, distDir),
          channelDir,
          anchor,
        });
        logger.done(
          `${service} ${published.version}: published to ${join(command.channel, service)} (${published.files.join(', ')})`,
        );
      }
      return 0;
    }
    case 'serve': {
      const [, host, port] = /^(.+):(\d{1,5})$/.exec(command.listen) ?? [];
      if (!host || !port || Number(port) > 65535)
        throw new ConfigError(
          'npm run pull serve',
          '--listen',
          command.listen,
          'Give HOST:PORT, e.g. 0.0.0.0:8480.',
        );
      const server = await serveChannel(resolve(command.channel), host, Number(port));
      logger.done(`serving ${command.channel} at ${server.url} (Ctrl-C stops)`);
      await new Promise<void>((done) => process.once('SIGINT', done).once('SIGTERM', done));
      await server.close();
      return 0;
    }
    case 'enroll': {
      const names = selectServices(command.projects, listServices(workspaceRoot), 'npm run pull');
      const context = servicesContext(workspaceRoot, names);
      const inventory = command.inventory ? resolve(command.inventory) : undefined;
      const normalized = names.map((projectName) =>
        normalizeStatusOptions(
          { inventory, fleet: command.fleet, limit: command.limit },
          { ...context, projectName },
        ),
      );
      const first = normalized[0]!;
      const { nodes } = await enrollNodes({
        workspaceRoot,
        inventory: first.inventories[0]!,
        hosts: first.hosts,
        limit: first.limit,
        channel: command.channel,
        services: normalized.map(({ service }) => service),
        interval: command.interval,
        verbose: command.verbose,
      });
      logger.done(
        `${nodes.length} node(s) enrolled in pull mode from ${command.channel}: ${nodes.join(', ')}`,
      );
      return 0;
    }
  }
}

try {
  main(parsePullArgs(process.argv.slice(2))).then(
    (code) => process.exit(code),
    (error) => process.exit(reportError(error)),
  );
} catch (error) {
  process.exit(reportError(error));
}
