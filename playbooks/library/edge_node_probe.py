#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Reads everything a deploy needs to know about a node, for every service, in one module run.

A lean module (jsonargs, standard library only): Ansible sends it as 10 KB of source instead of a 130 KB
AnsiballZ payload, which matters on metered links (bench/results/deploy.md), and it starts faster on a
QEMU-emulated node. It answers the deploy's first questions (architecture, systemd, rsync, podman) and,
per service, what runs there: the deploy decides from this alone whether a node already runs the release.
"""

DOCUMENTATION = r"""
module: edge_node_probe
short_description: Architecture, tools and the state of every edgeship service on a node
description:
  - Reads the node's machine name, whether systemd runs, whether rsync and podman work, and per service
    its C(current) release, kept releases, staging leftovers, unit state, the sha1 of its unit files and of
    its current release's environment file, and what C(/healthz) and C(/version) answer on 127.0.0.1. Lists
    the current artifacts of every service as delta bases. Never changes anything.
options:
  install_root:
    description: Where services live (C(/opt/edgeship)).
    type: path
    required: true
  services:
    description: Services to read, each C({name, port}).
    type: list
    required: true
  podman:
    description: podman binary to try (C(podman info)); empty skips the check.
    type: str
    default: ''
  timeout:
    description: Seconds each HTTP probe may take.
    type: int
    default: 3
  history:
    description: How many of the last records of each service's C(history.jsonl) to return (C(status --history)).
    type: int
    default: 1
author: edgeship
"""

EXAMPLES = r"""
- name: Read the node and every service's state on it in one module run
  edge_node_probe:
    install_root: /opt/edgeship
    services:
      - {name: hello-edge, port: 8101}
      - {name: telemetry-gateway, port: 8102}
    podman: /usr/bin/podman   # empty: do not ask podman (it takes seconds)
    history: 5
  register: _edge_deploy_probe
"""

RETURN = r"""
machine:
  description: Kernel architecture (C(uname -m)).
  type: str
systemd:
  description: Whether systemd is the running service manager.
  type: bool
rsync:
  description: Whether rsync is installed (delta transfers need it).
  type: bool
podman:
  description: C({ok, error}) of C(podman info), when asked.
  type: dict
services:
  description: >-
    Per service name, C({current, releases, staging, unit_active, since, release_env, history, unit_sha1,
    socket_sha1, environment_sha1, healthz, version}); each of C(releases) is C({name, path, mtime, env}), newest
    first, C(env) its C(release.env). C(since) is when the unit became active, or entered its
    state when it is not active (C(@<unix seconds>)), C(release_env) the current release's C(release.env),
    C(history) the last records of its C(history.jsonl).
  type: dict
delta_bases:
  description: Current artifacts of every service on the node, by kind (C(binary), C(image)), largest first.
  type: dict
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request

# Ansible writes the task's arguments, as JSON, over the marker below (its "jsonargs" module style), and then
# pipelines the module: one SSH session a run, where a WANT_JSON module takes five (temp dir, two uploads,
# chmod, run), a second more per run on a QEMU-emulated node (playbooks/README.md). JSON never holds three
# quotes in a row, so the raw string always closes where it should.
ARGUMENTS = r"""<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>"""


NAME = re.compile(r"^[a-z][a-z0-9-]*\Z")  # \Z: $ would let a trailing newline into a path


def sha1_of(path):
    if not os.path.isfile(path):
        return ""
    with open(path, "rb") as handle:
        return hashlib.sha1(handle.read()).hexdigest()


def list_releases(releases_dir):
    if not os.path.isdir(releases_dir):
        return [], []
    releases, staging = [], []
    for name in os.listdir(releases_dir):
        path = os.path.join(releases_dir, name)
        if name.startswith(".staging-"):
            staging.append(path)
        # Other dot names are not releases; a release is a real directory (never a link).
        elif not name.startswith(".") and os.path.isdir(path) and not os.path.islink(path):
            releases.append(dict(name=name, path=path, mtime=os.stat(path).st_mtime))
    return sorted(releases, key=lambda release: release["mtime"], reverse=True), sorted(staging)


def unit_state(unit):
    """(state, since) in one systemctl call: the state a deploy decides from and, for `status`, when the unit
    became active (ActiveEnterTimestamp) or, when it is not active, when it entered that state.
    --timestamp=unix (systemd 248+) gives "@<seconds>"; older systemd prints its local format, passed on."""
    properties = "--property=ActiveState,ActiveEnterTimestamp,StateChangeTimestamp"
    values = {}
    for extra in (["--timestamp=unix"], []):
        try:
            run = subprocess.run(["systemctl", "show", properties] + extra + [unit],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            break
        if run.returncode == 0:
            values = dict(line.split("=", 1) for line in run.stdout.decode().splitlines() if "=" in line)
            break
    state = values.get("ActiveState") or "unknown"
    since = values.get("ActiveEnterTimestamp" if state == "active" else "StateChangeTimestamp", "")
    return state, since


def read_signed_record(release_dir):
    """The signed build record a release was deployed from (a few kilobytes), for a rollback to verify."""
    found = {}
    for key, name in (("record", "build.json"), ("signature", "build.json.sig")):
        try:
            with open(os.path.join(release_dir, name)) as handle:
                found[key] = handle.read(65536)
        except OSError:
            return {}
    return found


def read_release_env(release_dir):
    """KEY=value lines edge_release_commit wrote beside the artifact (version, delivery, arch, ...)."""
    values = {}
    try:
        with open(os.path.join(release_dir, "release.env")) as handle:
            for line in handle:
                if "=" in line:
                    key, value = line.rstrip("\n").split("=", 1)
                    values[key] = value
    except OSError:
        pass
    return values


def read_history(path, count):
    """The last `count` records of history.jsonl (appended by edge_health_gate); a torn line is skipped."""
    if count <= 0 or not os.path.isfile(path):
        return []
    with open(path, "rb") as handle:
        # Only the tail: the file grows with every deploy, the probe must not.
        handle.seek(max(os.path.getsize(path) - 64 * 1024, 0))
        lines = handle.read().decode("utf-8", "replace").splitlines()
    records = []
    for line in reversed(lines):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
        if len(records) == count:
            break
    return list(reversed(records))


def http_get(url, timeout):
    """(status, body text); status 0 when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (OSError, ValueError):
        return 0, ""


def read_version(port, timeout):
    healthz, _ = http_get("http://127.0.0.1:%d/healthz" % port, timeout)
    if healthz != 200:
        return healthz, ""
    status, body = http_get("http://127.0.0.1:%d/version" % port, timeout)
    try:
        version = json.loads(body).get("version", "") if status == 200 else ""
    except (ValueError, AttributeError):
        version = ""
    return healthz, str(version)


def read_service(root, name, port, timeout, history):
    service_root = os.path.join(root, name)
    link = os.path.join(service_root, "current")
    current = os.path.realpath(link) if os.path.islink(link) else ""
    releases, staging = list_releases(os.path.join(service_root, "releases"))
    # What each kept release is (version, delivery, sha256, image): a rollback switches to one of them and
    # renders the unit for its delivery; `status` names them. A few hundred bytes each.
    for release in releases:
        release["env"] = read_release_env(release["path"])
        release.update(read_signed_record(release["path"]))
    state, since = unit_state("edgeship-%s.service" % name)
    # Only a running unit is asked: a stopped one would be started by its socket unit.
    healthz, version = read_version(port, timeout) if state == "active" else (0, "")
    return dict(
        current=current,
        current_name=os.path.basename(current),
        releases=releases,
        staging=staging,
        unit_active=state,
        since=since,
        release_env=read_release_env(current) if current else {},
        history=read_history(os.path.join(service_root, "history.jsonl"), history),
        unit_sha1=sha1_of("/etc/systemd/system/edgeship-%s.service" % name),
        socket_sha1=sha1_of("/etc/systemd/system/edgeship-%s.socket" % name),
        # Read here, as root, and compared with the controller's rendering: the values never leave the node.
        environment_sha1=sha1_of(os.path.join(link, "service.env")) if current else "",
        healthz=healthz,
        version=version,
    )


def list_delta_bases(root):
    """Every service's current executable and image archive: they share the Node.js runtime and base layers."""
    bases = dict(binary=[], image=[])
    if not os.path.isdir(root):
        return bases
    for name in sorted(os.listdir(root)):
        current = os.path.join(root, name, "current")
        for kind, file_name in (("binary", name), ("image", "image.tar")):
            path = os.path.join(current, file_name)
            if NAME.match(name) and os.path.isfile(path) and not os.path.islink(path):
                bases[kind].append(dict(path=os.path.realpath(path), size=os.path.getsize(path), service=name))
    for kind in bases:
        bases[kind].sort(key=lambda base: base["size"], reverse=True)
    return bases


def probe_podman(binary):
    try:
        run = subprocess.run([binary, "info", "--format", "{{.Host.OCIRuntime.Name}}"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return dict(ok=False, error=str(error))
    return dict(ok=run.returncode == 0, error=run.stderr.decode("utf-8", "replace").strip()[-300:])


def main():
    args = json.loads(ARGUMENTS)
    root = args["install_root"]
    timeout = int(args.get("timeout", 3))
    history = int(args.get("history", 1))
    services = {}
    for service in args["services"]:
        name = str(service["name"])
        if not NAME.match(name):
            print(json.dumps(dict(failed=True, msg="service name %r is not kebab-case" % name)))
            sys.exit(1)
        services[name] = read_service(root, name, int(service["port"]), timeout, history)
    result = dict(
        changed=False,
        machine=os.uname().machine,
        systemd=os.path.isdir("/run/systemd/system"),
        rsync=shutil.which("rsync") is not None,
        services=services,
        delta_bases=list_delta_bases(root),
    )
    if args.get("podman"):
        result["podman"] = probe_podman(args["podman"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
