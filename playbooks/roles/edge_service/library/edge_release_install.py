#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""The documentation of edge_release_install, an action plugin (action_plugins/edge_release_install.py).

Like ansible.builtin.debug, the module file only documents the arguments: the work runs on the controller,
which drives edge_release_stage, ansible.posix.synchronize, ansible.builtin.copy and edge_release_commit.
"""

DOCUMENTATION = r"""
module: edge_release_install
short_description: Stages, sends, verifies and renames one release into place on an edgeship node
description:
  - Checks a release the node already keeps against C(sha256) (refused when it differs), or stages a new one
    seeded with C(basis), sends the artifact as an rsync delta (the whole file where rsync cannot be used or its
    result fails the checksum), verifies it and renames it to C(release_dir), then removes C(prune). A refused
    upload removes its staging directory; the current release is untouched.
options:
  releases_dir: {description: The service's releases directory., type: path, required: true}
  release: {description: Release id., type: str, required: true}
  release_dir: {description: Where the verified release goes., type: path, required: true}
  file: {description: Artifact file name inside the release., type: str, required: true}
  sha256: {description: The artifact's expected sha256 (the build record's)., type: str, required: true}
  source: {description: The artifact on the controller; left out when C(content) is given., type: path}
  content: {description: Text to write as the artifact instead of sending one (an image reference)., type: str}
  basis: {description: A file on the node to rebuild the artifact from; empty for none., type: path, default: ''}
  delta: {description: Whether delta transfer is on (rsync)., type: bool, default: true}
  node_rsync: {description: Whether the node has rsync (the probe's finding)., type: bool, default: false}
  mode: {description: Octal mode of the artifact., type: str, default: '0644'}
  environment: {description: Lines of C(release.env)., type: dict, default: {}}
  signed_record: {description: The signed build record, kept in the release., type: dict, default: {}}
  image:
    description: >-
      For a container release, edge_image_load's arguments: the image is loaded into podman (or pulled by digest),
      checked and tagged, also when the release was already on the node. Left out for an executable.
    type: dict
  prune:
    description: >-
      Directories directly inside C(releases_dir) (old releases, cut-off uploads) that edge_release_prune removes
      once this release is in place; empty removes nothing.
    type: list
    default: []
  record:
    description: >-
      What this run installed on the node so far (C(installed), by service) and this release's C(service) and
      delta C(basis) (C(kind), C(path), C(size); empty for a pulled image). Returned with this release added as the
      host fact C(_edge_deploy_staged).
    type: dict
author: edgeship
"""

EXAMPLES = r"""
- name: Stage, send, verify and move the release into place
  edge_release_install:
    releases_dir: /opt/edgeship/hello-edge/releases
    release: 1.2.0-ba9876543210
    release_dir: /opt/edgeship/hello-edge/releases/1.2.0-ba9876543210
    file: hello-edge
    sha256: ba9876543210...   # the build record's, 64 hex digits
    source: dist/hello-edge/bin/hello-edge-linux-x64
    basis: /opt/edgeship/hello-edge/releases/1.1.0-0123456789ab/hello-edge
    node_rsync: true
    mode: "0755"
  register: _edge_service_install
"""

RETURN = r"""
exists: {description: Whether the release was already on the node (nothing was sent)., type: bool}
basis: {description: The file the delta was rebuilt from, or empty., type: str}
transfer: {description: How the artifact reached the node, for the report., type: str}
transfer_bytes: {description: Bytes sent to the node., type: int}
image: {description: edge_image_load's result, for a container release., type: dict}
pruned: {description: The directories C(prune) removed., type: list}
started_at: {description: When the install began (seconds since the epoch), on failure (the failure's report counts from it)., type: float}
ansible_facts:
  description: >-
    With C(record): C(_edge_deploy_staged), by service, how the release reached the node (C(transfer),
    C(transfer_bytes)) and, for a file sent, C(basis) (C(kind), C(service), C(path), C(size)).
  type: dict
"""

import json

if __name__ == "__main__":
    print(json.dumps(dict(failed=True, msg="edge_release_install runs as an action plugin on the controller")))
