import os

import pytest

import edge_release_activate
from edge_release_activate import (Systemctl, SystemctlError, activate, check_unit_files, keep_backup, swap_link,
                                   write_environment)


def test_swap_link_points_the_link_at_the_release_and_reports_a_change_once(tmp_path):
    link = str(tmp_path / "current")
    assert swap_link(link, "/opt/edgeship/hello-edge/releases/1") is True
    assert swap_link(link, "/opt/edgeship/hello-edge/releases/1") is False
    # A leftover of a run killed between symlink and rename does not stop the next one.
    os.symlink("/elsewhere", link + ".edgeship-tmp")
    assert swap_link(link, "/opt/edgeship/hello-edge/releases/2") is True
    assert os.readlink(link) == "/opt/edgeship/hello-edge/releases/2"
    assert not os.path.lexists(link + ".edgeship-tmp")


@pytest.mark.parametrize("name", ["../service.env", ".env", "a/b"])
def test_write_environment_refuses_a_file_name_outside_the_release(tmp_path, name):
    with pytest.raises(OSError, match="bad environment file name"):
        write_environment(str(tmp_path), name, "A=1\n")


@pytest.mark.skipif(os.geteuid() != 0, reason="the file is owned by root, as systemd reads it")
def test_write_environment_writes_0600_root_and_reports_no_change_for_the_same_content(tmp_path):
    assert write_environment(str(tmp_path), "service.env", 'A="1"\n') is True
    stat = (tmp_path / "service.env").stat()
    assert (stat.st_mode & 0o777, stat.st_uid) == (0o600, 0)
    assert write_environment(str(tmp_path), "service.env", 'A="1"\n') is False
    assert write_environment(str(tmp_path), "service.env", 'A="2"\n') is True
    assert (tmp_path / "service.env").read_text() == 'A="2"\n'


class FakeSystemd(object):
    """Records the systemctl argv lists; `active` answers is-active, `enabled` is-enabled (the units it names are
    enabled), `failing` fails one verb."""

    def __init__(self, active=True, failing=None, enabled=()):
        self.calls, self.active, self.failing, self.enabled = [], active, failing, enabled

    def __call__(self, argv):
        self.calls.append(argv[1:])
        if argv[1] == self.failing:
            return 5, "", "Unit not found.\n"
        if argv[1] == "is-active":
            return (0 if self.active else 3), "", ""
        if argv[1] == "is-enabled":
            return (0, "enabled\n", "") if argv[2] in self.enabled else (1, "disabled\n", "")
        return 0, "", ""


def activate_args(tmp_path, **overrides):
    release = tmp_path / "releases" / "1.2.0-ba9876543210"
    release.mkdir(parents=True, exist_ok=True)
    args = dict(link=str(tmp_path / "current"), release_dir=str(release), unit="edgeship-x.service",
                unit_path=None, unit_content=None, socket="edgeship-x.socket", socket_path=None,
                socket_state=None, socket_content=None, daemon_reload=False, hand_over_port=False, restart=False,
                environment_file="", environment="")
    args.update(overrides)
    return args


def outcome(result):
    return result["switched"], result["restarted"], result["environment_changed"]


def test_activate_hands_the_port_over_before_the_switch_and_restarts_the_switched_unit(tmp_path):
    systemd = FakeSystemd()
    result = activate(activate_args(tmp_path, daemon_reload=True, hand_over_port=True), Systemctl(systemd))
    assert outcome(result) == (True, True, False)
    assert systemd.calls == [
        ["daemon-reload"], ["stop", "edgeship-x.service"], ["is-enabled", "edgeship-x.socket"], ["enable", "--quiet", "edgeship-x.socket"],
        ["restart", "edgeship-x.socket"], ["is-enabled", "edgeship-x.service"], ["enable", "--quiet", "edgeship-x.service"],
        ["is-active", "--quiet", "edgeship-x.service"], ["restart", "edgeship-x.service"]]


def test_activate_only_starts_an_unchanged_release_and_reports_a_start_from_stopped(tmp_path):
    args = activate_args(tmp_path)
    activate(args, Systemctl(FakeSystemd()))
    running, stopped = FakeSystemd(active=True), FakeSystemd(active=False)
    assert outcome(activate(args, Systemctl(running))) == (False, False, False)
    assert running.calls[-1] == ["start", "edgeship-x.service"]
    assert outcome(activate(args, Systemctl(stopped))) == (False, True, False)


def test_activate_names_the_systemctl_call_that_failed_and_a_release_not_on_the_node(tmp_path):
    with pytest.raises(SystemctlError, match=r"^systemctl enable --quiet edgeship-x.service failed \(5\): Unit not found.$"):
        activate(activate_args(tmp_path), Systemctl(FakeSystemd(failing="enable")))
    with pytest.raises(SystemctlError, match="is not on the node"):
        activate(dict(activate_args(tmp_path), release_dir=str(tmp_path / "gone")), Systemctl(FakeSystemd()))


def test_main_fails_before_touching_systemd_when_the_release_is_missing(tmp_path, run_module):
    code, result = run_module(edge_release_activate, dict(
        link=str(tmp_path / "current"), release_dir=str(tmp_path / "gone"), unit="edgeship-x.service",
        daemon_reload="True"))
    assert code == 1 and result["msg"] == "release %s is not on the node" % (tmp_path / "gone")
    assert not os.path.lexists(tmp_path / "current")


SERVICE_UNIT = "[Service]\nExecStart=/opt/edgeship/x/current/x\n"
SOCKET_UNIT = "[Socket]\nListenStream=0.0.0.0:8080\n"


def unit_args(tmp_path, **overrides):
    """activate_args with the unit files in tmp_path/system (activate's units_dir in these tests)."""
    units = tmp_path / "system"
    units.mkdir(exist_ok=True)
    files = dict(unit_path=str(units / "edgeship-x.service"), unit_content=SERVICE_UNIT)
    if "socket_state" in overrides:
        files["socket_path"] = str(units / "edgeship-x.socket")
    return activate_args(tmp_path, **dict(files, **overrides))


def file_mode_and_owner(path):
    stat = os.stat(path)
    return stat.st_mode & 0o7777, stat.st_uid, stat.st_gid


def backups_of(path):
    directory, name = os.path.split(str(path))
    return sorted(entry for entry in os.listdir(directory) if entry.startswith(name + ".") and entry.endswith("~"))


def test_activate_writes_new_units_reloads_and_hands_the_new_socket_the_port(tmp_path):
    systemd = FakeSystemd()
    args = unit_args(tmp_path, socket_state="present", socket_content=SOCKET_UNIT)
    result = activate(args, Systemctl(systemd), units_dir=str(tmp_path / "system"))
    assert (result["unit_changed"], result["unit_backup"], result["socket_changed"]) == (True, "", True)
    assert (tmp_path / "system" / "edgeship-x.service").read_text() == SERVICE_UNIT
    assert (tmp_path / "system" / "edgeship-x.socket").read_text() == SOCKET_UNIT
    assert file_mode_and_owner(tmp_path / "system" / "edgeship-x.service") == (0o644, 0, 0)
    assert file_mode_and_owner(tmp_path / "system" / "edgeship-x.socket") == (0o644, 0, 0)
    assert sorted(os.listdir(tmp_path / "system")) == ["edgeship-x.service", "edgeship-x.socket"]
    assert systemd.calls == [
        ["daemon-reload"], ["stop", "edgeship-x.service"], ["is-enabled", "edgeship-x.socket"], ["enable", "--quiet", "edgeship-x.socket"],
        ["restart", "edgeship-x.socket"], ["is-enabled", "edgeship-x.service"], ["enable", "--quiet", "edgeship-x.service"],
        ["is-active", "--quiet", "edgeship-x.service"], ["restart", "edgeship-x.service"]]


def test_activate_leaves_units_that_match_alone_and_neither_reloads_nor_restarts(tmp_path):
    args = unit_args(tmp_path, socket_state="present", socket_content=SOCKET_UNIT)
    activate(args, Systemctl(FakeSystemd()), units_dir=str(tmp_path / "system"))
    before = os.stat(tmp_path / "system" / "edgeship-x.service").st_ino
    systemd = FakeSystemd()
    result = activate(args, Systemctl(systemd), units_dir=str(tmp_path / "system"))
    assert (result["unit_changed"], result["unit_backup"], result["socket_changed"]) == (False, "", False)
    assert (result["switched"], result["restarted"]) == (False, False)
    assert os.stat(tmp_path / "system" / "edgeship-x.service").st_ino == before
    assert systemd.calls == [["is-enabled", "edgeship-x.service"], ["enable", "--quiet", "edgeship-x.service"],
                             ["is-active", "--quiet", "edgeship-x.service"], ["start", "edgeship-x.service"]]


def test_activate_keeps_the_old_service_unit_beside_it_and_restarts_under_the_new_one(tmp_path):
    args = unit_args(tmp_path)
    activate(args, Systemctl(FakeSystemd()), units_dir=str(tmp_path / "system"))
    systemd = FakeSystemd()
    result = activate(dict(args, unit_content=SERVICE_UNIT + "Restart=always\n"), Systemctl(systemd),
                      units_dir=str(tmp_path / "system"))
    unit = tmp_path / "system" / "edgeship-x.service"
    assert result["unit_changed"] is True and result["restarted"] is True
    assert backups_of(unit) == [os.path.basename(result["unit_backup"])]
    assert os.path.dirname(result["unit_backup"]) == str(tmp_path / "system")
    assert open(result["unit_backup"]).read() == SERVICE_UNIT
    assert unit.read_text() == SERVICE_UNIT + "Restart=always\n"
    # Only the service unit changed: no socket unit is handed the port.
    assert systemd.calls == [["daemon-reload"], ["is-enabled", "edgeship-x.service"], ["enable", "--quiet", "edgeship-x.service"],
                             ["is-active", "--quiet", "edgeship-x.service"], ["restart", "edgeship-x.service"]]


def test_activate_rewrites_a_unit_with_the_right_content_but_the_wrong_mode(tmp_path):
    args = unit_args(tmp_path)
    activate(args, Systemctl(FakeSystemd()), units_dir=str(tmp_path / "system"))
    os.chmod(tmp_path / "system" / "edgeship-x.service", 0o666)
    result = activate(args, Systemctl(FakeSystemd()), units_dir=str(tmp_path / "system"))
    assert result["unit_changed"] is True and result["unit_backup"]
    assert file_mode_and_owner(tmp_path / "system" / "edgeship-x.service") == (0o644, 0, 0)


def test_keep_backup_never_overwrites_an_earlier_backup(tmp_path):
    unit = tmp_path / "edgeship-x.service"
    first, second = keep_backup(str(unit), b"one"), keep_backup(str(unit), b"two")
    assert first != second and first.endswith("~") and second.endswith("~")
    assert (open(first).read(), open(second).read()) == ("one", "two")


def test_activate_stops_disables_and_removes_the_socket_unit_a_binary_delivery_left(tmp_path):
    args = unit_args(tmp_path, socket_state="absent")
    socket = tmp_path / "system" / "edgeship-x.socket"
    socket.write_text(SOCKET_UNIT)
    activate(args, Systemctl(FakeSystemd()), units_dir=str(tmp_path / "system"))
    systemd = FakeSystemd()
    (tmp_path / "system" / "edgeship-x.service").chmod(0o644)
    socket.write_text(SOCKET_UNIT)
    result = activate(args, Systemctl(systemd), units_dir=str(tmp_path / "system"))
    assert (result["socket_removed"], result["socket_changed"], result["unit_changed"]) == (True, False, False)
    assert not os.path.lexists(socket)
    # Removed before the reload, and the unit restarted so the container takes the port; no hand-over.
    assert systemd.calls == [
        ["stop", "edgeship-x.socket"], ["disable", "--quiet", "edgeship-x.socket"], ["daemon-reload"],
        ["is-enabled", "edgeship-x.service"], ["enable", "--quiet", "edgeship-x.service"], ["is-active", "--quiet", "edgeship-x.service"],
        ["restart", "edgeship-x.service"]]
    # Nothing left to remove: systemd is not asked about the socket unit again.
    again = FakeSystemd()
    assert activate(args, Systemctl(again), units_dir=str(tmp_path / "system"))["socket_removed"] is False
    assert ["stop", "edgeship-x.socket"] not in again.calls and ["daemon-reload"] not in again.calls


def test_activate_failing_after_the_unit_was_replaced_still_names_the_backup(tmp_path):
    args = unit_args(tmp_path)
    activate(args, Systemctl(FakeSystemd()), units_dir=str(tmp_path / "system"))
    result = edge_release_activate.new_result()
    with pytest.raises(SystemctlError, match="daemon-reload"):
        activate(dict(args, unit_content="[Service]\nExecStart=/bin/false\n"), Systemctl(FakeSystemd(failing="daemon-reload")),
                 result, units_dir=str(tmp_path / "system"))
    assert result["unit_changed"] is True and open(result["unit_backup"]).read() == SERVICE_UNIT
    assert result["switched"] is False and not os.path.lexists(tmp_path / "current.edgeship-tmp")


@pytest.mark.parametrize("overrides, error", [
    (dict(unit_path="edgeship-x.service"), "unit_path 'edgeship-x.service' must be {units}/edgeship-x.service"),
    (dict(unit_path="{units}/../edgeship-x.service"), "must be {units}/edgeship-x.service"),
    (dict(unit_path="{units}/sub/edgeship-x.service"), "must be {units}/edgeship-x.service"),
    (dict(unit_path="/tmp/edgeship-x.service"), "must be {units}/edgeship-x.service"),
    (dict(unit_path="{units}/edgeship-y.service"), "must be {units}/edgeship-x.service"),
    (dict(unit_content=None), "unit_content must be the unit file's text, not NoneType"),
    (dict(unit_content={"Service": "x"}), "unit_content must be the unit file's text, not dict"),
    (dict(unit_path=None), "unit_path is missing"),
    (dict(socket_state="present", socket_content=SOCKET_UNIT, socket_path="{units}/edgeship-y.socket"),
     "socket_path '{units}/edgeship-y.socket' must be {units}/edgeship-x.socket"),
    (dict(socket_state="present", socket_content=SOCKET_UNIT, socket_path=None), "socket_path is missing"),
    (dict(socket_state="present", socket_content=8080), "socket_content must be the unit file's text, not int"),
    (dict(socket_state="absent", socket_content=SOCKET_UNIT), "socket_content with socket_state=absent"),
    (dict(socket_state="absent", socket=""), "must be {units}/<socket>"),
    (dict(socket_content=SOCKET_UNIT), "need socket_state"),
])
def test_activate_refuses_unit_files_outside_the_units_directory_or_not_text(tmp_path, overrides, error):
    units = str(tmp_path / "system")
    args = unit_args(tmp_path, **{key: value.format(units=units) if isinstance(value, str) else value
                                   for key, value in overrides.items()})
    systemd = FakeSystemd()
    with pytest.raises(ValueError) as raised:
        activate(args, Systemctl(systemd), units_dir=units)
    assert error.format(units=units) in str(raised.value)
    assert systemd.calls == [] and os.listdir(units) == []


def test_unit_files_must_be_in_etc_systemd_system_by_default():
    args = dict(unit="edgeship-x.service", unit_path="/etc/systemd/system/edgeship-x.service", unit_content="",
                socket="edgeship-x.socket", socket_path="/etc/systemd/system/edgeship-x.socket", socket_state="absent")
    check_unit_files(args)
    with pytest.raises(ValueError, match="must be /etc/systemd/system/edgeship-x.service"):
        check_unit_files(dict(args, unit_path="/run/systemd/system/edgeship-x.service"))


def given(args):
    """The arguments a task hands over: an option left out (omit) is absent, not None."""
    return {key: value for key, value in args.items() if value is not None}


@pytest.fixture
def fake_node(tmp_path, monkeypatch):
    """main() against tmp_path/system as /etc/systemd/system and a FakeSystemd for systemctl."""
    monkeypatch.setattr(edge_release_activate, "UNITS_DIR", str(tmp_path / "system"))
    systemd = FakeSystemd()
    monkeypatch.setattr(edge_release_activate, "run_command", systemd)
    return systemd


def test_main_failing_half_way_reports_the_unit_backup_for_the_rollback(tmp_path, run_module, fake_node):
    args = unit_args(tmp_path)
    (tmp_path / "system" / "edgeship-x.service").write_text("[Service]\nExecStart=/old\n")
    fake_node.failing = "restart"
    code, result = run_module(edge_release_activate, given(args))
    assert code == 1 and result["failed"] is True and result["changed"] is True
    assert result["msg"] == "systemctl restart edgeship-x.service failed (5): Unit not found."
    assert open(result["unit_backup"]).read() == "[Service]\nExecStart=/old\n"
    assert result["switched"] is True and result["unit_changed"] is True


def test_main_refuses_a_unit_path_outside_the_units_directory_before_touching_anything(
        tmp_path, run_module, fake_node):
    code, result = run_module(edge_release_activate, given(unit_args(
        tmp_path, unit_path=str(tmp_path / "edgeship-x.service"))))
    assert code == 1 and "must be %s/edgeship-x.service" % (tmp_path / "system") in result["msg"]
    assert result["unit_backup"] == "" and fake_node.calls == [] and not os.path.lexists(tmp_path / "current")


def test_main_takes_booleans_as_ansible_hands_them_over_and_refuses_wrong_arguments(tmp_path, run_module, fake_node):
    params = edge_release_activate.read_arguments(dict(link="~/current", release_dir="/r", unit="u",
                                                       daemon_reload="True", restart="no", hand_over_port=True))
    assert (params["daemon_reload"], params["restart"], params["hand_over_port"]) == (True, False, True)
    assert params["link"] == os.path.expanduser("~/current") and params["socket"] == "" and params["unit_path"] is None
    for args, error in [
        (dict(link="/c", unit="u"), "missing required arguments: release_dir"),
        (dict(link="/c", release_dir="/r", unit="u", restart="maybe"), "argument restart is 'maybe', not a boolean"),
        (dict(link="/c", release_dir="/r", unit="u", socket_state="gone"), "socket_state is 'gone', not one of"),
        (dict(link="/c", release_dir="/r", unit=["u"]), "argument unit is ['u'], not text"),
    ]:
        code, result = run_module(edge_release_activate, args)
        assert code == 1 and error in result["msg"] and result["changed"] is False, result
    assert fake_node.calls == []


def test_main_never_echoes_the_environment_it_writes(tmp_path, run_module, fake_node):
    args = unit_args(tmp_path, environment_file="service.env", environment='TOKEN="s3cret"\n')
    code, result = run_module(edge_release_activate, given(args))
    assert code == 0 and result["environment_changed"] is True and "s3cret" not in repr(result)


def test_main_does_nothing_in_check_mode(tmp_path, run_module, fake_node):
    code, result = run_module(edge_release_activate, dict(given(unit_args(tmp_path)), _ansible_check_mode=True))
    assert code == 0 and result["skipped"] is True and fake_node.calls == []
    assert not os.path.lexists(tmp_path / "current") and not os.path.lexists(tmp_path / "system" / "edgeship-x.service")


def test_activate_leaves_an_enabled_unit_as_it_is_without_reloading_systemd(tmp_path):
    # systemctl enable reloads the whole manager even when the unit is enabled already: asked first, not done.
    systemd = FakeSystemd(enabled=("edgeship-x.service", "edgeship-x.socket"))
    result = activate(activate_args(tmp_path, hand_over_port=True), Systemctl(systemd))
    assert result["restarted"] is True
    assert systemd.calls == [
        ["stop", "edgeship-x.service"], ["is-enabled", "edgeship-x.socket"], ["restart", "edgeship-x.socket"],
        ["is-enabled", "edgeship-x.service"], ["is-active", "--quiet", "edgeship-x.service"],
        ["restart", "edgeship-x.service"]]
