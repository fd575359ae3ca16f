import { deployDependsOn } from '@edgeship/edge-plugin/plugins/plugin';
import type { ListedService } from './list-services';

export interface BuildGroup {
  targets: Array<'bundle' | 'image'>;
  services: string[];
}

export interface BuildPlan {
  /** One Nx run per group, in order; services in a group build in parallel. */
  groups: BuildGroup[];
  /** The deploy's --delivery when every node gets executables whatever the marker says. */
  delivery?: 'binary';
  /** Why less is built than the markers ask for, for the log. */
  note?: string;
}

/**
 * What `npm start` builds before its one rollout: what each service's deploy target depends on, except that
 * on nodes that cannot run containers (a local arm64 fleet: podman needs more than QEMU user emulation) every
 * service ships as an executable, so no image is built for them. `nodesRunContainers` is undefined for an
 * inventory of the user's, whose nodes only the deploy's probe knows: the markers decide there.
 */
export function planBuilds(services: readonly ListedService[], nodesRunContainers?: boolean): BuildPlan {
  if (nodesRunContainers === false) {
    const containers = services.filter((service) => service.delivery === 'container').map((s) => s.name);
    return {
      groups: [{ targets: ['bundle'], services: services.map((service) => service.name) }],
      delivery: 'binary',
      ...(containers.length > 0
        ? {
            note:
              `the nodes cannot run containers: ${containers.join(', ')} ` +
              `${containers.length === 1 ? 'ships' : 'ship'} as executables ` +
              '(--delivery=binary), so no image is built',
          }
        : {}),
    };
  }
  const groups: BuildGroup[] = [];
  for (const service of services) {
    const targets = deployDependsOn(service.delivery);
    const group = groups.find((each) => each.targets.join() === targets.join());
    if (group) group.services.push(service.name);
    else groups.push({ targets, services: [service.name] });
  }
  // Executables only first: a failed image build then leaves every executable built.
  return { groups: groups.sort((a, b) => a.targets.length - b.targets.length) };
}
