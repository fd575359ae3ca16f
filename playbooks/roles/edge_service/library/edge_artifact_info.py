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
  - Accepts only regular files and folders, each name once; a hard link, symlink or duplicated member fails.
  - The manifest and config digests are recomputed from the bytes read and compared with the descriptors that
    name them (index.json, the manifest), so the digest returned is the one of the manifest podman loads.
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
      - C(service) and C(nodes) (a list) name the service and the nodes that get the artifact in those messages.
    type: dict
    default: {}
author: edgeship
"""

EXAMPLES = r"""
- name: Inspect the artifact on the controller and compare it with the build record
  edge_artifact_info:
    path: dist/hello-edge/bin/hello-edge-linux-arm64
    kind: binary
    expect:
      service: hello-edge
      nodes: [edge1, edge2]
      arch: arm64
      sha256: "{{ build_record_sha256 }}"
  delegate_to: localhost
  run_once: true
  register: _edge_service_artifact
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


# Tar member types that are plain data. Everything else (hard links, symlinks, devices, FIFOs) is refused:
# a hard-linked or symlinked blob makes the archive say one thing under a name and deliver another's bytes.
DATA_TYPES = (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.CONTTYPE)
DIR_TYPES = (tarfile.DIRTYPE,)


def member_name(name):
    """The name a member stands for: `tar -C dir .` writes ./-prefixed names, directories end in /."""
    while name.startswith("./"):
        name = name[2:]
    return name.rstrip("/")


def index_members(archive):
    """Maps each name to its one member; refuses links, special files and names that occur twice.

    A name written twice is read as its last copy by tarfile, but tools that extract or stream it may take
    the first: the archive would mean different things to the check and to the node.
    """
    members = {}
    for member in archive.getmembers():
        name = member_name(member.name)
        if member.type not in DATA_TYPES + DIR_TYPES:
            kind = {
                tarfile.LNKTYPE: "a hard link to %s" % member.linkname,
                tarfile.SYMTYPE: "a symlink to %s" % member.linkname,
            }.get(member.type, "not a regular file (tar type %r)" % member.type)
            raise ValueError(
                "member %s is %s; an image archive holds regular files only (write it with the image target, "
                "which never links blobs)" % (member.name, kind)
            )
        if name in members:
            raise ValueError(
                "member %s occurs more than once; each name must be written once (rebuild the image)" % name
            )
        members[name] = member
    return members


def read_member(archive, members, name):
    member = members.get(name)
    if member is None or not member.isfile():
        raise ValueError("missing %s in the image archive" % name)
    return archive.extractfile(member).read()


def blob_name(digest):
    algorithm, _, encoded = str(digest).partition(":")
    if algorithm != "sha256" or len(encoded) != 64 or encoded.strip("0123456789abcdef"):
        raise ValueError("digest %r is not a sha256 digest (sha256:<64 hex>)" % (digest,))
    return "blobs/sha256/" + encoded


def read_blob(archive, members, descriptor, what):
    """Reads the blob a descriptor names and checks its sha256 and size from the bytes read, not its name."""
    digest = descriptor["digest"]
    data = read_member(archive, members, blob_name(digest))
    actual = "sha256:" + hashlib.sha256(data).hexdigest()
    if actual != digest:
        raise ValueError("%s %s holds bytes with digest %s: the archive was modified" % (what, digest, actual))
    if "size" in descriptor and descriptor["size"] != len(data):
        raise ValueError(
            "%s %s is %d bytes, its descriptor says %s: the archive was modified"
            % (what, digest, len(data), descriptor["size"])
        )
    return data


def verify_blobs(archive, members):
    """Every blob of an OCI layout is named by its sha256: a changed byte anywhere shows here."""
    for name, member in sorted(members.items()):
        if member.isfile() and name.startswith("blobs/sha256/"):
            digest = hashlib.sha256()
            handle = archive.extractfile(member)
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
            if digest.hexdigest() != name.rsplit("/", 1)[1]:
                raise ValueError("blob %s does not match its digest: the archive was modified" % name)


def read_oci_image(archive, members):
    """Returns (config bytes, manifest digest), every digest on the way recomputed from the bytes read."""
    verify_blobs(archive, members)
    descriptor = json.loads(read_member(archive, members, "index.json"))["manifests"][0]
    manifest = json.loads(read_blob(archive, members, descriptor, "manifest"))
    if "manifests" in manifest:  # a nested index: take its first platform manifest
        descriptor = manifest["manifests"][0]
        manifest = json.loads(read_blob(archive, members, descriptor, "manifest"))
    for layer in manifest.get("layers", []):
        # verify_blobs hashed every blob present; a listed layer must also be there to be loaded.
        if blob_name(layer["digest"]) not in members:
            raise ValueError("layer %s listed by the manifest is missing from the archive" % layer["digest"])
    return read_blob(archive, members, manifest["config"], "config"), descriptor["digest"]


def read_image(path):
    """Returns (config bytes, manifest digest or None) of an OCI archive (index.json) or docker-archive."""
    with tarfile.open(path, "r:*") as archive:
        members = index_members(archive)
        if "index.json" in members:
            return read_oci_image(archive, members)
        if "manifest.json" in members:
            manifest = json.loads(read_member(archive, members, "manifest.json"))
            return read_member(archive, members, member_name(manifest[0]["Config"])), None
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
    nodes = expect.get("nodes") or ["the node"]
    arch = expect.get("arch")
    if arch and found["arch"] != arch:
        return "%s is built for %s but %s %s %s; nothing was changed on any node." % (
            path, found["arch"], ", ".join(nodes), "are" if len(nodes) > 1 else "is", arch)
    sha256 = expect.get("sha256")
    if sha256 is not None and found["sha256"] != sha256:
        return (
            "%s has sha256 %s but the release manifest expects %s for %s: the artifact is tampered or stale. "
            "Rebuild it (nx run %s:%s); nothing was changed on any node."
            % (path, found["sha256"], sha256 or "nothing", arch, service, "bundle" if kind == "binary" else "image")
        )
    digest = expect.get("manifest_digest")
    if digest and found.get("manifest_digest") != digest:
        return (
            "%s holds manifest %s but the release recorded %s for %s: not the signed image. "
            "Rebuild and release it (nx run %s:release); nothing was changed on any node."
            % (path, found.get("manifest_digest"), digest, arch, service)
        )
    return None


if __name__ == "__main__":
    main()
