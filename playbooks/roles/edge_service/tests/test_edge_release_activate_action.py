"""The pure parts of the edge_release_activate action plugin: what the health gate is given after the switch,
and the task's result. Its runs against nodes (a gate passed and failed, in the foreground and the canary's in
the background) are covered by the deploy executor's specs on real fleets."""
import importlib.util
import os

# Loaded from its file under a name of its own: the module it runs is edge_release_activate too (library/).
_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "action_plugins",
                     "edge_release_activate.py")
_SPEC = importlib.util.spec_from_file_location("edge_release_activate_action", _PATH)
action = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(action)

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
