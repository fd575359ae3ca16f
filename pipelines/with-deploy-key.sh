#!/usr/bin/env bash
# Runs a command with the deploy SSH key loaded in an ssh-agent that lives exactly as long as the command.
#   EDGESHIP_DEPLOY_KEY=<private key> bash pipelines/with-deploy-key.sh npx nx affected -t deploy ...
# Both CI files deploy through it (pipelines/README.md, "Trust levels"). The key goes from the CI secret
# to the agent through a pipe, never into a file: a runner keeps its disk from one job to the next, an
# agent does not outlive this script. Ansible's ssh reaches the agent through SSH_AUTH_SOCK, which is
# why the inventory CI deploys to names no ansible_ssh_private_key_file.
set -euo pipefail

if [ -z "${EDGESHIP_DEPLOY_KEY:-}" ]; then
  echo "EDGESHIP_DEPLOY_KEY is not set: add the deploy SSH private key as a secret of the main-branch job (GitHub: secret of the 'edge' environment; GitLab: protected CI/CD variable of type Variable)" >&2
  exit 1
fi
if [ $# -eq 0 ]; then
  echo "usage: EDGESHIP_DEPLOY_KEY=<private key> bash pipelines/with-deploy-key.sh <command> [args...]" >&2
  exit 2
fi

# A socket in a fresh 0700 directory: no other user on the runner can talk to this agent.
socket_dir="$(mktemp -d)"
export SSH_AUTH_SOCK="$socket_dir/agent.sock"
eval "$(ssh-agent -s -a "$SSH_AUTH_SOCK")" >/dev/null
# EXIT covers success, failure and the signals below: the agent and its key go with this script.
trap 'ssh-agent -k >/dev/null 2>&1 || true; rm -rf "$socket_dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# printf is a builtin, so the key never appears in a process list; a pipe, unlike a here-string in
# older bash, never touches the disk.
printf '%s\n' "$EDGESHIP_DEPLOY_KEY" | ssh-add -q -
# The command needs the agent, not the key: nothing it starts inherits the key in its environment.
unset EDGESHIP_DEPLOY_KEY

"$@"
