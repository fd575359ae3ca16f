import edge_release_prune


def test_removes_release_directories_inside_the_releases_dir_only(tmp_path, run_module):
    releases = tmp_path / "releases"
    (releases / "1.0.0-a").mkdir(parents=True)
    (releases / ".staging-1.1.0-b").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (releases / "link").symlink_to(outside)

    for bad in (outside, releases / "link", releases / "1.0.0-a" / ".."):
        code, result = run_module(edge_release_prune, dict(releases_dir=str(releases), paths=[str(bad)]))
        assert code == 1 and "is not a release directory" in result["msg"]
    assert outside.is_dir()

    paths = [str(releases / "1.0.0-a"), str(releases / ".staging-1.1.0-b"), str(releases / "already-gone")]
    code, result = run_module(edge_release_prune, dict(releases_dir=str(releases), paths=paths))
    assert code == 0 and result == dict(changed=True, removed=paths[:2])
    assert sorted(p.name for p in releases.iterdir()) == ["link"]
