#!/usr/bin/python3
# -*- coding: utf-8 -*-
# WANT_JSON
"""Switches a service to a release and (re)starts its unit, in the order systemd needs, in one module run.

Lean (WANT_JSON, standard library only), see edge_release_stage: the systemd module alone costs 300 KB
on the wire per run. The steps are the ones the role used to spread over handlers and tasks: reload unit
files, hand the port to the socket unit, swap the `current` symlink atomically, (re)start the unit.
"""

DOCUMENTATION = r"""
module: edge_release_activate
short_description: Swaps the current symlink and (re)starts an edgeship unit
options:
  link: {description: The C(current) symlink., type: path, required: true}
  release_dir: {description: Release it must point to., type: path, required: true}
  unit: {description: The service unit., type: str, required: true}
  socket: {description: The socket unit to listen through when C(hand_over_port)., type: str, default: ''}
  daemon_reload: {description: Reload unit files first., type: bool, default: false}
  hand_over_port: {description: Stop the unit and (re)start the socket unit, which then holds the port., type: bool, default: false}
  restart: {description: Restart even when the link did not change (a changed unit file)., type: bool, default: false}
author: edgeship
"""

RETURN = r"""
switched: {description: Whether the symlink changed., type: bool}
restarted: {description: Whether the unit was restarted (or started from stopped)., type: bool}
"""

import json
import os
import subprocess
import sys


class SystemctlError(Exception):
    pass


def systemctl(*args):
    run = subprocess.run(("systemctl",) + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if run.returncode != 0:
        raise SystemctlError("systemctl %s failed (%d): %s" % (" ".join(args), run.returncode,
                                                               run.stderr.decode("utf-8", "replace").strip()))
    return run.stdout.decode().strip()


def is_active(unit):
    return subprocess.run(["systemctl", "is-active", "--quiet", unit]).returncode == 0


def swap_link(link, target):
    """Point link at target by renaming a fresh symlink over it: readers never see it missing."""
    if os.path.islink(link) and os.readlink(link) == target:
        return False
    temporary = link + ".edgeship-tmp"
    if os.path.lexists(temporary):
        os.unlink(temporary)
    os.symlink(target, temporary)
    os.rename(temporary, link)
    return True


def main():
    with open(sys.argv[1]) as handle:
        args = json.load(handle)
    unit = args["unit"]
    try:
        if not os.path.isdir(args["release_dir"]):
            raise SystemctlError("release %s is not on the node" % args["release_dir"])
        if args.get("daemon_reload"):
            systemctl("daemon-reload")
        if args.get("hand_over_port") and args.get("socket"):
            systemctl("stop", unit)
            systemctl("enable", "--quiet", args["socket"])
            systemctl("restart", args["socket"])
        switched = swap_link(args["link"], args["release_dir"])
        systemctl("enable", "--quiet", unit)
        was_active = is_active(unit)
        restart = switched or bool(args.get("restart")) or bool(args.get("hand_over_port"))
        systemctl("restart" if restart else "start", unit)
    except (OSError, SystemctlError) as error:
        print(json.dumps(dict(failed=True, msg=str(error))))
        sys.exit(1)
    restarted = restart or not was_active
    print(json.dumps(dict(changed=switched or restarted, switched=switched, restarted=restarted)))


if __name__ == "__main__":
    main()
