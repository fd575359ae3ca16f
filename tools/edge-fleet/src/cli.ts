import { reportError, logger } from '@edgeship/edge-common';
import { HELP_TEXT, parseFleetArgs } from './args';
import { fleetDown } from './fleet-down';
import { fleetSsh } from './fleet-ssh';
import { fleetStatus } from './fleet-status';
import { fleetUp } from './fleet-up';

/** The CLI: parse, run one command, print; errors become exit codes in exactly one place (below). */
async function main(argv: readonly string[]): Promise<number> {
  const command = parseFleetArgs(argv);
  switch (command.command) {
    case 'help':
      console.log(HELP_TEXT);
      return 0;
    case 'up': {
      const result = await fleetUp(command);
      logger.table(
        result.inventory.hosts.map((h) => ({
          node: h.name,
          arch: h.arch,
          ssh: `127.0.0.1:${h.ansiblePort}`,
          'ports 8100..8119': `127.0.0.1:${h.publishedPorts.get(8100)}..${h.publishedPorts.get(8119)}`,
        })),
      );
      logger.info(
        `\n# ${result.inventoryPath}${result.changed ? '' : ' (unchanged: the fleet was already up)'}`,
      );
      process.stdout.write(result.inventoryText);
      logger.info(`\nTry: ansible -i ${result.inventoryPath} all -m ping`);
      return 0;
    }
    case 'down': {
      const result = await fleetDown(command.name);
      const removed =
        result.removedContainers.length + result.removedNetworks.length + (result.removedDir ? 1 : 0);
      if (removed === 0) logger.info(`fleet ${command.name}: nothing to remove`);
      else {
        logger.done(
          `fleet ${command.name}: removed ${[...result.removedContainers, ...result.removedNetworks, ...(result.removedDir ? [result.removedDir] : [])].join(', ')}`,
        );
      }
      return 0;
    }
    case 'status': {
      const status = await fleetStatus(command.name);
      if (command.json) {
        console.log(JSON.stringify(status, null, 2));
      } else if (status.nodes.length === 0) {
        logger.info(`fleet ${command.name}: no nodes (edge-fleet up --name ${command.name} starts it)`);
      } else {
        logger.table(
          status.nodes.map((n) => ({
            node: n.name,
            arch: n.arch,
            container: n.state,
            systemd: n.system,
            ssh: `127.0.0.1:${n.sshPort}`,
          })),
        );
        logger.info(
          status.inventoryPath ? `inventory: ${status.inventoryPath}` : 'inventory: none (run up again)',
        );
      }
      return 0;
    }
    case 'ssh':
      return fleetSsh(command.name, command.node, command.remote);
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = reportError(error)),
);
