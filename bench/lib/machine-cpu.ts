import { readFileSync } from 'node:fs';
import { CLOCK_TICKS_PER_SECOND } from './children-cpu';

/**
 * CPU seconds the whole machine has spent working since boot, all cores together (the first line of /proc/stat:
 * user, nice, system, irq and softirq; idle, iowait and the hypervisor's steal left out). On this machine the
 * nodes are containers on the same kernel, so this counts the controller, every node and everything else that
 * ran. Over a deploy, divided by the core count, it is the least wall time that work could have taken.
 */
export function machineBusyCpuSeconds(): number {
  const [, user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]!
    .trim()
    .split(/\s+/)
    .map(Number);
  return (user! + nice! + system! + irq! + softirq!) / CLOCK_TICKS_PER_SECOND;
}
