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
  - Writes recap counts, the plays' set_stats data and the last failure message of each node
    to the file named by the EDGESHIP_DEPLOY_REPORT environment variable.
requirements: []
"""

import json
import os
import re

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

    def _remember(self, result, kind):
        message = result._result.get("msg") or result._result.get("stderr") or kind
        # ssh's known_hosts chatter says nothing about why a node failed.
        message = re.sub(r"Warning: Permanently added [^\n]*known hosts\.\s*", "", str(message))
        message = " ".join(line.strip() for line in message.splitlines())
        self._errors[result._host.get_name()] = {"kind": kind, "task": result._task.get_name(), "msg": str(message).strip()}

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not ignore_errors:
            self._remember(result, "failed")

    def v2_runner_on_unreachable(self, result):
        self._remember(result, "unreachable")

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
            }
        with open(self._path, "w") as handle:
            json.dump({"hosts": hosts}, handle, indent=2, sort_keys=True)
            handle.write("\n")
