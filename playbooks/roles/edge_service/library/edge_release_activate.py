#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Writes a service's unit files, switches it to a release and (re)starts its unit, in one module run.

One lean module (jsonargs, standard library only, see edge_release_stage) that runs systemctl itself, instead
of the template, file and systemd modules: each of those is an AnsiballZ run of its own (template alone is two,
stat then copy), seconds apiece on a QEMU-emulated node. Lean, it also skips AnsiballZ's ~136 KB payload and
AnsibleModule's imports, which every switched node paid (0.11-0.15 s of wall time against 0.04-0.05 s for this
module's imports on an amd64 node, measured by hand; the other lean modules saved about a second per run under
QEMU). The steps are the ones the role used to spread over tasks: write the unit files (the old service unit
kept for a rollback), take away a socket unit the delivery no longer uses, reload unit files, hand the port to
the socket unit, swap the `current` symlink atomically, (re)start the unit.
"""

DOCUMENTATION = r"""
module: edge_release_activate
short_description: Writes an edgeship unit, swaps the current symlink and (re)starts the unit
description:
  - Writes the service unit and the socket unit where the node's differ (atomically, 0644 root, the old service
    unit kept beside it as a backup), stops, disables and removes a socket unit the delivery no longer uses,
    writes the release's environment file, reloads systemd, hands the port to the socket unit, swaps the
    C(current) symlink by one rename and (re)starts the unit, in that order, in one module run.
  - A unit or socket unit written or removed reloads systemd and restarts the unit; a socket unit written also
    hands it the port. On failure the result still carries C(unit_backup), so a rollback can put the old unit back.
options:
  link: {description: The C(current) symlink., type: path, required: true}
  release_dir: {description: Release it must point to., type: path, required: true}
  unit: {description: The service unit., type: str, required: true}
  unit_path:
    description: The service unit's file, directly in /etc/systemd/system and named C(unit); written with C(unit_content).
    type: str
  unit_content: {description: The service unit's content (a str); needs C(unit_path)., type: raw}
  socket: {description: The socket unit, listened through when C(hand_over_port) or written; removed when C(socket_state=absent)., type: str, default: ''}
  socket_path:
    description: The socket unit's file, directly in /etc/systemd/system and named C(socket).
    type: str
  socket_state:
    description:
      - C(present) writes C(socket_content) to C(socket_path) where it differs.
      - C(absent) stops and disables C(socket) and deletes C(socket_path) where the file exists (a socket unit an
        earlier binary delivery left would hold a container's port).
      - Unset leaves the socket unit alone.
    type: str
    choices: [present, absent]
  socket_content: {description: The socket unit's content (a str); with C(socket_state=present)., type: raw}
  daemon_reload: {description: Reload unit files even when no unit file changed here., type: bool, default: false}
  hand_over_port:
    description: Stop the unit and (re)start the socket unit, which then holds the port, even when the socket unit was not written here.
    type: bool
    default: false
  restart: {description: Restart even when nothing here changed (a unit file changed by another task)., type: bool, default: false}
  environment_file:
    description: File name, inside C(release_dir), of the unit's EnvironmentFile (written 0600 root); empty leaves it alone.
    type: str
    default: ''
  environment: {description: Content of C(environment_file) (systemd EnvironmentFile syntax)., type: str, default: ''}
  health_gate:
    description:
      - edge_health_gate's arguments. The role's action plugin of this name (action_plugins/) runs the gate right
        after this module, in the same task, with C(stability_window) only when the unit was (re)started and
        C(unit_backup) from this module's result. With the task's C(async) the gate runs in the background.
      - Left out, the task is this module alone.
    type: dict
  report:
    description:
      - The action plugin's too. The name of the variable holding the service's report on the node; a gate passed in
        the foreground reports it healthy (set_stats C(edge_services), per node), templated only then.
      - Left out, or with the gate in the background, nothing is reported.
    type: str
  report_action:
    description: The action the report names when the switch (re)started the unit (C(already running) otherwise).
    type: str
    default: deployed
author: edgeship
"""

EXAMPLES = r"""
- name: Write the units, switch to the release and restart the unit (binary delivery)
  edge_release_activate:
    link: /opt/edgeship/hello-edge/current
    release_dir: /opt/edgeship/hello-edge/releases/1.2.0-ba9876543210
    unit: edgeship-hello-edge.service
    unit_path: /etc/systemd/system/edgeship-hello-edge.service
    unit_content: "{{ lookup('ansible.builtin.template', 'edge-service.service.j2') }}"
    socket: edgeship-hello-edge.socket
    socket_path: /etc/systemd/system/edgeship-hello-edge.socket
    socket_state: present
    socket_content: "{{ lookup('ansible.builtin.template', 'edge-service.socket.j2') }}"
    environment_file: service.env
    environment: "LOG_LEVEL=\"info\"\n"

- name: Switch back to a container release after a binary one (the socket unit goes)
  edge_release_activate:
    link: /opt/edgeship/hello-edge/current
    release_dir: /opt/edgeship/hello-edge/releases/1.1.0-0123456789ab
    unit: edgeship-hello-edge.service
    unit_path: /etc/systemd/system/edgeship-hello-edge.service
    unit_content: "{{ lookup('ansible.builtin.template', 'edge-service.service.j2') }}"
    socket: edgeship-hello-edge.socket
    socket_path: /etc/systemd/system/edgeship-hello-edge.socket
    socket_state: absent

- name: Switch to a release under unit files already in place, reloading and restarting
  edge_release_activate:
    link: /opt/edgeship/hello-edge/current
    release_dir: /opt/edgeship/hello-edge/releases/1.1.0-0123456789ab
    unit: edgeship-hello-edge.service
    daemon_reload: true
    restart: true
"""

RETURN = r"""
switched: {description: Whether the symlink changed., type: bool, returned: always}
restarted: {description: Whether the unit was restarted (or started from stopped)., type: bool, returned: always}
environment_changed: {description: Whether C(environment_file) was (re)written (the unit then restarts)., type: bool, returned: always}
unit_changed: {description: Whether C(unit_path) was written., type: bool, returned: always}
unit_backup:
  description:
    - The service unit as it was before this run, beside it (a name ending in C(~), which systemd ignores);
      empty when there was none or the unit did not change.
    - Returned on failure too, once the unit was replaced, so the old unit can be put back.
  type: str
  returned: always
socket_changed: {description: Whether C(socket_path) was written (the port was then handed over)., type: bool, returned: always}
socket_removed: {description: Whether the socket unit was stopped, disabled and deleted., type: bool, returned: always}
health_gate:
  description: >-
    edge_health_gate's result (in the background: its job, for async_status); the task fails with its message
    when the gate fails.
  type: dict
  returned: with health_gate, once the switch succeeded
activate_seconds: {description: Seconds the switch took before the gate began., type: float, returned: with health_gate}
ansible_stats:
  description: The healthy release's report (C(edge_services)), for C(report) and a gate passed in the foreground.
  type: dict
  returned: with report, once the gate passed in the foreground
"""

import json
import os
import subprocess
import sys
import time

# The task's arguments, written here by Ansible (jsonargs: pipelined, see edge_node_probe). The pull agent
# (edgeship_pull.py) imports this file for its functions and never runs main().
ARGUMENTS = r"""<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>"""

UNITS_DIR = "/etc/systemd/system"


class SystemctlError(Exception):
    pass


def run_command(args):
    """(exit code, stdout, stderr) of a command, as text; the locale is C, so systemctl's words are the same
    on every node."""
    run = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=dict(os.environ, LANG="C", LC_ALL="C", LC_MESSAGES="C"))
    return run.returncode, run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")


class Systemctl(object):
    """systemctl through run_command (the one above, or a test's): a failure raises with systemctl's own words."""

    def __init__(self, run_command):
        self.run_command = run_command

    def __call__(self, *args):
        rc, out, err = self.run_command(["systemctl"] + list(args))
        if rc != 0:
            raise SystemctlError("systemctl %s failed (%d): %s" % (" ".join(args), rc, err.strip()))
        return out.strip()

    def is_active(self, unit):
        return self.run_command(["systemctl", "is-active", "--quiet", unit])[0] == 0

    def enable(self, unit):
        """Enables the unit unless it already is: `systemctl enable` reloads the whole manager even when the
        links exist (systemd 252: all generators run and every unit is parsed again, about 0.4 s of a node's CPU,
        measured on an amd64 node; far more on a small ARM board or under QEMU), on every deploy."""
        rc, out, _ = self.run_command(["systemctl", "is-enabled", unit])
        if rc != 0 or out.strip() != "enabled":
            self("enable", "--quiet", unit)


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


def write_atomically(path, data, mode):
    """Writes data to path, owned by root with mode, by renaming a synced file from the same directory over it:
    systemd (or a node losing power) sees the old file or the new one, never a part."""
    temporary = path + ".edgeship-tmp"
    if os.path.lexists(temporary):
        os.unlink(temporary)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(descriptor, "wb") as handle:
        os.fchown(handle.fileno(), 0, 0)
        os.fchmod(handle.fileno(), mode)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(temporary, path)


def sync_directory(path):
    """Makes a rename or unlink in the directory durable."""
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


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
    write_atomically(path, data, 0o600)
    return True


def read_unit_file(path):
    """The unit file's bytes and whether it is a regular file 0644 root:root; (None, False) when there is none."""
    if not os.path.isfile(path) or os.path.islink(path):
        return None, False
    stat = os.stat(path)
    with open(path, "rb") as handle:
        data = handle.read()
    return data, stat.st_mode & 0o7777 == 0o644 and stat.st_uid == 0 and stat.st_gid == 0


def keep_backup(path, data):
    """Copies the old unit beside it under a new name (as Ansible's backup_local names it: ending in ~, which
    systemd ignores) and returns that name. A copy, not a hard link: if writing the new unit fails, `mv` of the
    backup over the unit must still work (mv refuses two names of one file)."""
    stem = "%s.%d.%s" % (path, os.getpid(), time.strftime("%Y-%m-%d@%H:%M:%S", time.localtime()))
    for attempt in range(100):
        backup = "%s%s~" % (stem, "" if attempt == 0 else "-%d" % attempt)
        try:
            descriptor = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return backup
    raise OSError("no free backup name for %s" % path)


def check_unit_files(args, units_dir=None):
    """Refuses unit files outside units_dir, not named after their unit, or with content that is not text."""
    units_dir = units_dir or UNITS_DIR
    files = [("unit_path", "unit_content", "unit")]
    if args.get("socket_state"):
        files.append(("socket_path", "socket_content" if args["socket_state"] == "present" else None, "socket"))
    elif args.get("socket_path") or args.get("socket_content") is not None:
        raise ValueError("socket_path and socket_content need socket_state (present or absent)")
    if args.get("socket_state") == "absent" and args.get("socket_content") is not None:
        raise ValueError("socket_content with socket_state=absent: the socket unit is removed, not written")
    for path_key, content_key, unit_key in files:
        path, content = args.get(path_key) or "", args.get(content_key) if content_key else None
        if not path:
            if content is not None or path_key == "socket_path":
                raise ValueError("%s is missing: it names the file %s is written to or removed from"
                                 % (path_key, content_key or unit_key))
            continue
        if content_key and not isinstance(content, str):
            raise ValueError("%s must be the unit file's text, not %s" % (content_key, type(content).__name__))
        if (not os.path.isabs(path) or os.path.normpath(path) != path
                or os.path.dirname(path) != units_dir or os.path.basename(path) != args.get(unit_key)):
            raise ValueError("%s %r must be %s/%s (the %s unit's file)"
                             % (path_key, path, units_dir, args.get(unit_key) or "<" + unit_key + ">", unit_key))


def new_result():
    return dict(switched=False, restarted=False, environment_changed=False, unit_changed=False, unit_backup="",
                socket_changed=False, socket_removed=False)


def replace_unit_file(path, content, on_replace=None):
    """Writes content to the unit file where the node's differs (or is not 0644 root:root); False when it already
    holds it. on_replace(old bytes) runs first when there was a file, to keep it."""
    data = content.encode("utf-8")
    old, is_in_place = read_unit_file(path)
    if old == data and is_in_place:
        return False
    if old is not None and on_replace:
        on_replace(old)
    write_atomically(path, data, 0o644)
    sync_directory(os.path.dirname(path))
    return True


def write_unit_files(args, systemctl, result):
    """Writes the service unit (keeping the old one) and the socket unit where they differ, or removes the
    socket unit; records each step in result as it happens, so a failure later still reports it."""
    if args.get("unit_path"):
        path = args["unit_path"]
        result["unit_changed"] = replace_unit_file(
            path, args["unit_content"], lambda old: result.update(unit_backup=keep_backup(path, old)))
    if args.get("socket_state") == "present":
        result["socket_changed"] = replace_unit_file(args["socket_path"], args["socket_content"])
    elif args.get("socket_state") == "absent" and os.path.lexists(args["socket_path"]):
        systemctl("stop", args["socket"])
        systemctl("disable", "--quiet", args["socket"])
        os.unlink(args["socket_path"])
        sync_directory(os.path.dirname(args["socket_path"]))
        result["socket_removed"] = True


def activate(args, systemctl, result=None, units_dir=None):
    """Runs the switch, filling result (new_result()) step by step, and returns it."""
    result = new_result() if result is None else result
    check_unit_files(args, units_dir)
    unit = args["unit"]
    if not os.path.isdir(args["release_dir"]):
        raise SystemctlError("release %s is not on the node" % args["release_dir"])
    write_unit_files(args, systemctl, result)
    units_changed = result["unit_changed"] or result["socket_changed"] or result["socket_removed"]
    # The unit that ran before may bind the port itself (an earlier release, or another port): stop it first.
    hand_over_port = bool(args["socket"]) and (args["hand_over_port"] or result["socket_changed"])
    # Before the switch: the unit reads the environment of whatever `current` points to.
    result["environment_changed"] = bool(args["environment_file"]) and write_environment(
        args["release_dir"], args["environment_file"], args["environment"])
    if args["daemon_reload"] or units_changed:
        systemctl("daemon-reload")
    if hand_over_port:
        systemctl("stop", unit)
        systemctl.enable(args["socket"])
        systemctl("restart", args["socket"])
    result["switched"] = swap_link(args["link"], args["release_dir"])
    systemctl.enable(unit)
    was_active = systemctl.is_active(unit)
    restart = (result["switched"] or result["environment_changed"] or args["restart"] or units_changed
               or hand_over_port)
    systemctl("restart" if restart else "start", unit)
    result["restarted"] = restart or not was_active
    return result


# name: (kind, default); a default of REQUIRED makes the argument required. "path" is text with ~ expanded,
# as AnsibleModule's path type; "str" is text checked as given (a unit file's name is never expanded); "raw" is
# whatever came (check_unit_files refuses anything but text by name).
REQUIRED = object()
ARGUMENT_SPEC = dict(
    link=("path", REQUIRED),
    release_dir=("path", REQUIRED),
    unit=("str", REQUIRED),
    unit_path=("str", None),
    unit_content=("raw", None),
    socket=("str", ""),
    socket_path=("str", None),
    socket_state=("str", None),
    socket_content=("raw", None),
    daemon_reload=("bool", False),
    hand_over_port=("bool", False),
    restart=("bool", False),
    environment_file=("str", ""),
    environment=("str", ""),
)
SOCKET_STATES = ("present", "absent")
TRUE, FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0", "")


def read_arguments(given):
    """The arguments (Ansible's JSON, parsed) typed and defaulted by ARGUMENT_SPEC; ValueError names the first
    that is wrong. Ansible's templating may hand a boolean over as text ("True")."""
    missing = sorted(name for name, (_, default) in ARGUMENT_SPEC.items()
                     if default is REQUIRED and given.get(name) is None)
    if missing:
        raise ValueError("missing required arguments: %s" % ", ".join(missing))
    params = {}
    for name, (kind, default) in ARGUMENT_SPEC.items():
        value = given.get(name)
        if value is None:
            params[name] = default
        elif kind == "bool":
            text = str(value).lower()
            if text not in TRUE + FALSE:
                raise ValueError("argument %s is %r, not a boolean" % (name, value))
            params[name] = text in TRUE
        elif kind in ("str", "path"):
            if isinstance(value, (dict, list)):
                raise ValueError("argument %s is %r, not text" % (name, value))
            params[name] = os.path.expanduser(str(value)) if kind == "path" else str(value)
        else:
            params[name] = value
    if params["socket_state"] not in (None,) + SOCKET_STATES:
        raise ValueError("argument socket_state is %r, not one of %s"
                         % (params["socket_state"], ", ".join(SOCKET_STATES)))
    return params


def is_changed(result):
    return any(result[key] for key in ("switched", "restarted", "environment_changed", "unit_changed",
                                       "socket_changed", "socket_removed"))


def finish(failed, **result):
    print(json.dumps(dict(result, failed=failed)))
    sys.exit(1 if failed else 0)


def main():
    result = new_result()
    try:
        given = json.loads(ARGUMENTS)
        params = read_arguments(given)
    except ValueError as error:
        finish(True, msg="edge_release_activate: %s" % error, changed=False, **result)
    # What an AnsibleModule without check-mode support does: nothing.
    if given.get("_ansible_check_mode"):
        finish(False, changed=False, skipped=True, msg="edge_release_activate does not run in check mode", **result)
    try:
        activate(params, Systemctl(run_command), result)
    except Exception as error:  # noqa: BLE001 - even a bug here must not lose the backup's name
        expected = isinstance(error, (OSError, SystemctlError, ValueError))
        # What was done so far, unit_backup above all: the role's rollback puts the old unit back from it.
        finish(True, msg=str(error) if expected else "%s: %s" % (type(error).__name__, error),
               changed=is_changed(result), **result)
    finish(False, changed=is_changed(result), **result)


if __name__ == "__main__":
    main()
