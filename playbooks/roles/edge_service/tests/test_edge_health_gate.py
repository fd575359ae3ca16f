import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import edge_health_gate
from edge_health_gate import GateFailed, append_history, read_params, wait_until_healthy


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


def test_read_params_fills_the_defaults(tmp_path):
    path = tmp_path / "args.json"
    path.write_text(json.dumps({"url": "http://127.0.0.1:1", "unit": "edgeship-x.service", "timeout": "5"}))
    params = read_params(str(path))
    assert (params["timeout"], params["interval"], params["stability_window"], params["version"]) == (5, 2, 0, "")


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
