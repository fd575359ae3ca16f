#!/usr/bin/python3
# -*- coding: utf-8 -*-
# WANT_JSON
"""The health gate of a release, run on the node in one module run.

Polling in one process keeps the timeout a real timeout: with `uri` + `until`, every attempt is a new
module run, which alone takes seconds on a QEMU-emulated node. Lean (WANT_JSON, standard library only,
see edge_release_stage): a few KB on the wire instead of an AnsiballZ payload.
"""

DOCUMENTATION = r"""
module: edge_health_gate
short_description: Waits for /healthz and the expected /version, then holds a stability window
description:
  - Polls C(<url>/healthz) for 200 and C(<url>/version) for the expected version until both answer or the
    timeout passes; then, when C(stability_window) > 0, checks the unit keeps its main process, gains no
    restart and keeps answering /healthz for that long. Never changes anything.
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
author: edgeship
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
import subprocess
import sys
import time
from urllib.error import HTTPError, URLError
from urllib.request import urlopen


class GateFailed(Exception):
    def __init__(self, msg, version):
        super().__init__(msg)
        self.version = version


def probe(url):
    """(status, parsed JSON or None, error text)."""
    try:
        response = urlopen(url, timeout=5)
        body = response.read()
        return response.getcode(), json.loads(body or b"null"), ""
    except HTTPError as error:
        return error.code, None, "HTTP %s" % error.code
    except (URLError, OSError, ValueError) as error:
        return 0, None, str(getattr(error, "reason", error))


def read_unit(unit):
    output = subprocess.check_output(
        ["systemctl", "show", "--property=ActiveState,MainPID,NRestarts", unit], universal_newlines=True
    )
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)


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


def hold_stability_window(params, version):
    before = read_unit(params["unit"])
    deadline = time.time() + params["stability_window"]
    while time.time() < deadline:
        time.sleep(min(params["interval"], max(deadline - time.time(), 0)))
        status, _, error = probe(params["url"] + "/healthz")
        after = read_unit(params["unit"])
        changed = [key for key in ("MainPID", "NRestarts") if after.get(key) != before.get(key)]
        if status != 200 or after.get("ActiveState") != "active" or changed:
            raise GateFailed(
                "%s did not stay up for %ss: /healthz answered %s, state %s, main PID %s -> %s, restarts %s -> %s"
                % (params["unit"], params["stability_window"], status or error, after.get("ActiveState"),
                   before.get("MainPID"), after.get("MainPID"), before.get("NRestarts"), after.get("NRestarts")),
                version,
            )


def read_params(path):
    with open(path) as handle:
        args = json.load(handle)
    params = dict(url=str(args["url"]), version=str(args.get("version") or ""), unit=str(args["unit"]))
    for key, default in (("timeout", 60), ("interval", 2), ("stability_window", 0)):
        params[key] = int(args.get(key, default))
    return params


def main():
    params = read_params(sys.argv[1])
    started = time.time()
    try:
        version = wait_until_healthy(params, started)
        seconds_to_healthy = round(time.time() - started, 1)
        if params["stability_window"] > 0:
            hold_stability_window(params, version)
    except GateFailed as failure:
        print(json.dumps(dict(failed=True, msg=str(failure), version=failure.version)))
        sys.exit(1)
    print(json.dumps(dict(changed=False, version=version, seconds_to_healthy=seconds_to_healthy)))


if __name__ == "__main__":
    main()
