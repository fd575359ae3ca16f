"""The edge_release_activate action plugin: what the health gate is given after the switch, the task's result
and the healthy release's report (the module runs answered by a fake: what is tested is what the action sends
and returns). Its runs against nodes (a gate passed and failed, in the foreground and the canary's in
the background) are covered by the deploy executor's specs on real fleets."""
import pytest
from ansible.errors import AnsibleActionFail

from action_harness import action_module, load_action_plugin

# The module it runs is edge_release_activate too (library/).
action = load_action_plugin("edge_release_activate")

GATE = dict(url="http://127.0.0.1:8101", version="1.2.3", unit="edgeship-x.service", stability_window=10)


def test_holds_the_stability_window_only_after_a_restart_and_hands_over_the_kept_unit_file():
    restarted = action.gate_arguments(GATE, dict(restarted=True, unit_backup="/etc/systemd/system/u.1.2~"))
    assert restarted == dict(GATE, stability_window=10, unit_backup="/etc/systemd/system/u.1.2~")
    running = action.gate_arguments(GATE, dict(restarted=False, unit_backup=""))
    assert running == dict(GATE, stability_window=0, unit_backup="")
    assert action.gate_arguments(dict(GATE, stability_window=None), {})["stability_window"] == 0


def test_the_result_is_the_switch_with_the_gate_beside_it_and_fails_with_the_gate():
    switched = dict(changed=True, restarted=True, unit_backup="/b~")
    passed = action.with_gate(switched, dict(version={"version": "1.2.3"}), 0.41234)
    assert passed == dict(switched, health_gate=dict(version={"version": "1.2.3"}), activate_seconds=0.412)
    assert "failed" not in passed
    failed = action.with_gate(switched, dict(failed=True, msg="no healthy 1.2.3 within 60s"), 1)
    assert failed["failed"] is True and failed["msg"] == "no healthy 1.2.3 within 60s"
    # rollback.yml puts the old unit back from the switch's result.
    assert failed["unit_backup"] == "/b~"


def test_the_healthy_report_names_the_version_that_answered_and_whether_the_unit_was_restarted():
    report = dict(service="hello-edge", version="1.2.3", seconds=12.5)
    gate = dict(version={"version": "1.2.3"}, seconds_to_healthy=0.4)
    assert action.healthy_report(report, dict(restarted=True), gate, "rolled back") == dict(
        report, health="healthy", action="rolled back", changed=True)
    assert action.healthy_report(report, dict(restarted=False), gate, "deployed") == dict(
        report, health="healthy", action="already running", changed=False)


def run(args, modules, variables=None):
    """The action with Ansible's own Task and Templar; the node's two module runs answered by `modules`."""
    variables = dict(report="{{ {'service': 'hello-edge', 'version': '1.2.3'} }}", **(variables or {}))
    module = action_module(action, "edge_release_activate", args, variables)
    sent = []

    def execute_module(module_name, module_args, task_vars, wrap_async=False):
        sent.append((module_name, module_args))
        return dict(modules[module_name])

    module._execute_module = execute_module
    return module.run(task_vars=variables), sent


ACTIVATED = dict(changed=True, restarted=True, unit_backup="")


def test_a_gate_passed_in_the_foreground_reports_the_release_and_the_report_never_reaches_the_node():
    result, sent = run(dict(link="/l", release_dir="/r", unit="u", health_gate=GATE, report="report"),
                       dict(edge_release_activate=ACTIVATED, edge_health_gate=dict(version={"version": "1.2.3"})))
    assert [name for name, _ in sent] == ["edge_release_activate", "edge_health_gate"]
    assert "report" not in sent[0][1] and "report_action" not in sent[0][1]
    assert result["ansible_stats"] == dict(
        data=dict(edge_services={"hello-edge": dict(
            service="hello-edge", version="1.2.3", health="healthy", action="deployed", changed=True)}),
        per_host=True, aggregate=True)


def test_a_failed_gate_or_no_report_asked_reports_nothing():
    failed, _ = run(dict(link="/l", release_dir="/r", unit="u", health_gate=GATE, report="report"),
                    dict(edge_release_activate=ACTIVATED, edge_health_gate=dict(failed=True, msg="unhealthy")))
    assert failed["failed"] is True and "ansible_stats" not in failed
    unasked, _ = run(dict(link="/l", release_dir="/r", unit="u", health_gate=GATE),
                     dict(edge_release_activate=ACTIVATED, edge_health_gate=dict(version={"version": "1.2.3"})))
    assert "ansible_stats" not in unasked


def test_names_a_report_that_is_not_a_variable_name():
    with pytest.raises(AnsibleActionFail, match="report must name a variable"):
        run(dict(link="/l", release_dir="/r", unit="u", health_gate=GATE, report="{{ x }}"), {})
