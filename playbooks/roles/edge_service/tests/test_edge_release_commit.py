import hashlib
import json

import pytest

import edge_release_commit
from edge_release_commit import write_release_env


def test_write_release_env_writes_sorted_single_lines_and_skips_empty_values(tmp_path):
    path = tmp_path / "release.env"
    write_release_env(str(path), {"EDGESHIP_VERSION": "1.2.0", "EDGESHIP_IMAGE": "", "EDGESHIP_ARCH": "arm64"})
    assert path.read_text() == "EDGESHIP_ARCH=arm64\nEDGESHIP_VERSION=1.2.0\n"
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("key, value", [("EDGESHIP_VERSION", "1.2.0\nEVIL=1"), ("lower", "x"), ("A B", "x")])
def test_write_release_env_refuses_what_is_not_one_key_value_line(tmp_path, key, value):
    with pytest.raises(ValueError, match="single KEY=value line"):
        write_release_env(str(tmp_path / "release.env"), {key: value})


def staged(tmp_path, data=b"artifact"):
    staging = tmp_path / ".staging-1.2.0-x"
    staging.mkdir()
    (staging / "hello-edge").write_bytes(data)
    return dict(staging=str(staging), release_dir=str(tmp_path / "1.2.0-x"), file="hello-edge",
                sha256=hashlib.sha256(b"artifact").hexdigest(), mode="0755",
                environment={"EDGESHIP_VERSION": "1.2.0"},
                signed_record={"record": json.dumps({"name": "hello-edge"}), "signature": "sig"})


def test_moves_a_verified_release_into_place_with_its_record(tmp_path, run_module):
    code, result = run_module(edge_release_commit, staged(tmp_path))
    release = tmp_path / "1.2.0-x"
    assert code == 0 and result["verified"] and result["changed"]
    assert (release / "hello-edge").stat().st_mode & 0o777 == 0o755
    assert (release / "release.env").read_text() == "EDGESHIP_VERSION=1.2.0\n"
    assert (release / "build.json.sig").read_text() == "sig"


def test_leaves_an_artifact_that_fails_its_checksum_in_staging(tmp_path, run_module):
    code, result = run_module(edge_release_commit, staged(tmp_path, b"corrupted in transit"))
    assert code == 0 and result == dict(changed=False, verified=False,
                                        sha256=hashlib.sha256(b"corrupted in transit").hexdigest())
    assert not (tmp_path / "1.2.0-x").exists()
