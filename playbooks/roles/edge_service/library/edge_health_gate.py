#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""The health gate of a release, run on the node in one module run.

Polling in one process keeps the timeout a real timeout: with `uri` + `until`, every attempt is a new
module run, which alone takes seconds on a QEMU-emulated node. Lean (see edge_release_stage): Python's
standard library only, the arguments written into ARGUMENTS by ansible-core, so the run is pipelined and
skips AnsiballZ and AnsibleModule's imports (the one module every switched node runs, twice on a rollback).
The pull agent (edgeship_pull.py) imports the same functions.
"""

DOCUMENTATION = r"""
module: edge_health_gate
short_description: Waits for /healthz and the expected /version, then holds a stability window
description:
  - Polls C(<url>/healthz) for 200 and C(<url>/version) for the expected version until both answer or the
    timeout passes; then, when C(stability_window) > 0, checks the unit keeps its main process, gains no
    restart and keeps answering /healthz for that long. Changes nothing but the service's history file, to
    which it appends the outcome when C(history_file) is set.
options:
  url:
    description: Base URL of the service on the node, e.g. C(http://127.0.0.1:8101).
    type: str
    required: true
  version:
    description: Version /version must report; empty accepts any (a rollback's health check).
    type: str
    default: ''
  unit:
    description: systemd unit running the service.
    type: str
    required: true
  timeout:
    description: Seconds /healthz and /version get to answer.
    type: int
    default: 60
  interval:
    description: Seconds between probes.
    type: int
    default: 2
  stability_window:
    description: Seconds the unit must stay up unrestarted and healthy after the gate opened; 0 skips it.
    type: int
    default: 0
  history_file:
    description: >-
      The service's C(history.jsonl); when set, the gate appends C(history) to it with C(at) and C(outcome)
      (C(healthy) or C(unhealthy) and the C(error)). Empty appends nothing.
    type: path
    default: ''
  history:
    description: The record to append, e.g. C({action, from, to, by}).
    type: dict
    default: {}
  history_before:
    description: >-
      Records appended before this gate's own, as given (with C(at)): the rollback's gate records the deploy
      that failed before its health gate ran (a unit that did not start), so that deploy is not missing.
    type: list
    default: []
  unit_backup:
    description: >-
      The unit file edge_release_activate kept for a rollback (C(<unit file>.<pid>.<time>~)); removed once the
      gate passes, so no task of its own runs on every node for it. Empty removes nothing.
    type: path
    default: ''
author: edgeship
"""

EXAMPLES = r"""
- name: Pass the health gate and record the switch in the node's history
  edge_health_gate:
    url: http://127.0.0.1:8101
    version: 1.2.0
    unit: edgeship-hello-edge.service
    timeout: 60
    interval: 2
    stability_window: 10
    history_file: /opt/edgeship/hello-edge/history.jsonl
    history: {action: deploy, by: ci@runner, from: 1.1.0-0123456789ab, to: 1.2.0-ba9876543210}
  register: _edge_service_gate
"""

RETURN = r"""
version:
  description: What /version answered last.
  type: dict
  returned: always
seconds_to_healthy:
  description: Seconds until /healthz and /version both passed.
  type: float
  returned: success
"""

import json
import os
import subprocess
import sys
import time
from urllib.error import HTTPError, URLError
from urllib.request import HTTPRedirectHandler, ProxyHandler, build_opener

ARGUMENTS = r"""<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>"""


class NoRedirects(HTTPRedirectHandler):
    """A redirect is an answer of its own (its status is what the gate reports), not a place to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


# No proxy: the service listens on the node's loopback. Standard library only, so the pull agent shares the gate.
OPENER = build_opener(ProxyHandler({}), NoRedirects())


class GateFailed(Exception):
    def __init__(self, msg, version):
        super().__init__(msg)
        self.version = version


def probe(url):
    """(status, parsed JSON or None, error text)."""
    try:
        with OPENER.open(url, timeout=5) as response:
            body = response.read()
            return response.getcode(), json.loads(body or b"null"), ""
    except HTTPError as error:
        return error.code, None, "HTTP %s" % error.code
    except (URLError, OSError, ValueError) as error:
        return 0, None, str(getattr(error, "reason", error))


def run_command(args):
    """(exit code, stdout, stderr) of a command, as text."""
    run = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return run.returncode, run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")


def read_unit(run_command, unit):
    """ActiveState, MainPID and NRestarts of the unit, through run_command (the one above, or a test's)."""
    rc, out, err = run_command(["systemctl", "show", "--property=ActiveState,MainPID,NRestarts", unit])
    if rc != 0:
        raise GateFailed("systemctl show %s failed (%d): %s" % (unit, rc, err.strip()), {})
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def wait_until_healthy(params, started):
    deadline = started + params["timeout"]
    last = dict(healthz="not probed", version=None)
    while True:
        status, _, error = probe(params["url"] + "/healthz")
        last["healthz"] = status if status else error
        if status == 200:
            status, body, error = probe(params["url"] + "/version")
            last["version"] = body if body is not None else error
            wanted = params["version"]
            if status == 200 and isinstance(body, dict) and (not wanted or body.get("version") == wanted):
                return body
        if time.time() >= deadline:
            raise GateFailed(
                "no healthy %s within %ss: /healthz answered %s, /version answered %s"
                % (params["version"] or "release", params["timeout"], last["healthz"], json.dumps(last["version"])),
                last["version"] if isinstance(last["version"], dict) else {},
            )
        time.sleep(params["interval"])


def hold_stability_window(params, version, run_command):
    before = read_unit(run_command, params["unit"])
    deadline = time.time() + params["stability_window"]
    while time.time() < deadline:
        time.sleep(min(params["interval"], max(deadline - time.time(), 0)))
        status, _, error = probe(params["url"] + "/healthz")
        after = read_unit(run_command, params["unit"])
        changed = [key for key in ("MainPID", "NRestarts") if after.get(key) != before.get(key)]
        if status != 200 or after.get("ActiveState") != "active" or changed:
            raise GateFailed(
                "%s did not stay up for %ss: /healthz answered %s, state %s, main PID %s -> %s, restarts %s -> %s"
                % (params["unit"], params["stability_window"], status or error, after.get("ActiveState"),
                   before.get("MainPID"), after.get("MainPID"), before.get("NRestarts"), after.get("NRestarts")),
                version,
            )


# A node keeps its history bounded: past this size the oldest records go when the next one is appended.
HISTORY_MAX_BYTES = 256 * 1024
HISTORY_KEEP_RECORDS = 500


def append_history(path, record, error, before=(), outcome=None):
    """Appends one JSON line where the outcome of a switch is known: this gate. The deploy's gate and the
    rollback's gate both run here, so every release switch leaves one record, and no extra task (or round
    trip) is spent on it. A history that cannot be written does not change the gate's verdict."""
    if not path:
        return ""
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    entry = dict(record, at=at, outcome=outcome or ("unhealthy" if error else "healthy"))
    if error:
        entry["error"] = error[:300]
    entries = [dict(earlier, at=at) for earlier in before if isinstance(earlier, dict)] + [entry]
    try:
        if os.path.isfile(path) and os.path.getsize(path) > HISTORY_MAX_BYTES:
            with open(path) as handle:
                kept = handle.readlines()[-HISTORY_KEEP_RECORDS:]
            with open(path + ".tmp", "w") as handle:
                handle.writelines(kept)
            os.rename(path + ".tmp", path)
        with open(path, "a+b") as handle:
            # A node killed mid-append leaves a torn last line: start on a line of our own.
            size = handle.seek(0, os.SEEK_END)
            torn = False
            if size > 0:
                handle.seek(size - 1)
                torn = handle.read(1) != b"\n"
            lines = "".join(json.dumps(each, sort_keys=True) + "\n" for each in entries)
            handle.write((("\n" if torn else "") + lines).encode())
        return ""
    except OSError as failure:
        return "history not written: %s" % failure


# Each argument's type and default; no default: required. Ansible's templating hands numbers over as text.
ARGUMENT_SPEC = dict(
    url=(str, None),
    version=(str, ""),
    unit=(str, None),
    timeout=(int, 60),
    interval=(int, 2),
    stability_window=(int, 0),
    history_file=(str, ""),
    history=(dict, {}),
    history_before=(list, []),
    unit_backup=(str, ""),
)


def read_arguments(given):
    """The arguments (Ansible's JSON, parsed) typed and defaulted by ARGUMENT_SPEC; ValueError names the first
    that is wrong."""
    missing = sorted(name for name, (_, default) in ARGUMENT_SPEC.items()
                     if default is None and given.get(name) is None)
    if missing:
        raise ValueError("missing required arguments: %s" % ", ".join(missing))
    params = {}
    for name, (kind, default) in ARGUMENT_SPEC.items():
        value = given.get(name)
        value = default if value is None else value
        if kind in (dict, list):
            if not isinstance(value, kind):
                raise ValueError("argument %s is %r, not a %s" % (name, value, kind.__name__))
        else:
            try:
                value = kind(value)
            except (TypeError, ValueError):
                raise ValueError("argument %s is %r, not %s" % (name, value, "an integer" if kind is int else "text"))
        params[name] = value
    return params


def is_unit_backup(path, unit):
    """Whether path names a backup edge_release_activate keeps of the unit's file (and not a symlink): the only
    file this module ever removes."""
    name = os.path.basename(path)
    return name.startswith(unit + ".") and name.endswith("~") and not os.path.islink(path)


def remove_unit_backup(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def finish(failed, **result):
    print(json.dumps(dict(result, changed=False, failed=failed)))
    sys.exit(1 if failed else 0)


def main():
    try:
        given = json.loads(ARGUMENTS)
        params = read_arguments(given)
    except ValueError as error:
        finish(True, msg="edge_health_gate: %s" % error)
    if params["unit_backup"] and not is_unit_backup(params["unit_backup"], params["unit"]):
        finish(True, msg="edge_health_gate: unit_backup %s is not a backup of %s's unit file"
               % (params["unit_backup"], params["unit"]))
    # What an AnsibleModule without check-mode support does: nothing (the gate would append to the history).
    if given.get("_ansible_check_mode"):
        finish(False, skipped=True, msg="the health gate does not run in check mode")
    started = time.time()
    try:
        version = wait_until_healthy(params, started)
        seconds_to_healthy = round(time.time() - started, 1)
        if params["stability_window"] > 0:
            hold_stability_window(params, version, run_command)
    except GateFailed as failure:
        warning = append_history(params["history_file"], params["history"], str(failure), params["history_before"])
        finish(True, msg=str(failure), version=failure.version, history_warning=warning)
    warning = append_history(params["history_file"], params["history"], "", params["history_before"])
    if params["unit_backup"]:
        remove_unit_backup(params["unit_backup"])
    # changed stays false: the record describes a switch that edge_release_activate made (and reported).
    finish(False, version=version, seconds_to_healthy=seconds_to_healthy, history_warning=warning)


if __name__ == "__main__":
    main()
