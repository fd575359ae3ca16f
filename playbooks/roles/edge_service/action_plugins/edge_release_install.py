# -*- coding: utf-8 -*-
"""Installs one release on a node in one task: stage, send, verify, rename into place.

Each of these steps was a task of its own (with the whole-file fallbacks, a dozen per node and service, most of
them skipped). Ansible forks a worker for every task on every node, skipped or not, and on a 16-node fleet those
forks were most of the controller's CPU. Here the steps run in one worker, through the same modules and actions
as before: edge_release_stage, ansible.posix.synchronize (rsync), ansible.builtin.copy, edge_release_commit,
edge_image_load for a container release and edge_release_prune, which removes the releases beyond the kept ones
once this one is in place (and the staging directory, should the upload be refused).

A release appears on the node only verified and complete: staged beside the releases, checked against the build's
sha256, renamed into place. The node receives only what it lacks: an rsync delta against the closest artifact it
holds (see the playbooks README for why rsync), the whole file where that cannot work.
"""

import contextlib
import copy
import os
import re
import time

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.path import unfrackpath

# How the artifact reached the node, for the report (the deploy summary and `status` show it).
TRANSFERS = {
    "none": "none",
    "pull": "registry pull",
    "delta": "rsync delta against {basis}",
    "rsync": "rsync (no basis on the node)",
    "resent": "whole file (the rsync result failed its checksum)",
    "off": "whole file (delta transfer off)",
    "no_rsync": "whole file (no rsync on the node)",
    "rsync_failed": "whole file (rsync failed: {error})",
}

RSYNC_SENT = re.compile(r"Total bytes sent: ([0-9,]+)")


def rsync_bytes_sent(stats):
    """The bytes rsync sent, from its --stats output; 0 when it printed none."""
    found = RSYNC_SENT.search(stats or "")
    return int(found.group(1).replace(",", "")) if found else 0


def transfer_key(pulled, delta, node_rsync, rsync_worked, resent, basis):
    """Which of TRANSFERS describes the upload."""
    if pulled:
        return "pull"
    if rsync_worked and resent:
        return "resent"
    if rsync_worked:
        return "delta" if basis else "rsync"
    if not delta:
        return "off"
    return "no_rsync" if not node_rsync else "rsync_failed"


def record_install(record, installed):
    """What the run installed on the node so far (record["installed"], by service), with this release added: how
    it reached the node and, for a file it sent, the file as a delta basis for the next service of the run."""
    so_far = dict(record.get("installed") or {})
    entry = dict(transfer=installed["transfer"], transfer_bytes=installed["transfer_bytes"])
    if record.get("basis") and not installed["exists"]:
        entry["basis"] = dict(record["basis"], service=record["service"])
    so_far[record["service"]] = entry
    return so_far


def describe_transfer(key, basis="", error=""):
    text = " ".join((error or "").split())
    return TRANSFERS[key].format(basis=basis, error=text[:157] + "..." if len(text) > 160 else text)


class InstallRefused(Exception):
    """The upload failed or did not verify: the staging directory goes, the current release stays."""


class ActionModule(ActionBase):
    # No remote temporary directory of its own: the modules it runs are pipelined, and copy makes (and removes)
    # the one it needs. One made here would cost a round trip per node, and removing it from a node that went
    # away would turn Ansible's "unreachable" into a failure.
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(
        (
            "releases_dir", "release", "release_dir", "file", "sha256", "source", "content", "basis", "delta",
            "node_rsync", "mode", "environment", "signed_record", "image", "record", "prune",
        )
    )

    def run(self, tmp=None, task_vars=None):
        started = time.time()
        result = self._install(tmp, task_vars or {})
        if result.get("failed"):
            # When the install began, for the failure's report: stage.yml starts the service's record only once
            # its install failed (in its rescue), one task less on every node staged without a failure.
            result["started_at"] = started
        return result

    def _install(self, tmp, task_vars):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        pulled = args.get("content") is not None
        delta = boolean(args.get("delta", True), strict=False)
        node_rsync = boolean(args.get("node_rsync", False), strict=False)
        use_rsync = delta and node_rsync and not pulled

        staged = self._module(
            "edge_release_stage",
            dict(
                releases_dir=args["releases_dir"], release=args["release"], file=args["file"], sha256=args["sha256"],
                basis=args.get("basis", "") if use_rsync else "", content=args.get("content"),
            ),
            task_vars,
        )
        if staged.get("failed"):
            return dict(result, failed=True, msg=staged.get("msg", "staging the release failed"))
        if staged["exists"]:
            if not staged["matches"]:
                message = ("%s/%s on %s has sha256 %s, expected %s: it was modified on the node. "
                           "Remove %s and deploy again.")
                return dict(result, failed=True, msg=message % (
                    args["release_dir"], args["file"], task_vars.get("inventory_hostname"), staged.get("sha256", ""),
                    args["sha256"], args["release_dir"]))
            installed = dict(changed=False, exists=True, transfer=TRANSFERS["none"], transfer_bytes=0)
        else:
            try:
                sent = self._send(args, staged, pulled, delta, node_rsync, use_rsync, task_vars)
                installed = dict(changed=True, exists=False, **sent)
            except AnsibleConnectionFailure:
                # The node went away: Ansible reports it unreachable, as it did when these steps were tasks. A later
                # deploy's prune removes the staging directory it left.
                raise
            # AnsibleError: an action given up (copy without its source, say) is a refused upload too.
            except (InstallRefused, AnsibleError) as refused:
                self._module(
                    "edge_release_prune", dict(releases_dir=args["releases_dir"], paths=[staged["staging"]]), task_vars)
                return dict(result, failed=True, msg=str(refused))
        if args.get("image"):
            # The release's image into podman (loaded from its archive or pulled by digest), checked and tagged.
            loaded = self._module("edge_image_load", args["image"], task_vars)
            if loaded.get("failed"):
                return dict(result, failed=True, msg=loaded.get("msg", "loading the image failed"), **installed)
            installed.update(changed=installed["changed"] or loaded.get("changed", False), image=loaded)
        if args.get("prune"):
            # Releases beyond the kept ones and earlier runs' cut-off uploads, once this release is in place. Here,
            # not in a task after the health gate: that task cost a worker per node. The current release (the
            # rollback's target) and this one are never among them, so the nodes keep the same releases as when
            # the prune came last.
            pruned = self._module(
                "edge_release_prune", dict(releases_dir=args["releases_dir"], paths=args["prune"]), task_vars)
            if pruned.get("failed"):
                return dict(result, failed=True, msg="removing old releases failed: %s" % pruned.get("msg", ""),
                            **installed)
            installed.update(changed=installed["changed"] or pruned.get("changed", False),
                             pruned=pruned.get("removed", []))
        if args.get("record"):
            # A fact, as modules return theirs, rather than a set_fact task after this one: Ansible forks a worker
            # per task and node. Host facts rank below set_fact: no set_fact may use this name.
            installed["ansible_facts"] = dict(_edge_deploy_staged=record_install(args["record"], installed))
        return dict(result, **installed)

    def _send(self, args, staged, pulled, delta, node_rsync, use_rsync, task_vars):
        staged_file = "%s/%s" % (staged["staging"], args["file"])
        commit_args = dict(
            staging=staged["staging"], release_dir=args["release_dir"], file=args["file"], sha256=args["sha256"],
            mode=args.get("mode", "0644"), environment=args.get("environment") or {},
            signed_record=args.get("signed_record") or {},
        )
        sync = {}
        if use_rsync:
            # --ignore-times: two builds can share size and mtime (reproducible builds), which rsync's quick check
            # would take for "unchanged" and skip. --no-whole-file: the delta algorithm even though the "remote"
            # is reached through a local port. rsync's ssh takes the host's ssh settings and checks the host key
            # as Ansible does (synchronize's default turns that check off), over the open connection (below).
            with self._connection_socket_for_rsync():
                sync = self._action(
                    "ansible.posix.synchronize",
                    dict(
                        src=args["source"], dest=staged_file, archive=False, compress=True,
                        rsync_opts=["--ignore-times", "--no-whole-file", "--stats"],
                        use_ssh_args=True, ssh_connection_multiplexing=True, verify_host=True,
                    ),
                    task_vars,
                )
        rsync_worked = use_rsync and not sync.get("failed") and sync.get("rc", 1) == 0
        if not pulled and not rsync_worked:
            self._send_whole(args["source"], staged_file, task_vars)
        commit = self._commit(commit_args, task_vars)
        resent = rsync_worked and not commit["verified"]
        if resent:
            # The delta did not rebuild the artifact (a basis changed under it): the whole file, once.
            self._send_whole(args["source"], staged_file, task_vars)
            commit = self._commit(commit_args, task_vars)
        if not commit["verified"]:
            raise InstallRefused(
                "the artifact sent to %s has sha256 %s, expected %s; it was corrupted in transit. The current release "
                "is untouched." % (task_vars.get("inventory_hostname"), commit.get("sha256", ""), args["sha256"])
            )
        key = transfer_key(pulled, delta, node_rsync, rsync_worked, resent, staged.get("basis", ""))
        whole = 0 if key in ("pull", "delta", "rsync") else os.path.getsize(args["source"])
        return dict(
            basis=staged.get("basis", ""),
            transfer=describe_transfer(key, staged.get("basis", ""), sync.get("msg", "")),
            transfer_bytes=rsync_bytes_sent(sync.get("msg")) + whole,
        )

    @contextlib.contextmanager
    def _connection_socket_for_rsync(self):
        """rsync's ssh rides on the SSH connection Ansible already holds open to the node: no second handshake per
        node (one delta 0.9 s → 0.4 s and 0.40 → 0.08 s of controller CPU, measured by hand). synchronize hands
        rsync's ssh the host's ssh_args, ssh_common_args and ssh_extra_args (use_ssh_args) but not the socket, so
        the socket is added to ssh_extra_args while synchronize reads them. ansible.cfg names the socket by ssh's
        own %C, which rsync's ssh computes alike; with another control_path rsync's ssh opens its own connection."""
        connection = self._connection
        control_path = connection.transport == "ssh" and connection.get_option("control_path")
        if not control_path:
            yield
            return
        socket = control_path % dict(directory=unfrackpath(connection.get_option("control_path_dir")))
        extra_args = connection.get_option("ssh_extra_args")
        connection.set_option("ssh_extra_args", " ".join(filter(None, (extra_args, "-o ControlPath=%s" % socket))))
        try:
            yield
        finally:
            connection.set_option("ssh_extra_args", extra_args)

    def _commit(self, commit_args, task_vars):
        commit = self._module("edge_release_commit", commit_args, task_vars)
        if commit.get("failed"):
            raise InstallRefused(commit.get("msg", "verifying the release failed"))
        return commit

    def _send_whole(self, source, dest, task_vars):
        sent = self._action(
            "ansible.builtin.copy", dict(src=source, dest=dest, owner="root", group="root", mode="0600"), task_vars)
        if sent.get("failed"):
            raise InstallRefused(sent.get("msg", "uploading the release failed"))

    def _module(self, name, module_args, task_vars):
        return self._execute_module(module_name=name, module_args=module_args, task_vars=task_vars)

    def _action(self, name, action_args, task_vars):
        """Runs another action as this task would, on copies: synchronize rewrites the play context and the task's
        variables it is given to run rsync on the controller, and this task's module runs come after it."""
        task = self._task.copy()
        task.args = action_args
        action = self._shared_loader_obj.action_loader.get(
            name, task=task, connection=self._connection, play_context=copy.copy(self._play_context),
            loader=self._loader, templar=self._templar, shared_loader_obj=self._shared_loader_obj,
        )
        return action.run(task_vars=dict(task_vars))
