"""edge_report's timeline of health gates: the one run in the foreground, and the canary's, started in the
background and judged by async_status (deploy.yml's canary and verdict plays)."""
import edge_report


class Host:
    def __init__(self, name):
        self.name = name

    def get_name(self):
        return self.name


class Block:
    def __init__(self, service):
        self.vars = {"_edge_deploy_service": {"name": service}}
        self._parent = None


class Task:
    def __init__(self, action, path, service="svc", args=None):
        self.action = action
        self.args = args or {}
        self._uuid = "%s-%s" % (action, path)
        self._parent = Block(service)
        self._path = path

    def get_name(self):
        return "edge_service : " + self.action

    def get_path(self):
        return "/role/tasks/%s.yml:3" % self._path


class Result:
    def __init__(self, task, answer, host="edge1"):
        self._task = task
        self._host = Host(host)
        self._result = answer


def run(report, task, answer, started, ended, host="edge1", ok=True, clock=None):
    clock[0] = started
    report.v2_runner_on_start(Host(host), task)
    clock[0] = ended
    (report.v2_runner_on_ok if ok else report.v2_runner_on_failed)(Result(task, answer, host))


def make_report(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(edge_report.time, "time", lambda: clock[0])
    report = edge_report.CallbackModule()
    return report, clock


def test_a_foreground_gate_is_one_entry_with_its_answer(monkeypatch):
    report, clock = make_report(monkeypatch)
    answer = {"seconds_to_healthy": 0.2, "version": {"version": "1.2.3"}}
    run(report, Task("edge_health_gate", "health-gate"), answer, 101, 112, clock=clock)
    [entry] = report._timeline["edge1"]
    assert (entry["start"], entry["seconds"]) == (1, 11)
    assert entry["gate"] == {"passed": True, "seconds_to_healthy": 0.2, "version": "1.2.3", "msg": ""}


def test_a_background_gate_spans_from_its_start_to_its_verdict(monkeypatch):
    report, clock = make_report(monkeypatch)
    run(report, Task("edge_health_gate", "health-gate"), {"ansible_job_id": "j1", "started": 1, "finished": 0},
        101, 102, clock=clock)
    # Another service's gate on the same node, and the same service's on another node, are not this one.
    run(report, Task("edge_health_gate", "health-gate", "other"), {"ansible_job_id": "j2", "finished": 0},
        103, 104, clock=clock)
    answer = {"finished": 1, "seconds_to_healthy": 0.1, "version": {"version": "1.2.3"}}
    run(report, Task("async_status", "canary-verdict"), answer, 120, 121, clock=clock)
    started, verdict = [entry for entry in report._timeline["edge1"] if entry["service"] == "svc"]
    assert "gate" not in started
    assert (verdict["start"], verdict["seconds"]) == (1, 20)
    assert verdict["gate"]["passed"] is True and verdict["gate"]["version"] == "1.2.3"


def test_a_background_gate_that_failed_is_a_failed_gate_with_its_reason(monkeypatch):
    report, clock = make_report(monkeypatch)
    run(report, Task("edge_health_gate", "health-gate"), {"ansible_job_id": "j1", "finished": 0}, 101, 102,
        clock=clock)
    answer = {"finished": 1, "failed": True, "msg": "no healthy 2.0.0 within 60s"}
    run(report, Task("async_status", "canary-verdict"), answer, 130, 131, ok=False, clock=clock)
    [_, verdict] = report._timeline["edge1"]
    assert verdict["status"] == "failed" and verdict["start"] == 1
    assert verdict["gate"] == {"passed": False, "seconds_to_healthy": None, "version": None,
                               "msg": "no healthy 2.0.0 within 60s"}


def test_a_switch_and_its_gate_in_one_task_are_two_steps_split_where_the_switch_ended(monkeypatch):
    report, clock = make_report(monkeypatch)
    answer = {"changed": True, "restarted": True, "activate_seconds": 0.5,
              "health_gate": {"seconds_to_healthy": 0.2, "version": {"version": "1.2.3"}}}
    run(report, Task("edge_release_activate", "activate"), answer, 101, 112, clock=clock)
    switch, gate = report._timeline["edge1"]
    assert (switch["file"], switch["start"], switch["seconds"], switch["changed"]) == ("activate", 1, 0.5, True)
    assert "gate" not in switch
    assert (gate["file"], gate["action"], gate["start"], gate["seconds"]) == ("health-gate", "edge_health_gate", 1.5, 10.5)
    assert gate["gate"] == {"passed": True, "seconds_to_healthy": 0.2, "version": "1.2.3", "msg": ""}


def test_a_gate_that_failed_after_the_switch_is_the_failed_step_with_its_reason(monkeypatch):
    report, clock = make_report(monkeypatch)
    answer = {"failed": True, "msg": "no healthy 2.0.0 within 60s", "activate_seconds": 1,
              "health_gate": {"failed": True, "msg": "no healthy 2.0.0 within 60s"}}
    run(report, Task("edge_release_activate", "activate"), answer, 101, 162, ok=False, clock=clock)
    switch, gate = report._timeline["edge1"]
    assert switch["status"] == "ok" and "msg" not in switch
    assert gate["status"] == "failed" and gate["msg"] == "no healthy 2.0.0 within 60s"
    assert gate["gate"]["passed"] is False


def test_a_background_gate_started_by_the_switch_spans_from_the_switch_to_its_verdict(monkeypatch):
    report, clock = make_report(monkeypatch)
    answer = {"changed": True, "activate_seconds": 2, "health_gate": {"ansible_job_id": "j1", "finished": 0}}
    run(report, Task("edge_release_activate", "activate"), answer, 101, 104, clock=clock)
    verdict = {"finished": 1, "seconds_to_healthy": 0.1, "version": {"version": "1.2.3"}}
    run(report, Task("async_status", "canary-verdict"), verdict, 120, 121, clock=clock)
    switch, started, waited = report._timeline["edge1"]
    assert (switch["seconds"], started["start"]) == (2, 3)
    assert (waited["start"], waited["seconds"]) == (3, 18)


def test_the_removal_of_the_background_gate_job_file_is_no_second_verdict(monkeypatch):
    report, clock = make_report(monkeypatch)
    run(report, Task("edge_health_gate", "health-gate"), {"ansible_job_id": "j1", "finished": 0}, 101, 102,
        clock=clock)
    answer = {"finished": 1, "seconds_to_healthy": 0.1, "version": {"version": "1.2.3"}}
    run(report, Task("async_status", "canary-verdict"), answer, 120, 121, clock=clock)
    cleanup = Task("async_status", "canary-verdict", args={"jid": "j1", "mode": "cleanup"})
    cleanup._uuid = "cleanup"
    run(report, cleanup, {"ansible_job_id": "j1", "erased": "/root/.ansible_async/j1"}, 121, 122, clock=clock)
    gates = [entry for entry in report._timeline["edge1"] if "gate" in entry]
    assert len(gates) == 1 and gates[0]["gate"]["passed"] is True
