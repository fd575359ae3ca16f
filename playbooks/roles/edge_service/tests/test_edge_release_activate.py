import os

import pytest

from edge_release_activate import swap_link, write_environment


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
