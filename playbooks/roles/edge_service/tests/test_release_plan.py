import hashlib

from release_plan import edge_release_plan

ARCH_MAP = {"aarch64": {"oci": "arm64"}, "x86_64": {"oci": "amd64"}}
SHA = "ab" * 32
ARTIFACTS = {
    "binary": {"amd64": {"path": "/dist/hello-edge-linux-x64", "sha256": SHA}},
    "container": {"amd64": {"path": "/dist/image.tar", "sha256": "cd" * 32, "repository": "edgeship/hello-edge",
                            "manifest_digest": "sha256:" + "ef" * 32}},
}


def plan(**overrides):
    args = dict(artifacts=ARTIFACTS, name="hello-edge", version="1.2.3", machine="x86_64", arch_map=ARCH_MAP,
                wanted_delivery="binary", podman_ok=True, container_fallback="binary", image_registry="")
    args.update(overrides)
    return edge_release_plan(**args)


def test_binary_release_is_named_by_version_and_content():
    result = plan()
    assert result["arch"] == "amd64" and result["delivery"] == "binary"
    assert result["artifact"]["path"] == "/dist/hello-edge-linux-x64"
    assert result["expected_sha256"] == SHA and result["release_id"] == "1.2.3-" + SHA[:12]
    assert result["pull_reference"] == ""


def test_container_falls_back_to_the_executable_only_where_podman_fails_and_the_fallback_allows_it():
    assert plan(wanted_delivery="container")["delivery"] == "container"
    assert plan(wanted_delivery="container", podman_ok=False)["delivery"] == "binary"
    assert plan(wanted_delivery="container", podman_ok=False, container_fallback="fail")["delivery"] == "container"


def test_a_registry_pulls_the_image_by_digest_and_the_release_is_named_by_the_reference():
    result = plan(wanted_delivery="container", image_registry="10.0.0.1:5000")
    reference = "10.0.0.1:5000/edgeship/hello-edge@sha256:" + "ef" * 32
    assert result["pull_reference"] == reference
    assert result["expected_sha256"] == hashlib.sha256(reference.encode()).hexdigest()
    # Without a registry the archive goes over SSH and is named by its own sha256.
    assert plan(wanted_delivery="container")["expected_sha256"] == "cd" * 32


def test_no_artifact_for_an_unknown_machine_or_a_missing_architecture():
    assert plan(machine="riscv64")["artifact"] == {} and plan(machine="riscv64")["arch"] == "riscv64"
    missing = plan(machine="aarch64")
    assert missing["arch"] == "arm64" and missing["artifact"] == {} and missing["expected_sha256"] == ""
    assert plan(artifacts={})["artifact"] == {}
