#!/usr/bin/env bash
# A second docker engine on this machine, reached over ssh on 127.0.0.1 exactly as a remote ARM64 builder is:
# its own dockerd (socket, data root, exec root, pidfile, config file, and network namespace, so the main
# engine's bridge and iptables rules are left alone), its own sshd on one loopback port with its own host key and
# one client key, an ssh config Host entry and a docker context. remote-builder.spec.ts runs it; the image
# executor's README walks through the same steps for a real ARM64 host.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: second-engine.sh up NAME PORT [OWNER_PID] | stop-engine NAME | down NAME | prune

  up NAME PORT     start dockerd and sshd (127.0.0.1:PORT) under $ROOT/NAME, write the ssh Host entry NAME
                   (/etc/ssh/ssh_config.d/edgeship-NAME.conf) and the docker context NAME
                   (host=ssh://NAME$ROOT/NAME/docker.sock); OWNER_PID: the process it belongs to, for prune
  stop-engine NAME stop only its dockerd (sshd keeps answering): an engine that went away
  down NAME        remove the context and the Host entry, stop sshd and dockerd, delete $ROOT/NAME
  prune            down every engine whose OWNER_PID has exited (a killed test run)

ROOT is $EDGESHIP_SECOND_ENGINE_ROOT (default /var/lib/edgeship/second-engines). Contexts go where the
docker CLI keeps them ($DOCKER_CONFIG). Needs root, dockerd, unshare, sshd (openssh-server) and ssh-keygen.
EOF
}

ROOT=${EDGESHIP_SECOND_ENGINE_ROOT:-/var/lib/edgeship/second-engines}
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
fail() { printf 'second-engine: error: %s\n' "$*" >&2; exit 1; }
ssh_conf() { echo "/etc/ssh/ssh_config.d/edgeship-$1.conf"; }

# Waits until the command succeeds; gives up early when the process it depends on has exited.
wait_for() {
  local seconds=$1 pid=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Ends the process in PIDFILE, only if it is still the one started for DIR (a pid can be reused).
stop_pidfile() {
  local pidfile=$1 dir=$2 pid
  [[ -r $pidfile ]] || return 0
  read -r pid <"$pidfile" || [[ -n ${pid:-} ]] || return 0 # dockerd writes no final newline
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$dir/"; then
    kill "$pid"
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  fi
  rm -f "$pidfile"
}

up() {
  local name=$1 port=$2 owner=${3:-}
  local dir=$ROOT/$name
  [[ $name =~ ^[a-z0-9][a-z0-9-]*$ ]] || fail "NAME must be lowercase letters, digits and dashes: $name"
  [[ -e $dir ]] && fail "$dir exists: run 'second-engine.sh down $name' first"
  mkdir -p "$dir/data" "$dir/exec" "$dir/ssh"
  chmod 0700 "$dir"
  [[ -n $owner ]] && echo "$owner" >"$dir/owner.pid"
  # Its own (empty) config file: the machine's /etc/docker/daemon.json is the main engine's.
  echo '{}' >"$dir/daemon.json"
  # Its own network namespace: dockerd started with --bridge=none deletes the host's docker0 (the main
  # engine's default bridge), and any dockerd may rewrite iptables. In there it touches neither; it needs no
  # network, since it is reached through its unix socket and builds FROM scratch.
  setsid unshare --net dockerd --host "unix://$dir/docker.sock" --data-root "$dir/data" \
    --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" --config-file "$dir/daemon.json" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    >>"$dir/dockerd.log" 2>&1 </dev/null &
  wait_for 60 $! docker --host "unix://$dir/docker.sock" version ||
    { tail -n 5 "$dir/dockerd.log" >&2; fail "the second dockerd did not answer within 60 s; see $dir/dockerd.log"; }

  ssh-keygen -q -t ed25519 -N '' -C "$name host" -f "$dir/ssh/host_key"
  ssh-keygen -q -t ed25519 -N '' -C "$name client" -f "$dir/ssh/client_key"
  cp "$dir/ssh/client_key.pub" "$dir/ssh/authorized_keys"
  printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/ssh/host_key.pub")" >"$dir/ssh/known_hosts"
  cat >"$dir/ssh/sshd_config" <<EOF
# written by second-engine.sh: root logs in with the one client key, on loopback only
ListenAddress 127.0.0.1:$port
HostKey $dir/ssh/host_key
PidFile $dir/ssh/sshd.pid
AuthorizedKeysFile $dir/ssh/authorized_keys
AllowUsers root
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
EOF
  mkdir -p /run/sshd # sshd's privilege separation directory
  /usr/sbin/sshd -f "$dir/ssh/sshd_config" -E "$dir/ssh/sshd.log" ||
    { tail -n 5 "$dir/ssh/sshd.log" >&2; fail "sshd did not start; see $dir/ssh/sshd.log"; }

  cat >"$(ssh_conf "$name")" <<EOF
# written by second-engine.sh up $name; removed by second-engine.sh down $name
Host $name
  HostName 127.0.0.1
  Port $port
  User root
  IdentityFile $dir/ssh/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $dir/ssh/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
EOF
  docker context create "$name" --description "second engine (second-engine.sh)" \
    --docker "host=ssh://$name$dir/docker.sock" >/dev/null
  # The path after the host tells the remote docker CLI which engine to dial (docker --host unix://…).
  local pid
  read -r pid <"$dir/ssh/sshd.pid"
  wait_for 30 "$pid" docker --context "$name" version ||
    fail "docker --context $name does not reach the second engine; see $dir/ssh/sshd.log"
  echo "$name"
}

stop_engine() {
  local dir=$ROOT/$1
  stop_pidfile "$dir/dockerd.pid" "$dir"
}

down() {
  local name=$1 dir=$ROOT/$1
  docker context rm --force "$name" >/dev/null 2>&1 || true
  rm -f "$(ssh_conf "$name")"
  stop_pidfile "$dir/ssh/sshd.pid" "$dir"
  stop_pidfile "$dir/dockerd.pid" "$dir"
  # dockerd unmounts its layers on the way out; a mount still there would make rm fail half-way.
  if findmnt -rn -o TARGET | grep -qF "$dir/"; then fail "mounts remain under $dir: umount them, then rerun down"; fi
  rm -rf "$dir"
}

prune() {
  local dir owner
  for dir in "$ROOT"/*/; do
    [[ -r $dir/owner.pid ]] || continue
    read -r owner <"$dir/owner.pid" || true
    kill -0 "$owner" 2>/dev/null && continue
    down "$(basename "$dir")"
  done
}

case ${1:-} in
  up) (($# >= 3)) || { usage >&2; exit 2; }; up "$2" "$3" "${4:-}" ;;
  stop-engine) (($# == 2)) || { usage >&2; exit 2; }; stop_engine "$2" ;;
  down) (($# == 2)) || { usage >&2; exit 2; }; down "$2" ;;
  prune) prune ;;
  --help | -h) usage ;;
  *) usage >&2; exit 2 ;;
esac
