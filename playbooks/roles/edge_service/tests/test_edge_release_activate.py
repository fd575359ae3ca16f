import os

import pytest

import edge_release_activate
from edge_release_activate import Systemctl, SystemctlError, activate, swap_link, write_environment


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
    """Records the systemctl argv lists; `active` answers is-active, `failing` fails one verb."""

    def __init__(self, active=True, failing=None):
        self.calls, self.active, self.failing = [], active, failing

    def __call__(self, argv):
        self.calls.append(argv[1:])
        if argv[1] == self.failing:
            return 5, "", "Unit not found.\n"
        if argv[1] == "is-active":
            return (0 if self.active else 3), "", ""
        return 0, "", ""


def activate_args(tmp_path, **overrides):
    release = tmp_path / "releases" / "1.2.0-ba9876543210"
    release.mkdir(parents=True, exist_ok=True)
    args = dict(link=str(tmp_path / "current"), release_dir=str(release), unit="edgeship-x.service",
                socket="edgeship-x.socket", daemon_reload=False, hand_over_port=False, restart=False,
                environment_file="", environment="")
    args.update(overrides)
    return args


def test_activate_hands_the_port_over_before_the_switch_and_restarts_the_switched_unit(tmp_path):
    systemd = FakeSystemd()
    result = activate(activate_args(tmp_path, daemon_reload=True, hand_over_port=True), Systemctl(systemd))
    assert result == (True, True, False)
    assert systemd.calls == [
        ["daemon-reload"], ["stop", "edgeship-x.service"], ["enable", "--quiet", "edgeship-x.socket"],
        ["restart", "edgeship-x.socket"], ["enable", "--quiet", "edgeship-x.service"],
        ["is-active", "--quiet", "edgeship-x.service"], ["restart", "edgeship-x.service"]]


def test_activate_only_starts_an_unchanged_release_and_reports_a_start_from_stopped(tmp_path):
    args = activate_args(tmp_path)
    activate(args, Systemctl(FakeSystemd()))
    running, stopped = FakeSystemd(active=True), FakeSystemd(active=False)
    assert activate(args, Systemctl(running)) == (False, False, False)
    assert running.calls[-1] == ["start", "edgeship-x.service"]
    assert activate(args, Systemctl(stopped)) == (False, True, False)


def test_activate_names_the_systemctl_call_that_failed_and_a_release_not_on_the_node(tmp_path):
    with pytest.raises(SystemctlError, match=r"^systemctl enable --quiet edgeship-x.service failed \(5\): Unit not found.$"):
        activate(activate_args(tmp_path), Systemctl(FakeSystemd(failing="enable")))
    with pytest.raises(SystemctlError, match="is not on the node"):
        activate(dict(activate_args(tmp_path), release_dir=str(tmp_path / "gone")), Systemctl(FakeSystemd()))


def test_main_fails_before_touching_systemd_when_the_release_is_missing(tmp_path, run_ansible_module):
    code, result = run_ansible_module(edge_release_activate, dict(
        link=str(tmp_path / "current"), release_dir=str(tmp_path / "gone"), unit="edgeship-x.service",
        daemon_reload="True"))
    assert code == 1 and result["msg"] == "release %s is not on the node" % (tmp_path / "gone")
    assert not os.path.lexists(tmp_path / "current")
