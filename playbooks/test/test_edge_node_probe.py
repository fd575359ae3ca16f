"""edge_node_probe's readers of a service's files; history.spec.ts runs the module as a whole."""
import json
import os

from edge_node_probe import NAME, list_delta_bases, list_releases, read_history, read_release_env, read_signed_record


def test_list_releases_sorts_newest_first_and_keeps_staging_and_links_apart(tmp_path):
    for name, mtime in (("1.0.0-a", 100), ("1.1.0-b", 200)):
        (tmp_path / name).mkdir()
        os.utime(tmp_path / name, (mtime, mtime))
    (tmp_path / ".staging-1.2.0-c").mkdir()
    (tmp_path / ".other").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "1.0.0-a")
    releases, staging = list_releases(str(tmp_path))
    assert [r["name"] for r in releases] == ["1.1.0-b", "1.0.0-a"]
    assert staging == [str(tmp_path / ".staging-1.2.0-c")]
    assert list_releases(str(tmp_path / "missing")) == ([], [])


def test_read_release_env_splits_at_the_first_equals_sign(tmp_path):
    (tmp_path / "release.env").write_text("EDGESHIP_VERSION=1.2.0\nEDGESHIP_IMAGE_REFERENCE=r/x@sha256:1=2\nnoise\n")
    assert read_release_env(str(tmp_path)) == {"EDGESHIP_VERSION": "1.2.0", "EDGESHIP_IMAGE_REFERENCE": "r/x@sha256:1=2"}
    assert read_release_env(str(tmp_path / "missing")) == {}


def test_read_signed_record_needs_both_files(tmp_path):
    (tmp_path / "build.json").write_text("{}")
    assert read_signed_record(str(tmp_path)) == {}
    (tmp_path / "build.json.sig").write_text("sig")
    assert read_signed_record(str(tmp_path)) == {"record": "{}", "signature": "sig"}


def test_read_history_returns_the_last_records_and_skips_a_torn_line(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text("".join(json.dumps({"n": n}) + "\n" for n in range(5)) + '{"n": 5, "at"')
    assert read_history(str(path), 2) == [{"n": 3}, {"n": 4}]
    assert read_history(str(path), 0) == []
    assert read_history(str(tmp_path / "missing"), 3) == []


def test_list_delta_bases_offers_current_artifacts_largest_first(tmp_path):
    for name, size in (("hello-edge", 10), ("telemetry-gateway", 30)):
        release = tmp_path / name / "releases" / "1"
        release.mkdir(parents=True)
        (release / name).write_bytes(b"x" * size)
        (tmp_path / name / "current").symlink_to(release)
    bases = list_delta_bases(str(tmp_path))
    assert [(b["service"], b["size"]) for b in bases["binary"]] == [("telemetry-gateway", 30), ("hello-edge", 10)]
    assert bases["image"] == []


def test_service_names_are_kebab_case_with_no_trailing_newline():
    assert NAME.match("hello-edge")
    for bad in ("hello-edge\n", "Hello", "../x", "1st", "a/b"):
        assert not NAME.match(bad)
