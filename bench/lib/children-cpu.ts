import { readFileSync } from 'node:fs';

/** Clock ticks per second of the CPU times in /proc (USER_HZ: 100 on Linux). */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * User + system CPU seconds of the children this process has waited for (fields 16 and 17 of
 * /proc/self/stat): a deploy's ansible-playbook, its workers and what they ran on the controller.
 */
export function waitedChildrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ", field 3 (state) is index 0: cutime is field 16, cstime field 17.
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}
