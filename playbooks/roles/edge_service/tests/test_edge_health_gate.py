import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import edge_health_gate
from edge_health_gate import GateFailed, append_history, read_unit, wait_until_healthy


def test_append_history_appends_one_line_per_record_after_the_ones_before(tmp_path):
    path = tmp_path / "history.jsonl"
    assert append_history(str(path), {"action": "deploy"}, "") == ""
    assert append_history(str(path), {"action": "rollback"}, "x" * 400, before=[{"action": "deploy"}, "junk"]) == ""
    records = [json.loads(line) for line in path.read_text().splitlines()]
    # The records before are written as given (a dict only), with the time; the gate's own gets its outcome.
    assert [(r["action"], r.get("outcome")) for r in records] == [
        ("deploy", "healthy"), ("deploy", None), ("rollback", "unhealthy")]
    assert all("at" in r for r in records) and len(records[2]["error"]) == 300


def test_append_history_starts_a_line_of_its_own_after_a_torn_one(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text('{"action": "deploy", "at"')
    append_history(str(path), {"action": "deploy"}, "")
    assert json.loads(path.read_text().splitlines()[1])["outcome"] == "healthy"


def test_append_history_keeps_the_newest_records_past_its_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(edge_health_gate, "HISTORY_MAX_BYTES", 100)
    monkeypatch.setattr(edge_health_gate, "HISTORY_KEEP_RECORDS", 2)
    path = tmp_path / "history.jsonl"
    path.write_text("".join(json.dumps({"n": n}) + "\n" for n in range(20)))
    append_history(str(path), {"n": 20}, "")
    assert [json.loads(line)["n"] for line in path.read_text().splitlines()] == [18, 19, 20]


def test_append_history_reports_instead_of_failing_and_does_nothing_without_a_file(tmp_path):
    assert append_history("", {"action": "deploy"}, "") == ""
    assert append_history(str(tmp_path / "missing" / "history.jsonl"), {}, "").startswith("history not written")


def test_read_unit_asks_systemctl_for_three_properties_and_maps_its_failure():
    calls = []

    def run_command(argv):
        calls.append(argv)
        return (0, "ActiveState=active\nMainPID=42\nNRestarts=0\n", "") if len(calls) == 1 else (1, "", "boom\n")

    assert read_unit(run_command, "edgeship-x.service") == dict(ActiveState="active", MainPID="42", NRestarts="0")
    assert calls[0] == ["systemctl", "show", "--property=ActiveState,MainPID,NRestarts", "edgeship-x.service"]
    with pytest.raises(GateFailed, match=r"systemctl show edgeship-x.service failed \(1\): boom$"):
        read_unit(run_command, "edgeship-x.service")


@pytest.fixture
def service():
    """A service on a free port answering /healthz and /version; `answers` says with what."""
    answers = {"/healthz": (200, {"status": "ok"}), "/version": (200, {"version": "1.2.0"})}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, body = answers.get(self.path, (404, None))
            self.send_response(status)
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d" % server.server_port, answers
    server.shutdown()
    server.server_close()


def params(url, version="1.2.0"):
    return dict(url=url, version=version, unit="edgeship-x.service", timeout=0, interval=0, stability_window=0)


def test_wait_until_healthy_returns_what_version_answered(service):
    url, _ = service
    assert wait_until_healthy(params(url), started=0) == {"version": "1.2.0"}
    assert wait_until_healthy(params(url, version=""), started=0) == {"version": "1.2.0"}


def test_wait_until_healthy_fails_on_another_version_or_an_unhealthy_service(service):
    url, answers = service
    with pytest.raises(GateFailed, match="no healthy 1.3.0 within 0s") as failure:
        wait_until_healthy(params(url, version="1.3.0"), started=0)
    assert failure.value.version == {"version": "1.2.0"}
    answers["/healthz"] = (503, {"status": "starting"})
    with pytest.raises(GateFailed, match="/healthz answered 503"):
        wait_until_healthy(params(url), started=0)


def test_main_takes_its_arguments_typed_with_defaults_and_reports_the_version(service, run_module):
    url, _ = service
    # Ansible's templating hands numbers over as text: the argument spec makes them ints.
    code, result = run_module(edge_health_gate, dict(url=url, unit="edgeship-x.service", version="1.2.0",
                                                     timeout="5"))
    assert code == 0 and result["changed"] is False and result["failed"] is False
    assert result["version"] == {"version": "1.2.0"} and result["history_warning"] == ""
    params = edge_health_gate.read_arguments(dict(url=url, unit="u", timeout="5", history=None))
    assert (params["timeout"], params["interval"], params["stability_window"], params["history"]) == (5, 2, 0, {})


def test_main_fails_with_the_last_answer_and_records_the_outcome(service, tmp_path, run_module):
    url, _ = service
    history = tmp_path / "history.jsonl"
    code, result = run_module(edge_health_gate, dict(
        url=url, unit="edgeship-x.service", version="1.3.0", timeout=0, interval=0,
        history_file=str(history), history={"action": "deploy", "to": "1.3.0-abc"}))
    assert code == 1 and result["failed"] is True and result["version"] == {"version": "1.2.0"}
    assert "no healthy 1.3.0 within 0s" in result["msg"]
    record = json.loads(history.read_text())
    assert (record["action"], record["outcome"], record["to"]) == ("deploy", "unhealthy", "1.3.0-abc")


def test_main_removes_the_unit_backup_once_the_gate_passes_and_keeps_it_when_it_fails(service, tmp_path, run_module):
    url, _ = service
    backup = tmp_path / "edgeship-x.service.123.2026-12-04@17:00:00~"
    backup.write_text("[Service]\n")
    code, _ = run_module(edge_health_gate, dict(url=url, unit="edgeship-x.service", version="1.3.0", timeout=0,
                                                interval=0, unit_backup=str(backup)))
    assert code == 1 and backup.exists()
    code, _ = run_module(edge_health_gate, dict(url=url, unit="edgeship-x.service", version="1.2.0", timeout=5,
                                                unit_backup=str(backup)))
    assert code == 0 and not backup.exists()


def test_main_refuses_to_remove_a_file_that_is_not_a_backup_of_the_unit(service, tmp_path, run_module):
    url, _ = service
    other = tmp_path / "edgeship-y.service.1.2026-12-04@17:00:00~"
    other.write_text("[Service]\n")
    link = tmp_path / "edgeship-x.service.1.2026-12-04@17:00:00~"
    link.symlink_to(other)
    for path in (other, link, tmp_path / "edgeship-x.service"):
        code, result = run_module(edge_health_gate, dict(url=url, unit="edgeship-x.service", version="1.2.0",
                                                         timeout=5, unit_backup=str(path)))
        assert code == 1 and "is not a backup of edgeship-x.service's unit file" in result["msg"]
    assert other.exists() and link.is_symlink()


def test_main_refuses_a_missing_or_mistyped_argument(run_module):
    code, result = run_module(edge_health_gate, dict(url="http://127.0.0.1:1"))
    assert code == 1 and result["failed"] is True and "missing required arguments: unit" in result["msg"]
    code, result = run_module(edge_health_gate, dict(url="http://127.0.0.1:1", unit="u", timeout="soon"))
    assert code == 1 and "argument timeout is 'soon', not an integer" in result["msg"]
    code, result = run_module(edge_health_gate, dict(url="http://127.0.0.1:1", unit="u", history=["x"]))
    assert code == 1 and "argument history is ['x'], not a dict" in result["msg"]


def test_main_does_nothing_in_check_mode(tmp_path, run_module):
    history = tmp_path / "history.jsonl"
    code, result = run_module(edge_health_gate, dict(url="http://127.0.0.1:1", unit="u", history_file=str(history),
                                                     _ansible_check_mode=True))
    assert code == 0 and result["skipped"] is True and not history.exists()
