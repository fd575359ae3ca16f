#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Reads a service's release layout on a node in one module run.

One run instead of a stat per question: on a QEMU-emulated arm64 node every module run costs seconds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: edge_release_info
short_description: Current release, kept releases and one release's checksum of an edgeship service
description:
  - Reads C(<root>/current) and C(<root>/releases/*); never changes anything.
options:
  root:
    description: The service's install directory (C(/opt/edgeship/<service>)).
    type: path
    required: true
  release:
    description: Release id whose artifact is checksummed when present.
    type: str
    required: true
  artifact:
    description: File name of the artifact inside a release directory.
    type: str
    required: true
  socket_unit:
    description: Path of the service's socket unit file, whose presence is reported.
    type: path
    required: false
author: edgeship
"""

RETURN = r"""
current:
  description: Path the C(current) symlink points to, or an empty string.
  type: str
  returned: always
releases:
  description: Release directories, newest first, each with C(path), C(name) and C(mtime).
  type: list
  returned: always
stale_staging:
  description: Staging directories left by uploads that were cut off (a node killed mid-deploy), except this release's.
  type: list
  returned: always
socket_unit_exists:
  description: Whether the socket unit file exists (an earlier binary delivery wrote it).
  type: bool
  returned: always
release_exists:
  description: Whether C(releases/<release>/<artifact>) exists.
  type: bool
  returned: always
release_sha256:
  description: Hex sha256 of that artifact, or an empty string.
  type: str
  returned: always
"""

import os

from ansible.module_utils.basic import AnsibleModule


def list_releases(releases_dir):
    if not os.path.isdir(releases_dir):
        return []
    found = []
    for name in os.listdir(releases_dir):
        path = os.path.join(releases_dir, name)
        # Dot names are staging directories of uploads in progress, not releases.
        if not name.startswith(".") and os.path.isdir(path) and not os.path.islink(path):
            found.append(dict(name=name, path=path, mtime=os.stat(path).st_mtime))
    return sorted(found, key=lambda release: release["mtime"], reverse=True)


def list_stale_staging(releases_dir, release):
    if not os.path.isdir(releases_dir):
        return []
    names = [name for name in os.listdir(releases_dir) if name.startswith(".staging-")]
    return sorted(os.path.join(releases_dir, name) for name in names if name != ".staging-" + release)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", required=True),
            release=dict(type="str", required=True),
            artifact=dict(type="str", required=True),
            socket_unit=dict(type="path", required=False),
        ),
        supports_check_mode=True,
    )
    root = module.params["root"]
    current_link = os.path.join(root, "current")
    current = os.path.realpath(current_link) if os.path.islink(current_link) else ""
    artifact = os.path.join(root, "releases", module.params["release"], module.params["artifact"])
    exists = os.path.isfile(artifact)
    module.exit_json(
        changed=False,
        current=current,
        releases=list_releases(os.path.join(root, "releases")),
        stale_staging=list_stale_staging(os.path.join(root, "releases"), module.params["release"]),
        socket_unit_exists=bool(module.params["socket_unit"]) and os.path.exists(module.params["socket_unit"]),
        release_exists=exists,
        release_sha256=module.sha256(artifact) if exists else "",
    )


if __name__ == "__main__":
    main()
