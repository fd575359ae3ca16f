# -*- coding: utf-8 -*-
"""What one node gets of one service in this run: delivery, artifact and the release id it installs as.

Decided in Python, once per node and service (settled.yml keeps it as a fact), because as a chain of role
variables every task that named one of them templated the whole chain again: on a 16-node deploy, compiling
those templates was three quarters of the controller's worker CPU.
"""

import hashlib


def edge_release_plan(artifacts, name, version, machine, arch_map, wanted_delivery, podman_ok,
                      container_fallback, image_registry):
    """The plan as a dict. An unknown machine keeps its kernel name as arch: no artifact is published under it,
    so the coverage check refuses the node naming it."""
    arch = (arch_map.get(machine) or {}).get("oci", machine)
    # The executable where podman cannot run containers and the fallback allows it (preflight warns then).
    delivery = wanted_delivery
    if wanted_delivery == "container" and not podman_ok and container_fallback == "binary":
        delivery = "binary"
    artifact = ((artifacts or {}).get(delivery) or {}).get(arch) or {}
    # A released image is pulled by its digest where the group names a registry the nodes reach; the digest
    # pins the content, and the release's signature was verified before use.
    pull_reference = ""
    if delivery == "container" and image_registry and "repository" in artifact and "manifest_digest" in artifact:
        pull_reference = "%s/%s@%s" % (image_registry, artifact["repository"], artifact["manifest_digest"])
    # A pulled release's file holds its reference (without a newline), so that is what its sha256 is of.
    if pull_reference:
        expected_sha256 = hashlib.sha256(pull_reference.encode("utf-8")).hexdigest()
    else:
        expected_sha256 = artifact.get("sha256", "")
    return {
        "service": name,
        "arch": arch,
        "delivery": delivery,
        "artifact": artifact,
        "pull_reference": pull_reference,
        "expected_sha256": expected_sha256,
        # Version and content: a rebuilt artifact of the same version is a new release.
        "release_id": "%s-%s" % (version, expected_sha256[:12]),
    }


def edge_release_artifacts(hostvars, hosts, service):
    """The distinct artifacts the hosts' plans of this service send, each with the nodes that get it, so each is
    inspected (and hashed) once per run on the controller, not once per node. Hosts without a plan for the
    service (refused before it was decided) and plans without an artifact (coverage refuses those) are left out."""
    artifacts = {}
    for host in hosts:
        plan = (hostvars[host].get("_edge_service_plans") or {}).get(service)
        if not plan or not plan["artifact"].get("path"):
            continue
        artifact = plan["artifact"]
        entry = artifacts.setdefault(artifact["path"], {
            "path": artifact["path"],
            "kind": "binary" if plan["delivery"] == "binary" else "image",
            "arch": plan["arch"],
            "sha256": artifact.get("sha256", ""),
            "manifest_digest": artifact.get("manifest_digest", "") if plan["delivery"] == "container" else "",
            "nodes": [],
        })
        entry["nodes"].append(host)
    return [artifacts[path] for path in sorted(artifacts)]


class FilterModule(object):
    def filters(self):
        return {"edge_release_plan": edge_release_plan, "edge_release_artifacts": edge_release_artifacts}
