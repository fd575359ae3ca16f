/** The first socket systemd passes to an activated service (SD_LISTEN_FDS_START in sd-daemon.h). */
const SD_LISTEN_FDS_START = 3;

/**
 * The listening socket systemd handed over (socket activation), as sd_listen_fds() finds it: LISTEN_FDS
 * counts the sockets from fd 3 on and LISTEN_PID names the process they are meant for, so a child that
 * inherited the environment does not take its parent's socket.
 */
export function findInheritedSocket(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  if (Number(env.LISTEN_PID) !== pid) return undefined;
  const count = Number(env.LISTEN_FDS);
  if (!Number.isInteger(count) || count < 1) return undefined;
  if (count > 1) {
    throw new Error(
      `systemd passed ${count} sockets (LISTEN_FDS); a service listens on one: give its .socket one ListenStream`,
    );
  }
  return SD_LISTEN_FDS_START;
}
