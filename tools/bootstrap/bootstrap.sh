#!/usr/bin/env bash
# Installs and starts what the edgeship targets need on a Debian 12 machine (tools/bootstrap/README.md lists each
# component, its check and how it is installed).
# Every component is probed first, so a run on a ready machine only reads state and takes well under a second.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: tools/bootstrap/bootstrap.sh [--check] [--for start|test] [--help]

Installs and starts the edgeship prerequisites: apt packages, docker-buildx and cosign (from trixie),
the arm64 apt architecture, binfmt qemu-aarch64, enough inotify instances for a 16-node fleet, dockerd
and a local registry on 127.0.0.1:5000.
Each component is checked first; only missing ones are installed or started.

  --check       only report; never install or start anything (exit 1 if something is missing)
  --for start   only what builds and deploys need (npm start): leaves out the packages only the tests and
                benchmarks use (chromium, pytest, the linters, debootstrap, sshd, the arm64 cross libraries)
  --for test    everything (the default; npm test and CI)
  --help        show this help

Not root, or no apt-get: reports what is missing and how to get it, exits 1 (0 if nothing is missing).
Environment: EDGESHIP_REGISTRY_ADDR (127.0.0.1:5000), EDGESHIP_REGISTRY_DIR (/var/lib/edgeship/registry),
EDGESHIP_REGISTRY_LOG (/var/log/edgeship-registry.log), EDGESHIP_DOCKERD_LOG (/var/log/dockerd.log),
EDGESHIP_APT_LOG (/var/log/edgeship-bootstrap-apt.log), EDGESHIP_DOCKERD_TIMEOUT (60, seconds),
EDGESHIP_SKIP_<COMPONENT>=1 with COMPONENT one of PACKAGES ARM64_APT BUILDX COSIGN BINFMT INOTIFY DOCKERD
BUILDX_ARM64 REGISTRY.
EOF
}

# name:command (or /absolute/file) that proves the package is installed. The arm64 cross libraries let
# QEMU run arm64 executables on the host (QEMU_LD_PREFIX=/usr/aarch64-linux-gnu) in the bundle tests;
# systemd-socket-activate stands in for a .socket unit in service-kit's socket activation test; rsync is
# the controller's end of the delta transfer to nodes (ansible.posix.synchronize); openssh-server lets the
# remote-builder test reach a second docker engine over ssh on loopback, as a real ARM64 builder is reached
# (its package starts no daemon here: no init system; the test runs its own sshd on 127.0.0.1); chromium
# renders the HTML reports in headless mode for their tests (Debian's build, driven over its DevTools pipe);
# python3-pytest runs the unit tests of the playbooks' Python modules with the Python Debian's ansible uses;
# mmdebstrap builds the fleet's node rootfs, and its eatmydata hook needs dpkg-architecture (dpkg-dev); the node's
# certificate links are made by the host's update-ca-certificates (ca-certificates);
# debootstrap stays for the benchmarks that compare against it.
PACKAGES=(docker.io:dockerd qemu-user-static:qemu-aarch64-static binfmt-support:update-binfmts
  ansible:ansible-playbook ansible-lint:ansible-lint yamllint:yamllint docker-registry:docker-registry
  skopeo:skopeo debootstrap:debootstrap mmdebstrap:mmdebstrap dpkg-dev:dpkg-architecture
  ca-certificates:update-ca-certificates
  binutils-aarch64-linux-gnu:aarch64-linux-gnu-strip zstd:zstd
  openssh-client:ssh-keygen libc6-arm64-cross:/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1
  libstdc++6-arm64-cross:/usr/aarch64-linux-gnu/lib/libstdc++.so.6
  libgcc-s1-arm64-cross:/usr/aarch64-linux-gnu/lib/libgcc_s.so.1
  systemd:systemd-socket-activate rsync:rsync openssh-server:/usr/sbin/sshd chromium:chromium python3-pytest:pytest-3)
# Packages only the tests and benchmarks use, left out by --for start: on a fresh machine chromium alone is
# hundreds of MB to unpack before a first deploy that never opens it.
TEST_ONLY_PACKAGES=(ansible-lint yamllint debootstrap libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross
  openssh-server chromium python3-pytest)
# Order matters on a fresh machine: binfmt before dockerd, whose BuildKit lists the platforms it can emulate.
# inotify: every systemd node (a container) holds about six inotify instances; Linux's default of 128 per user
# runs out near 20 nodes, and a node then boots "degraded" (systemd-ask-password-wall.path fails).
COMPONENTS=(arm64-apt buildx cosign binfmt inotify dockerd buildx-arm64 registry)
INOTIFY_INSTANCES=1024

REGISTRY_ADDR=${EDGESHIP_REGISTRY_ADDR:-127.0.0.1:5000}
REGISTRY_DIR=${EDGESHIP_REGISTRY_DIR:-/var/lib/edgeship/registry}
REGISTRY_DIR=${REGISTRY_DIR%/}
REGISTRY_LOG=${EDGESHIP_REGISTRY_LOG:-/var/log/edgeship-registry.log}
DOCKERD_LOG=${EDGESHIP_DOCKERD_LOG:-/var/log/dockerd.log}
DOCKERD_TIMEOUT=${EDGESHIP_DOCKERD_TIMEOUT:-60}
APT_LOG=${EDGESHIP_APT_LOG:-/var/log/edgeship-bootstrap-apt.log}
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
TRIXIE_SOURCES=/etc/apt/sources.list.d/trixie.sources
TRIXIE_PIN=/etc/apt/preferences.d/trixie-low
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin # dockerd, update-binfmts live in sbin, often missing for users

declare -A LABEL=([arm64-apt]="apt architecture arm64" [buildx]="docker-buildx" [cosign]="cosign"
  [binfmt]="binfmt qemu-aarch64" [inotify]="inotify instances >= $INOTIFY_INSTANCES" [dockerd]="dockerd"
  [buildx-arm64]="buildx linux/arm64"
  [registry]="registry $REGISTRY_ADDR")
declare -A COUNT=([ok]=0 [installed]=0 [started]=0 [skipped]=0 [missing]=0)
START=$EPOCHREALTIME

say() { printf '  %-30s %s\n' "$1" "$2"; }
fail() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }
note() { COUNT[$1]=$((COUNT[$1] + 1)); say "$2" "$1${3:+ - $3}"; }
is_skipped() { local var=EDGESHIP_SKIP_${1^^}; var=${var//-/_}; [[ ${!var:-} == 1 ]]; }
tail_log() { if [[ -r $1 ]]; then tail -n 5 "$1" | sed 's/^/    | /' >&2; fi; }

# --- probes: read-only, fast, safe as any user ---------------------------------------------------
probe_package() {
  local proof=${1#*:}
  if [[ $proof == /* ]]; then [[ -e $proof ]]; else command -v "$proof" >/dev/null 2>&1; fi
}
probe_arm64-apt() {
  [[ $(dpkg --print-foreign-architectures 2>/dev/null) == *arm64* ]] &&
    compgen -G '/var/lib/apt/lists/*_binary-arm64_Packages*' >/dev/null
}
probe_buildx() { docker buildx version >/dev/null 2>&1; }
probe_cosign() { command -v cosign >/dev/null 2>&1; }
probe_binfmt() {
  local state=''
  [[ -r /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] && read -r state </proc/sys/fs/binfmt_misc/qemu-aarch64
  [[ $state == enabled ]]
}
probe_inotify() {
  local instances=0
  [[ -r /proc/sys/fs/inotify/max_user_instances ]] && read -r instances </proc/sys/fs/inotify/max_user_instances
  ((instances >= INOTIFY_INSTANCES))
}
probe_dockerd() { timeout 10 docker info >/dev/null 2>&1; }
probe_buildx-arm64() { [[ $(timeout 20 docker buildx ls 2>/dev/null) == *linux/arm64* ]]; }
probe_registry() {
  # bash's /dev/tcp instead of curl: the probe must work before any package is installed
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/${0%:*}/${0##*:}" &&
    printf "GET /v2/ HTTP/1.0\r\nHost: %s\r\n\r\n" "$0" >&3 && IFS= read -r line <&3 &&
    [[ $line == "HTTP/1."?" 200"* ]]' "$REGISTRY_ADDR" 2>/dev/null
}

# --- hints: the command that gets a missing component ----------------------------------------------
hint_package() { echo "apt-get install -y ${1%%:*}"; }
hint_arm64-apt() { echo "dpkg --add-architecture arm64 && apt-get update"; }
hint_buildx() { echo "add the trixie suite pinned at priority 100 ($TRIXIE_SOURCES, $TRIXIE_PIN), then apt-get install -y -t trixie docker-buildx"; }
hint_cosign() { echo "apt-get download cosign/trixie && dpkg-deb -x cosign_*.deb x && install -m 0755 x/usr/bin/cosign /usr/local/bin/"; }
hint_binfmt() { echo "mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable qemu-aarch64"; }
hint_inotify() { echo "sysctl -w fs.inotify.max_user_instances=$INOTIFY_INSTANCES"; }
hint_dockerd() {
  if [[ -S /var/run/docker.sock && ! -w /var/run/docker.sock ]]; then
    echo "usermod -aG docker $(id -un) (dockerd runs, but $(id -un) cannot use /var/run/docker.sock)"
  else
    echo "dockerd >$DOCKERD_LOG 2>&1 &"
  fi
}
hint_buildx-arm64() {
  if probe_dockerd; then echo "enable binfmt qemu-aarch64, then restart dockerd (it detects emulated platforms at start)"
  else echo "needs a dockerd this user can reach (see dockerd above)"; fi
}
hint_registry() { echo "run this script (it writes $REGISTRY_DIR.yml, then runs docker-registry serve $REGISTRY_DIR.yml)"; }

# --- fixes: run as root only -----------------------------------------------------------------------
APT_READY=0
read_archive_uri() {
  local uri
  uri=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' "$DEBIAN_SOURCES" 2>/dev/null || true)
  [[ -n $uri ]] || uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\/.*debian/ && $i !~ /security/) { print $i; exit } }' \
    /etc/apt/sources.list 2>/dev/null || true)
  [[ -n $uri ]] || fail "no Debian archive URI found in $DEBIAN_SOURCES or /etc/apt/sources.list"
  echo "$uri"
}
ensure_trixie_source() {
  # The pin comes first so that the trixie suite can never upgrade anything it was not asked for.
  [[ -f $TRIXIE_PIN ]] || printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >"$TRIXIE_PIN"
  [[ -f $TRIXIE_SOURCES ]] && return 0
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: %s\n' \
    "$(read_archive_uri)" /usr/share/keyrings/debian-archive-keyring.gpg >"$TRIXIE_SOURCES"
}
prepare_apt() {
  ((APT_READY)) && return 0
  if ! probe_buildx || ! probe_cosign; then ensure_trixie_source; fi
  is_skipped arm64-apt || probe_arm64-apt || dpkg --add-architecture arm64
  # Only Debian's archive is reachable: updating just its sources avoids failures and timeouts on
  # third-party ones; an error here is tolerated, a package that then cannot be installed is not.
  local parts f
  parts=$(mktemp -d)
  for f in "$DEBIAN_SOURCES" "$TRIXIE_SOURCES"; do [[ -f $f ]] && ln -s "$f" "$parts/"; done
  say "apt-get update" "running (log: $APT_LOG)"
  apt-get update -o DPkg::Lock::Timeout=300 -o Dir::Etc::sourceparts="$parts" -o APT::Get::List-Cleanup=0 >>"$APT_LOG" 2>&1 9>&- ||
    echo "  apt-get update reported errors (see $APT_LOG); installing anyway" >&2
  rm -rf "$parts"
  APT_READY=1
}
# --reinstall: a package dpkg lists as installed but whose command is gone only comes back that way
apt_install() {
  prepare_apt
  DEBIAN_FRONTEND=noninteractive apt-get install -y --reinstall -o DPkg::Lock::Timeout=300 "$@" >>"$APT_LOG" 2>&1 9>&- || {
    tail_log "$APT_LOG"
    fail "apt-get install $* failed; see $APT_LOG"
  }
}
fix_packages() { apt_install "$@"; }
fix_arm64-apt() { prepare_apt; }
fix_buildx() { apt_install -t trixie docker-buildx; }
fix_cosign() {
  prepare_apt
  local tmp
  tmp=$(mktemp -d)
  chown _apt "$tmp" 2>/dev/null || true # lets apt download without its "unsandboxed" warning
  (cd "$tmp" && apt-get download cosign/trixie >>"$APT_LOG" 2>&1 9>&-) || fail "apt-get download cosign/trixie failed; see $APT_LOG"
  dpkg-deb -x "$tmp"/cosign_*.deb "$tmp/x"
  install -m 0755 "$tmp/x/usr/bin/cosign" /usr/local/bin/cosign
  rm -rf "$tmp"
}
fix_binfmt() {
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  update-binfmts --enable qemu-aarch64 >>"$APT_LOG" 2>&1 || fail "update-binfmts --enable qemu-aarch64 failed; see $APT_LOG"
}
fix_inotify() {
  echo "$INOTIFY_INSTANCES" >/proc/sys/fs/inotify/max_user_instances ||
    fail "could not raise fs.inotify.max_user_instances to $INOTIFY_INSTANCES"
}
# Waits until the probe answers; gives up early when the process it depends on has exited.
wait_for() {
  local probe=$1 pid=$3 deadline=$((SECONDS + $2))
  until $probe; do
    kill -0 "$pid" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
fix_dockerd() {
  # No init system here: the daemon runs in its own session so it outlives this script.
  setsid dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
  wait_for probe_dockerd "$DOCKERD_TIMEOUT" $! ||
    { tail_log "$DOCKERD_LOG"; fail "dockerd did not answer 'docker info' within ${DOCKERD_TIMEOUT}s; see $DOCKERD_LOG"; }
}
fix_buildx-arm64() { fail "docker buildx ls does not list linux/arm64; $(hint_buildx-arm64)"; }
fix_registry() {
  mkdir -p "$REGISTRY_DIR" "$(dirname "$REGISTRY_LOG")"
  cat >"$REGISTRY_DIR.yml" <<EOF
# written by tools/bootstrap/bootstrap.sh: the local registry images are pushed to and signed in
version: 0.1
log:
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
  setsid docker-registry serve "$REGISTRY_DIR.yml" >>"$REGISTRY_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$REGISTRY_DIR.pid"
  wait_for probe_registry 15 $! ||
    { tail_log "$REGISTRY_LOG"; fail "registry did not answer on http://$REGISTRY_ADDR/v2/ within 15s; see $REGISTRY_LOG"; }
}
declare -A RESULT=([arm64-apt]=installed [buildx]=installed [cosign]=installed [binfmt]=installed [inotify]=installed
  [dockerd]=started [buildx-arm64]=ok [registry]=started)
declare -A DETAIL=([cosign]=/usr/local/bin/cosign [dockerd]="log: $DOCKERD_LOG"
  [registry]="storage: $REGISTRY_DIR, log: $REGISTRY_LOG")

# --- main ----------------------------------------------------------------------------------------
MODE=install
FOR=test
while (($#)); do
  case $1 in
    --check) MODE=check ;;
    --for)
      [[ ${2:-} == start || ${2:-} == test ]] || { echo "bootstrap: --for takes start or test, not '${2:-}'" >&2; exit 2; }
      FOR=$2
      shift
      ;;
    --help | -h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
if [[ $FOR == start ]]; then
  NEEDED=()
  for p in "${PACKAGES[@]}"; do [[ " ${TEST_ONLY_PACKAGES[*]} " == *" ${p%%:*} "* ]] || NEEDED+=("$p"); done
  PACKAGES=("${NEEDED[@]}")
fi
if [[ $MODE == install ]]; then
  if ((EUID != 0)); then MODE=report WHY="not root"; elif ! command -v apt-get >/dev/null; then MODE=report WHY="no apt-get"; fi
else
  WHY="--check"
fi
: "${WHY:=}"

# First pass: probe everything. A ready machine stops here.
declare -A STATE
MISSING_PKGS=()
for p in "${PACKAGES[@]}"; do
  if is_skipped packages; then STATE[$p]=skipped
  elif probe_package "$p"; then STATE[$p]=ok
  else STATE[$p]=missing; MISSING_PKGS+=("${p%%:*}"); fi
done
for c in "${COMPONENTS[@]}"; do
  if is_skipped "$c"; then STATE[$c]=skipped; elif probe_"$c"; then STATE[$c]=ok; else STATE[$c]=missing; fi
done
IS_READY=1
for s in "${STATE[@]}"; do [[ $s == missing ]] && IS_READY=0; done

echo "edgeship bootstrap ($([[ $MODE == install && $IS_READY == 0 ]] && echo installing || echo checking))"
[[ $FOR == start ]] && say "left to npm test" "${TEST_ONLY_PACKAGES[*]}"
if [[ $MODE != install || $IS_READY == 1 ]]; then
  for p in "${PACKAGES[@]}"; do
    if [[ ${STATE[$p]} == missing ]]; then note missing "${p%%:*}" "as root: $(hint_package "$p")"
    else note "${STATE[$p]}" "${p%%:*}"; fi
  done
  for c in "${COMPONENTS[@]}"; do
    if [[ ${STATE[$c]} == missing ]]; then note missing "${LABEL[$c]}" "as root: $(hint_"$c")"
    else note "${STATE[$c]}" "${LABEL[$c]}"; fi
  done
else
  exec 9>/run/lock/edgeship-bootstrap.lock
  flock -w 900 9 || fail "another bootstrap run holds /run/lock/edgeship-bootstrap.lock"
  if ((${#MISSING_PKGS[@]})); then
    say "apt packages" "installing ${MISSING_PKGS[*]}"
    fix_packages "${MISSING_PKGS[@]}"
    hash -r
  fi
  for p in "${PACKAGES[@]}"; do
    if [[ ${STATE[$p]} != missing ]]; then note "${STATE[$p]}" "${p%%:*}"
    elif probe_package "$p"; then note installed "${p%%:*}"
    else fail "${p%%:*} installed but '${p#*:}' is not on PATH"; fi
  done
  for c in "${COMPONENTS[@]}"; do
    if [[ ${STATE[$c]} == skipped ]]; then note skipped "${LABEL[$c]}"; continue; fi
    if probe_"$c"; then
      # Brought up by an earlier step (the apt update adds arm64; a postinst may start dockerd)
      if [[ ${STATE[$c]} == ok ]]; then note ok "${LABEL[$c]}"; else note "${RESULT[$c]}" "${LABEL[$c]}"; fi
      continue
    fi
    fix_"$c"
    hash -r
    probe_"$c" || fail "${LABEL[$c]} still not ready after install; get it: $(hint_"$c")"
    note "${RESULT[$c]}" "${LABEL[$c]}" "${DETAIL[$c]:-}"
  done
fi

ELAPSED=$(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
printf 'summary: %d ok, %d installed, %d started, %d skipped, %d missing in %ss\n' \
  "${COUNT[ok]}" "${COUNT[installed]}" "${COUNT[started]}" "${COUNT[skipped]}" "${COUNT[missing]}" "$ELAPSED"
if ((COUNT[missing])); then
  echo "not installing ($WHY); to install everything at once, run as root: tools/bootstrap/bootstrap.sh" >&2
  exit 1
fi
