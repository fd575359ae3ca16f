import hashlib
import os

import edge_release_stage


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def args(tmp_path, **extra):
    return dict(releases_dir=str(tmp_path / "releases"), release="1.2.0-ba9876543210", file="hello-edge",
                sha256=sha256(b"new"), **extra)


def test_refuses_a_release_id_or_file_name_that_would_leave_the_releases_dir(tmp_path, run_module):
    for bad in (dict(release="../etc"), dict(file="../hello-edge"), dict(file=".hidden")):
        code, result = run_module(edge_release_stage, dict(args(tmp_path), **bad))
        assert code == 1 and result["failed"]
    assert not (tmp_path / "releases").exists()


def test_reports_a_kept_release_and_whether_its_checksum_matches(tmp_path, run_module):
    kept = tmp_path / "releases" / "1.2.0-ba9876543210"
    kept.mkdir(parents=True)
    (kept / "hello-edge").write_bytes(b"new")
    assert run_module(edge_release_stage, args(tmp_path))[1] == dict(
        changed=False, exists=True, sha256=sha256(b"new"), matches=True)
    (kept / "hello-edge").write_bytes(b"modified on the node")
    assert run_module(edge_release_stage, args(tmp_path))[1]["matches"] is False


def test_stages_the_release_hard_linked_to_the_delta_basis(tmp_path, run_module):
    basis = tmp_path / "old-hello-edge"
    basis.write_bytes(b"old")
    code, result = run_module(edge_release_stage, args(tmp_path, basis=str(basis)))
    staged = tmp_path / "releases" / ".staging-1.2.0-ba9876543210" / "hello-edge"
    assert code == 0 and result == dict(changed=True, exists=False, staging=str(staged.parent), basis=str(basis))
    assert os.path.samefile(staged, basis)


def test_stages_content_instead_of_a_basis_and_ignores_a_missing_basis(tmp_path, run_module):
    result = run_module(edge_release_stage, args(tmp_path, content="registry/hello-edge@sha256:1"))[1]
    assert result["basis"] == ""
    assert (tmp_path / "releases" / ".staging-1.2.0-ba9876543210" / "hello-edge").read_text() == "registry/hello-edge@sha256:1"
    result = run_module(edge_release_stage, args(tmp_path, basis=str(tmp_path / "gone")))[1]
    assert result["basis"] == ""
