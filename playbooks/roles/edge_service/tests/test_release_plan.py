import hashlib

from release_plan import edge_release_artifacts, edge_release_plan

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


def test_each_artifact_is_listed_once_with_every_node_that_gets_it():
    amd64 = plan()
    arm64 = plan(machine="aarch64", artifacts={"binary": {"arm64": {"path": "/dist/hello-edge-linux-arm64", "sha256": SHA}}})
    hostvars = {
        "edge1": {"_edge_service_plans": {"hello-edge": amd64}},
        "edge2": {"_edge_service_plans": {"hello-edge": amd64, "other": plan(name="other")}},
        "edge3": {"_edge_service_plans": {"hello-edge": arm64}},
        # Refused before its plan was decided, and a node the build record does not cover: neither is listed.
        "edge4": {},
        "edge5": {"_edge_service_plans": {"hello-edge": plan(machine="riscv64")}},
    }
    listed = edge_release_artifacts(hostvars, ["edge1", "edge2", "edge3", "edge4", "edge5"], "hello-edge")
    assert [(a["path"], a["arch"], a["kind"], a["nodes"]) for a in listed] == [
        ("/dist/hello-edge-linux-arm64", "arm64", "binary", ["edge3"]),
        ("/dist/hello-edge-linux-x64", "amd64", "binary", ["edge1", "edge2"]),
    ]
    image = edge_release_artifacts({"edge1": {"_edge_service_plans": {"hello-edge": plan(wanted_delivery="container")}}},
                                   ["edge1"], "hello-edge")
    assert image[0]["kind"] == "image" and image[0]["manifest_digest"] == "sha256:" + "ef" * 32
