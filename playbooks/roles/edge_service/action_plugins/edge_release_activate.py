# -*- coding: utf-8 -*-
"""Switches a node to a release and holds its health gate in one task: edge_release_activate, then
edge_health_gate.

They were two tasks, and Ansible forks a worker for every task on every node: on a 16-node fleet those forks
are most of the controller's CPU. Here both modules run from one worker, one after the other, as they did as
tasks. Without C(health_gate) this is the module alone (the rollback's switch back).

The gate takes from the switch what it needs: its stability window only when the unit was (re)started, and the
unit file kept for a rollback, which a passing gate removes. A task with C(async) (deploy.yml's canary) starts
the gate in the background once the switch is done, and returns its job for async_status.

A gate passed in the foreground is reported here too (C(report), as verify.yml's set_stats did, a task of its
own on every node): the report is a variable name, templated only once the gate passed, so its seconds count
the gate's wait.
"""

import re
import time

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def gate_arguments(gate, activated):
    """edge_health_gate's arguments: the task's, with what the switch decided filled in."""
    return dict(
        gate,
        stability_window=gate.get("stability_window", 0) if activated.get("restarted") else 0,
        unit_backup=activated.get("unit_backup") or "",
    )


def with_gate(activated, gate, activate_seconds):
    """The task's result: the switch's (rollback.yml reads its unit_backup, the role its restarted), the gate's
    under health_gate, failed with the gate's message when the gate failed, and how long the switch took (the
    deploy report shows the switch and the gate as two steps)."""
    result = dict(activated, health_gate=gate, activate_seconds=round(activate_seconds, 3))
    if gate.get("failed"):
        result.update(failed=True, msg=gate.get("msg", "the health gate failed"))
    return result


def healthy_report(report, activated, gate, done):
    """What deploy.yml reports for a release that passed its gate (set_stats edge_services, per node): the
    service's report with the version the release answered; C(done) when the switch (re)started the unit."""
    restarted = bool(activated.get("restarted"))
    return dict(report, version=(gate.get("version") or {}).get("version"), health="healthy",
                action=done if restarted else "already running", changed=restarted)


class ActionModule(ActionBase):
    # Both modules are lean and pipelined: no remote temporary directory of this task's own (the background gate
    # gets the one async needs).
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        self._supports_check_mode = True
        self._supports_async = True
        result = super(ActionModule, self).run(tmp, task_vars)
        args = dict(self._task.args)
        gate = args.pop("health_gate", None)
        report = args.pop("report", None)
        done = args.pop("report_action", "deployed")
        if report is not None and not VARIABLE_NAME.match(str(report)):
            raise AnsibleActionFail("report must name a variable, got %r" % report)
        started = time.time()
        activated = self._execute_module(module_name="edge_release_activate", module_args=args, task_vars=task_vars)
        activated = dict(result, **activated)
        if gate is None or activated.get("failed") or activated.get("skipped"):
            return activated
        if not isinstance(gate, dict):
            return dict(activated, failed=True, msg="health_gate must be edge_health_gate's arguments (a dict)")
        activate_seconds = time.time() - started
        in_background = bool(self._task.async_val) and not self._connection.has_native_async
        answer = self._execute_module(
            module_name="edge_health_gate", module_args=gate_arguments(gate, activated), task_vars=task_vars,
            wrap_async=in_background)
        result = with_gate(activated, answer, activate_seconds)
        if report and not in_background and not result.get("failed"):
            healthy = healthy_report(self._templar.template("{{ %s }}" % report), activated, answer, done)
            result["ansible_stats"] = dict(
                data=dict(edge_services={healthy["service"]: healthy}), per_host=True, aggregate=True)
        return result
