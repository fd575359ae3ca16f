# -*- coding: utf-8 -*-
"""Writes the deploy's per-node outcome as JSON for the deploy executor's summary table.

Enabled in ansible.cfg; writes only when EDGESHIP_DEPLOY_REPORT names a file, so a plain
ansible-playbook run is unaffected.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: edge_report
type: aggregate
short_description: Per-node JSON report of an edgeship deploy
description:
  - Writes recap counts, the plays' set_stats data, the last failure message and the timeline of each
    node (every task that ran, with its service, role file, start, duration, outcome and the health
    gate's answer) to the file named by the EDGESHIP_DEPLOY_REPORT environment variable.
requirements: []
"""

import json
import os
import re
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "edge_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._path = os.environ.get("EDGESHIP_DEPLOY_REPORT")
        self._errors = {}
        # The timeline is kept in memory and written with the rest at the end: a few dicts per task and
        # node, no I/O while the deploy runs.
        self._started = time.time()
        self._task_started = {}
        self._timeline = {}
        # Health gates started in the background, by node and service: when they started.
        self._background_gates = {}

    def _remember(self, result, kind):
        message = _one_line(result._result.get("msg") or result._result.get("stderr") or kind)
        self._errors[result._host.get_name()] = {"kind": kind, "task": result._task.get_name(), "msg": message}

    def v2_playbook_on_start(self, playbook):
        self._started = time.time()

    def v2_runner_on_start(self, host, task):
        self._task_started[(host.get_name(), task._uuid)] = time.time()

    def _record(self, result, status):
        """One timeline entry per task and node. The service is the loop item of deploy.yml's include_role
        (None for the node's own tasks: the probe); the step is the role file the task comes from."""
        task = result._task
        host = result._host.get_name()
        ended = time.time()
        started = self._task_started.pop((host, task._uuid), ended)
        if task.action in _NOT_STEPS:
            return
        entry = {
            "service": _service_of(task),
            "file": os.path.splitext(os.path.basename((task.get_path() or "").rsplit(":", 1)[0]))[0],
            "task": task.get_name(),
            "action": task.action.rsplit(".", 1)[-1],
            "start": round(started - self._started, 3),
            "seconds": round(ended - started, 3),
            "status": status,
            "changed": bool(result._result.get("changed")),
        }
        answer = result._result
        if entry["action"] == "edge_release_activate" and isinstance(answer.get("health_gate"), dict):
            # activate.yml's task switches, then holds the health gate (action_plugins/edge_release_activate.py):
            # two steps of the report, split where the switch ended.
            switched = min(started + float(answer.get("activate_seconds") or 0), ended)
            self._timeline.setdefault(host, []).append(
                dict(entry, seconds=round(switched - started, 3), status="ok"))
            entry.update(file="health-gate", action="edge_health_gate", start=round(switched - self._started, 3),
                         seconds=round(ended - switched, 3), changed=False)
            answer = answer["health_gate"]
        if entry["action"] == "edge_health_gate" and answer.get("ansible_job_id") and not answer.get("finished"):
            # Started in the background (deploy.yml's canary play): its verdict comes with the async_status below.
            self._background_gates[(host, entry["service"])] = entry["start"]
        elif entry["action"] == "edge_health_gate" or (
                # canary-verdict.yml's second async_status only removes the job file: not a verdict.
                entry["action"] == "async_status" and (getattr(task, "args", None) or {}).get("mode") != "cleanup"):
            if entry["action"] == "async_status":
                # The role waits that way only for a health gate; the gate ran from its start to this verdict.
                entry["start"] = self._background_gates.pop((host, entry["service"]), entry["start"])
                entry["seconds"] = round(ended - self._started - entry["start"], 3)
            version = answer.get("version") if isinstance(answer.get("version"), dict) else {}
            # The rollback's gate does not fail its task (failed_when: false): passed is what it answered.
            entry["gate"] = {
                "passed": status == "ok" and "seconds_to_healthy" in answer,
                "seconds_to_healthy": answer.get("seconds_to_healthy"),
                "version": version.get("version"),
                "msg": answer.get("msg") or "",
            }
        if status != "ok":
            entry["msg"] = _one_line(answer.get("msg") or answer.get("stderr") or status)[:500]
        self._timeline.setdefault(host, []).append(entry)

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not ignore_errors:
            self._remember(result, "failed")
        self._record(result, "ok" if ignore_errors else "failed")

    def v2_runner_on_unreachable(self, result):
        self._remember(result, "unreachable")
        self._record(result, "unreachable")

    def v2_runner_on_skipped(self, result):
        self._task_started.pop((result._host.get_name(), result._task._uuid), None)

    def v2_playbook_on_stats(self, stats):
        if not self._path:
            return
        hosts = {}
        for host in sorted(stats.processed.keys()):
            hosts[host] = {
                "recap": stats.summarize(host),
                # Every set_stats key of the host (deploy.yml: edge_services; status.yml: edge_status; ...).
                "result": dict(stats.custom.get(host, {}), edge_services=stats.custom.get(host, {}).get("edge_services", {})),
                "error": self._errors.get(host),
                "timeline": self._timeline.get(host, []),
            }
        with open(self._path, "w") as handle:
            json.dump({"started": round(self._started, 3), "hosts": hosts}, handle, indent=2, sort_keys=True)
            handle.write("\n")


# Tasks that only include or group: their time is that of the tasks they bring in.
_NOT_STEPS = frozenset(
    ["ansible.builtin.include_role", "include_role", "ansible.builtin.include_tasks", "include_tasks",
     "ansible.builtin.group_by", "group_by", "ansible.builtin.meta", "meta"]
)


def _service_of(task):
    """deploy.yml runs the role once per service with the service as loop item (_edge_deploy_service)."""
    parent = task._parent
    while parent is not None:
        item = (getattr(parent, "vars", None) or {}).get("_edge_deploy_service")
        if isinstance(item, dict):
            return item.get("name")
        parent = getattr(parent, "_parent", None)
    return None


def _one_line(message):
    # ssh's known_hosts chatter says nothing about why a node failed.
    message = re.sub(r"Warning: Permanently added [^\n]*known hosts\.\s*", "", str(message))
    return " ".join(line.strip() for line in message.splitlines()).strip()
