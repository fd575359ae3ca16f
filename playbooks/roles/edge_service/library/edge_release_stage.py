#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Prepares a release's staging directory on the node, seeded with the delta basis.

Lean (jsonargs, standard library only) like edge_node_probe: ~8 KB on the wire instead of a 130 KB
AnsiballZ payload. The basis is hard-linked into place: rsync then rebuilds the new artifact from it
into a temporary file and renames that over the link, so the basis itself is never written to.
"""

DOCUMENTATION = r"""
module: edge_release_stage
short_description: Checks a kept release, or stages a new one seeded with a delta basis
description:
  - When C(<releases_dir>/<release>/<file>) exists, returns its sha256 and whether it matches; nothing else.
  - Otherwise creates C(<releases_dir>/.staging-<release>) and puts in C(<file>) either C(content) or a hard
    link to C(basis) (a copy across filesystems), for rsync to rebuild the new artifact from.
options:
  releases_dir: {description: The service's releases directory., type: path, required: true}
  release: {description: Release id., type: str, required: true}
  file: {description: Artifact file name inside the release., type: str, required: true}
  sha256: {description: The artifact's expected sha256., type: str, required: true}
  basis: {description: Path of a file on the node to seed the artifact with; empty for none., type: path, default: ''}
  content: {description: Text to write as the artifact instead (an image reference)., type: str}
author: edgeship
"""

EXAMPLES = r"""
- name: Check a kept release, or stage the new one seeded with the current executable as delta basis
  edge_release_stage:
    releases_dir: /opt/edgeship/hello-edge/releases
    release: 1.2.0-ba9876543210
    file: hello-edge
    sha256: ba9876543210...   # the build record's, 64 hex digits
    basis: /opt/edgeship/hello-edge/releases/1.1.0-0123456789ab/hello-edge
  register: _edge_service_staged
"""

RETURN = r"""
exists: {description: Whether the release was already on the node., type: bool}
matches: {description: Whether an existing release's artifact has the expected sha256., type: bool}
sha256: {description: sha256 of an existing release's artifact., type: str}
staging: {description: The staging directory., type: str}
basis: {description: The basis the artifact was seeded with, or empty., type: str}
"""

import hashlib
import json
import os
import re
import shutil
import sys

# The task's arguments, written here by Ansible (jsonargs: pipelined, see edge_node_probe).
ARGUMENTS = r"""<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>"""


RELEASE = re.compile(r"^[0-9A-Za-z.+-]+$")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def seed(target, basis):
    try:
        os.link(basis, target)
    except OSError:
        shutil.copyfile(basis, target)


def main():
    args = json.loads(ARGUMENTS)
    release, file_name = args["release"], args["file"]
    if not RELEASE.match(release) or "/" in file_name or file_name.startswith("."):
        print(json.dumps(dict(failed=True, msg="bad release %r or file %r" % (release, file_name))))
        sys.exit(1)
    releases_dir = args["releases_dir"]
    kept = os.path.join(releases_dir, release, file_name)
    if os.path.isfile(kept):
        sha256 = sha256_of(kept)
        print(json.dumps(dict(changed=False, exists=True, sha256=sha256, matches=sha256 == args["sha256"])))
        return
    staging = os.path.join(releases_dir, ".staging-" + release)
    os.makedirs(staging, mode=0o755, exist_ok=True)
    target = os.path.join(staging, file_name)
    if os.path.lexists(target):
        os.unlink(target)
    basis = args.get("basis") or ""
    if args.get("content") is not None:
        with open(target, "w") as handle:
            handle.write(args["content"])
        basis = ""
    elif basis and os.path.isfile(basis):
        seed(target, basis)
    else:
        basis = ""
    print(json.dumps(dict(changed=True, exists=False, staging=staging, basis=basis)))


if __name__ == "__main__":
    main()
