#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Inspects a release artifact on the controller: its architecture, sha256 and, for images, the image ID.

Runs delegated to localhost before anything on a node changes, so a wrong-architecture or tampered
artifact is refused up front. Standard library only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: edge_artifact_info
short_description: Reads architecture, sha256 and image ID of an edgeship artifact
description:
  - For a single executable (C(kind=binary)) reads the ELF header's machine field.
  - For an image archive (C(kind=image), OCI archive or docker-archive tar) reads the image config and, for an
    OCI archive, checks every blob against its digest and returns the manifest digest.
  - Never changes anything.
options:
  path:
    description: Path of the artifact.
    type: path
    required: true
  kind:
    description: What the artifact is.
    type: str
    choices: [binary, image]
    required: true
  expect:
    description:
      - What the build record says the artifact is (C(arch), C(sha256), for an image C(manifest_digest)). Each
        key given must match what is read, or the module fails naming the artifact, the difference and the fix.
      - C(service) and C(node) name the service and the node in those messages.
    type: dict
    default: {}
author: edgeship
"""

RETURN = r"""
arch:
  description: OCI architecture name (arm64, amd64, ...) or C(unknown).
  type: str
  returned: always
sha256:
  description: Hex sha256 of the file.
  type: str
  returned: always
size:
  description: Size in bytes.
  type: int
  returned: always
image_id:
  description: C(sha256:<hex>) of the image config, what podman reports as the image ID.
  type: str
  returned: when kind is image
manifest_digest:
  description: Digest of the image manifest (what the release signs), empty for a docker-archive.
  type: str
  returned: when kind is image
"""

import hashlib
import json
import os
import struct
import tarfile

from ansible.module_utils.basic import AnsibleModule

# ELF e_machine values of the architectures edgeship builds for.
ELF_MACHINES = {0xB7: "arm64", 0x3E: "amd64", 0x28: "arm", 0x03: "386"}


def read_elf_arch(path):
    with open(path, "rb") as handle:
        header = handle.read(20)
    if len(header) < 20 or header[:4] != b"\x7fELF":
        raise ValueError("not an ELF executable")
    order = "<" if header[5] == 1 else ">"
    (machine,) = struct.unpack(order + "H", header[18:20])
    return ELF_MACHINES.get(machine, "unknown")


def read_member(archive, name):
    member = None
    for candidate in (name, "./" + name):  # tar -C dir . writes ./-prefixed names
        try:
            member = archive.extractfile(candidate)
            break
        except KeyError:
            continue
    if member is None:
        raise ValueError("missing %s in the image archive" % name)
    return member.read()


def blob_name(digest):
    return "blobs/sha256/" + digest.split(":", 1)[1]


def verify_blobs(archive):
    """Every blob of an OCI layout is named by its sha256: a changed byte anywhere shows here."""
    for member in archive.getmembers():
        if member.isfile() and member.name.lstrip("./").startswith("blobs/sha256/"):
            digest = hashlib.sha256()
            handle = archive.extractfile(member)
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
            if digest.hexdigest() != member.name.rsplit("/", 1)[1]:
                raise ValueError("blob %s does not match its digest: the archive was modified" % member.name)


def read_image(path):
    """Returns (config bytes, manifest digest or None) of an OCI archive (index.json) or docker-archive."""
    with tarfile.open(path, "r:*") as archive:
        names = set(name.lstrip("./") for name in archive.getnames())
        if "index.json" in names:
            verify_blobs(archive)
            descriptor = json.loads(read_member(archive, "index.json"))["manifests"][0]
            manifest = json.loads(read_member(archive, blob_name(descriptor["digest"])))
            if "manifests" in manifest:  # a nested index: take its first platform manifest
                descriptor = manifest["manifests"][0]
                manifest = json.loads(read_member(archive, blob_name(descriptor["digest"])))
            return read_member(archive, blob_name(manifest["config"]["digest"])), descriptor["digest"]
        if "manifest.json" in names:
            manifest = json.loads(read_member(archive, "manifest.json"))
            return read_member(archive, manifest[0]["Config"]), None
    raise ValueError("neither an OCI archive (index.json) nor a docker-archive (manifest.json)")


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            kind=dict(type="str", required=True, choices=["binary", "image"]),
            expect=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    path = module.params["path"]
    if not os.path.isfile(path):
        module.fail_json(msg="artifact %s does not exist; build it first (nx run <service>:bundle or :image)" % path)
    result = dict(changed=False, path=path, size=os.path.getsize(path))
    try:
        if module.params["kind"] == "binary":
            result["arch"] = read_elf_arch(path)
        else:
            config, manifest_digest = read_image(path)
            result["arch"] = json.loads(config).get("architecture", "unknown")
            result["image_id"] = "sha256:" + hashlib.sha256(config).hexdigest()
            result["manifest_digest"] = manifest_digest or ""
    except (ValueError, KeyError, IndexError, tarfile.TarError, OSError) as error:
        module.fail_json(msg="cannot read %s artifact %s: %s" % (module.params["kind"], path, error))
    result["sha256"] = module.sha256(path)
    mismatch = find_mismatch(path, module.params["kind"], result, module.params["expect"])
    if mismatch:
        module.fail_json(msg=mismatch, **result)
    module.exit_json(**result)


def find_mismatch(path, kind, found, expect):
    """Why the artifact read is not the one the build recorded, or None. Nothing on a node has changed yet."""
    service = expect.get("service", "<service>")
    node = expect.get("node", "the node")
    arch = expect.get("arch")
    if arch and found["arch"] != arch:
        return "%s is built for %s but %s is %s; nothing was changed on the node." % (path, found["arch"], node, arch)
    sha256 = expect.get("sha256")
    if sha256 is not None and found["sha256"] != sha256:
        return (
            "%s has sha256 %s but the release manifest expects %s for %s: the artifact is tampered or stale. "
            "Rebuild it (nx run %s:%s); nothing was changed on the node."
            % (path, found["sha256"], sha256 or "nothing", arch, service, "bundle" if kind == "binary" else "image")
        )
    digest = expect.get("manifest_digest")
    if digest and found.get("manifest_digest") != digest:
        return (
            "%s holds manifest %s but the release recorded %s for %s: not the signed image. "
            "Rebuild and release it (nx run %s:release); nothing was changed on the node."
            % (path, found.get("manifest_digest"), digest, arch, service)
        )
    return None


if __name__ == "__main__":
    main()
