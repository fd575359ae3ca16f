#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Switches a service to a release and (re)starts its unit, in the order systemd needs, in one module run.

One AnsibleModule that runs systemctl through `module.run_command` (~136 KB on the wire) instead of the
systemd module, which costs 300 KB per run and would take several. The steps are the ones the role used to spread over handlers and tasks: reload unit
files, hand the port to the socket unit, swap the `current` symlink atomically, (re)start the unit.
"""

DOCUMENTATION = r"""
module: edge_release_activate
short_description: Swaps the current symlink and (re)starts an edgeship unit
description:
  - Writes the release's environment file, reloads systemd, hands the port to the socket unit, swaps the
    C(current) symlink by one rename and (re)starts the unit, in that order, in one module run.
options:
  link: {description: The C(current) symlink., type: path, required: true}
  release_dir: {description: Release it must point to., type: path, required: true}
  unit: {description: The service unit., type: str, required: true}
  socket: {description: The socket unit to listen through when C(hand_over_port)., type: str, default: ''}
  daemon_reload: {description: Reload unit files first., type: bool, default: false}
  hand_over_port: {description: Stop the unit and (re)start the socket unit, which then holds the port., type: bool, default: false}
  restart: {description: Restart even when the link did not change (a changed unit file)., type: bool, default: false}
  environment_file:
    description: File name, inside C(release_dir), of the unit's EnvironmentFile (written 0600 root); empty leaves it alone.
    type: str
    default: ''
  environment: {description: Content of C(environment_file) (systemd EnvironmentFile syntax)., type: str, default: ''}
author: edgeship
"""

EXAMPLES = r"""
- name: Switch to the release and restart the unit (binary delivery, new socket unit)
  edge_release_activate:
    link: /opt/edgeship/hello-edge/current
    release_dir: /opt/edgeship/hello-edge/releases/1.2.0-ba9876543210
    unit: edgeship-hello-edge.service
    socket: edgeship-hello-edge.socket
    daemon_reload: true
    hand_over_port: true
    restart: true
    environment_file: service.env
    environment: "LOG_LEVEL=\"info\"\n"
"""

RETURN = r"""
switched: {description: Whether the symlink changed., type: bool}
restarted: {description: Whether the unit was restarted (or started from stopped)., type: bool}
environment_changed: {description: Whether C(environment_file) was (re)written (the unit then restarts)., type: bool}
"""

import os

from ansible.module_utils.basic import AnsibleModule


class SystemctlError(Exception):
    pass


class Systemctl(object):
    """systemctl through AnsibleModule.run_command: a failure raises with systemctl's own words."""

    def __init__(self, run_command):
        self.run_command = run_command

    def __call__(self, *args):
        rc, out, err = self.run_command(["systemctl"] + list(args))
        if rc != 0:
            raise SystemctlError("systemctl %s failed (%d): %s" % (" ".join(args), rc, err.strip()))
        return out.strip()

    def is_active(self, unit):
        return self.run_command(["systemctl", "is-active", "--quiet", unit])[0] == 0


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


def write_environment(release_dir, file_name, content):
    """Writes the release's EnvironmentFile, 0600 root, in one rename; False when it already holds content.

    systemd reads it as root before it starts the service (DynamicUser included), so nobody else needs to read
    it: the values may be secrets. The file is 0600 from its creation on, never readable by others meanwhile.
    """
    if "/" in file_name or file_name.startswith("."):
        raise OSError("bad environment file name %r" % file_name)
    path = os.path.join(release_dir, file_name)
    data = content.encode("utf-8")
    if os.path.isfile(path) and not os.path.islink(path):
        stat = os.stat(path)
        with open(path, "rb") as handle:
            if stat.st_mode & 0o7777 == 0o600 and stat.st_uid == 0 and handle.read() == data:
                return False
    temporary = path + ".edgeship-tmp"
    if os.path.lexists(temporary):
        os.unlink(temporary)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        os.fchown(handle.fileno(), 0, 0)
        os.fchmod(handle.fileno(), 0o600)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(temporary, path)
    return True


ARGUMENT_SPEC = dict(
    link=dict(type="path", required=True),
    release_dir=dict(type="path", required=True),
    unit=dict(type="str", required=True),
    socket=dict(type="str", default=""),
    daemon_reload=dict(type="bool", default=False),
    hand_over_port=dict(type="bool", default=False),
    restart=dict(type="bool", default=False),
    environment_file=dict(type="str", default=""),
    environment=dict(type="str", default="", no_log=True),
)


def activate(args, systemctl):
    """Returns (switched, restarted, environment_changed)."""
    unit = args["unit"]
    if not os.path.isdir(args["release_dir"]):
        raise SystemctlError("release %s is not on the node" % args["release_dir"])
    # Before the switch: the unit reads the environment of whatever `current` points to.
    environment_changed = bool(args["environment_file"]) and write_environment(
        args["release_dir"], args["environment_file"], args["environment"])
    if args["daemon_reload"]:
        systemctl("daemon-reload")
    if args["hand_over_port"] and args["socket"]:
        systemctl("stop", unit)
        systemctl("enable", "--quiet", args["socket"])
        systemctl("restart", args["socket"])
    switched = swap_link(args["link"], args["release_dir"])
    systemctl("enable", "--quiet", unit)
    was_active = systemctl.is_active(unit)
    restart = switched or environment_changed or args["restart"] or args["hand_over_port"]
    systemctl("restart" if restart else "start", unit)
    return switched, restart or not was_active, environment_changed


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=False)
    try:
        switched, restarted, environment_changed = activate(module.params, Systemctl(module.run_command))
    except (OSError, SystemctlError) as error:
        module.fail_json(msg=str(error))
    module.exit_json(changed=switched or restarted or environment_changed, switched=switched,
                     restarted=restarted, environment_changed=environment_changed)


if __name__ == "__main__":
    main()
