/** The connection variables of one host as `ansible-inventory --list` resolves them (group vars included). */
export interface HostConnection {
  ansible_host?: string;
  ansible_port?: number | string;
  ansible_user?: string;
  ansible_ssh_private_key_file?: string;
  ansible_ssh_common_args?: string;
  ansible_ssh_extra_args?: string;
  ansible_become?: boolean | string;
}

/**
 * ssh's argv for one node, from the same inventory variables Ansible connects with, running `command` there.
 * ssh hands the remote command to the node's login shell as one string, so every element is single-quoted:
 * the options were checked already (--since), this keeps a space or quote from changing the command.
 */
export function sshArgs(node: string, vars: HostConnection, command: readonly string[]): string[] {
  const user = vars.ansible_user;
  const isBecome = vars.ansible_become === true || vars.ansible_become === 'true';
  const remote = [...(isBecome && user && user !== 'root' ? ['sudo', '-n'] : []), ...command];
  return [
    ...splitArgs(vars.ansible_ssh_common_args),
    ...splitArgs(vars.ansible_ssh_extra_args),
    // No prompt can be answered here, and a dead node must not hang the follow.
    ...['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=5'],
    ...(vars.ansible_port ? ['-p', String(vars.ansible_port)] : []),
    ...(vars.ansible_ssh_private_key_file ? ['-i', vars.ansible_ssh_private_key_file] : []),
    ...(user ? ['-l', user] : []),
    vars.ansible_host ?? node,
    '--',
    remote.map(quoteForShell).join(' '),
  ];
}

/** Ansible's *_args are one string of options; split on whitespace (quoted options are not supported here). */
function splitArgs(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter(Boolean);
}

export function quoteForShell(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
