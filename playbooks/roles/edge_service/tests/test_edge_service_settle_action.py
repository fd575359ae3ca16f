"""The edge_service_settle action plugin, run on the controller with Ansible's own Task and Templar (it never
reaches a node): the refusal first, then the facts and the report of a release already in place. Its runs in
deploy.yml's first play (refusals, the no-op path) are covered by the deploy executor's specs on real fleets."""
import pytest
from ansible.errors import AnsibleActionFail

from action_harness import action_module, load_action_plugin

action = load_action_plugin("edge_service_settle")

NAMES = dict(artifact_check="check", in_place="in_place", report="report", report_start="started_at",
             pending_group="edge_deploy_pending")
# The role's variables as the task sees them: lazy templates, resolved when the action reads them.
VARIABLES = dict(
    check="{{ {'failed': false, 'size': 42} }}",
    in_place="{{ node_version == '1.2.3' }}",
    node_version="1.2.3",
    report="{{ {'service': 'hello-edge', 'seconds': (now_ - started_at | float) | round(1)} }}",
    now_=1000.0,
)


def run(args, variables=None):
    variables = dict(VARIABLES, **(variables or {}))
    return action_module(action, "edge_service_settle", args, variables).run(task_vars=variables)


def test_refuses_with_the_problem_before_reading_anything_else():
    # The named variables would not even template on a refused node: they are not read.
    result = run(dict(NAMES, service="hello-edge", problem="hello-edge: the build record has no binary artifact\n",
                      in_place="does_not_exist"))
    assert result["failed"] is True
    assert result["msg"] == "hello-edge: the build record has no binary artifact"
    assert "ansible_facts" not in result and "ansible_stats" not in result


def test_keeps_the_verdict_and_reports_a_release_already_in_place():
    earlier = dict(_edge_service_artifacts_checked={"other": {"size": 1}}, _edge_deploy_in_place={"other": False})
    result = run(dict(NAMES, service="hello-edge", problem=""), dict(earlier, now_="{{ started_at }}"))
    assert not result.get("failed") and result["changed"] is False
    assert result["ansible_facts"] == dict(
        _edge_service_artifacts_checked={"other": {"size": 1}, "hello-edge": {"failed": False, "size": 42}},
        _edge_deploy_in_place={"other": False, "hello-edge": True},
    )
    assert result["ansible_stats"] == dict(
        data=dict(edge_services={"hello-edge": dict(
            service="hello-edge", seconds=0.0, health="healthy", action="already deployed", changed=False)}),
        per_host=True, aggregate=True)
    # Nothing to roll out: the node stays out of the rollout's group.
    assert "add_group" not in result
    assert "msg" not in result


def test_leaves_a_release_not_in_place_to_the_rollout_unreported_and_says_the_fallback():
    result = run(dict(NAMES, service="hello-edge", problem="", note="node-1 cannot run containers: delivering it as a binary"),
                 dict(node_version="1.2.2"))
    assert result["ansible_facts"]["_edge_deploy_in_place"] == {"hello-edge": False}
    assert "ansible_stats" not in result
    # As group_by's result: Ansible's strategy puts the node in the group the rollout plays run on.
    assert result["add_group"] == "edge_deploy_pending" and result["parent_groups"] == ["all"]
    assert result["msg"] == "node-1 cannot run containers: delivering it as a binary"
    assert result["_ansible_verbose_always"] is True


def test_names_an_argument_that_is_not_a_variable_name():
    with pytest.raises(AnsibleActionFail, match="in_place must name a variable"):
        run(dict(NAMES, service="hello-edge", problem="", in_place="{{ 1 }} or x"))


def test_names_a_pending_group_that_is_not_a_group_name():
    with pytest.raises(AnsibleActionFail, match="pending_group must be a group name"):
        run(dict(NAMES, service="hello-edge", problem="", pending_group="edge deploy"))
