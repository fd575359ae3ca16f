# -*- coding: utf-8 -*-
"""deploy.yml's first play, per node and service, once the artifacts are inspected: refuses the service when
something does, keeps the artifact's verdict and the no-op decision as facts, and reports a release the node
already runs, or puts the node in the group of nodes with a release to roll out, in one task (settled.yml).

They were an assert, a set_fact, an include of two more tasks (skipped on every node with a release to roll
out) and a group_by, and Ansible forks a worker for every task on every node, skipped or not: on 16 nodes each
of them cost 1.5 to 2.6 s of the first play's wall time.

The refusal comes first, as with the assert: what follows it (the no-op decision reads the node's units and the
artifact's verdict) may not even template on a node refused for its architecture or a malformed name. So those
arguments are variable names, templated here only once nothing refuses the service.
"""

import re
import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase

VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The arguments that name a variable rather than carry a value (see the module's docstring).
NAMED = ("artifact_check", "in_place", "report", "report_start")


def with_service(facts, fact, service, value):
    """The fact (a dict by service, as the role keeps its facts) with this service's entry set."""
    so_far = dict(facts.get(fact) or {})
    so_far[service] = value
    return so_far


def in_place_report(report):
    """What deploy.yml reports for a release the node already runs (set_stats edge_services, per node)."""
    return dict(report, health="healthy", action="already deployed", changed=False)


class ActionModule(ActionBase):
    # Controller-side only: nothing reaches the node.
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("service", "problem", "note", "pending_group") + NAMED)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        for name in NAMED:
            if not VARIABLE_NAME.match(str(args.get(name, ""))):
                raise AnsibleActionFail("%s must name a variable, got %r" % (name, args.get(name)))
        pending_group = str(args.get("pending_group", ""))
        if not VARIABLE_NAME.match(pending_group):
            raise AnsibleActionFail("pending_group must be a group name (letters, digits, _), got %r" % pending_group)
        problem = str(args.get("problem") or "").strip()
        if problem:
            return dict(result, failed=True, msg=problem)
        service = args["service"]
        # The facts are host facts, as modules return theirs: no set_fact may use these names (set_fact's rank
        # above host facts).
        facts = dict(
            _edge_service_artifacts_checked=with_service(
                task_vars, "_edge_service_artifacts_checked", service, self._variable(args["artifact_check"])),
        )
        in_place = boolean(self._variable(args["in_place"]), strict=False)
        facts["_edge_deploy_in_place"] = with_service(task_vars, "_edge_deploy_in_place", service, in_place)
        result.update(changed=False, ansible_facts=facts)
        if in_place:
            # The report counts its seconds from the service's start on the node: now, nothing else runs for it.
            report = self._variable(args["report"], {args["report_start"]: time.time()})
            result["ansible_stats"] = dict(
                data=dict(edge_services={service: in_place_report(report)}), per_host=True, aggregate=True)
        else:
            # As group_by's result does it: Ansible's strategy adds the node to the group for any task's result
            # that names one (the rollout plays run on that group).
            result.update(add_group=pending_group, parent_groups=["all"])
        note = str(args.get("note") or "").strip()
        if note:
            # Said even without -v, as the assert's success_msg was: the node gets another delivery than asked.
            result.update(msg=note, _ansible_verbose_always=True)
        return result

    def _variable(self, name, extra=None):
        """The variable templated in this task's context (its lazy role variables resolved as in any task)."""
        if not extra:
            return self._templar.template("{{ %s }}" % name)
        with self._templar.set_temporary_context(available_variables=dict(self._templar.available_variables, **extra)):
            return self._templar.template("{{ %s }}" % name)
