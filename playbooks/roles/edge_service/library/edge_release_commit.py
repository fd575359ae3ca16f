#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Verifies a staged release against the build's checksum and moves it into place in one rename.

Lean (jsonargs, standard library only), see edge_release_stage. A checksum mismatch is returned, not
raised, so the role can fall back from a delta to a full transfer before it gives up.
"""

DOCUMENTATION = r"""
module: edge_release_commit
short_description: Verifies a staged release and renames it into the releases directory
description:
  - Hashes C(<staging>/<file>). When it matches C(sha256), sets its mode, writes C(release.env) and renames
    the staging directory to C(release_dir) (atomic, same filesystem). Otherwise changes nothing and
    returns C(verified=false) with the sha256 it found.
options:
  staging: {description: The staging directory., type: path, required: true}
  release_dir: {description: Where the verified release goes., type: path, required: true}
  file: {description: Artifact file name., type: str, required: true}
  sha256: {description: Expected sha256 of the artifact., type: str, required: true}
  mode: {description: Octal mode of the artifact., type: str, default: '0644'}
  environment: {description: Lines of C(release.env) (KEY=value); empty values are left out., type: dict, default: {}}
  signed_record:
    description:
      - The signed build record the release was deployed from, as C({record, signature}) text; kept in the release
        as C(build.json) and C(build.json.sig) so a later rollback can verify it against the trust anchor.
    type: dict
    default: {}
author: edgeship
"""

EXAMPLES = r"""
- name: Verify the staged artifact and move the release into place
  edge_release_commit:
    staging: /opt/edgeship/hello-edge/releases/.staging-1.2.0-ba9876543210
    release_dir: /opt/edgeship/hello-edge/releases/1.2.0-ba9876543210
    file: hello-edge
    sha256: ba9876543210...   # the build record's, 64 hex digits
    mode: "0755"
    environment: {EDGESHIP_SERVICE: hello-edge, EDGESHIP_VERSION: 1.2.0}
  register: _edge_service_commit
"""

RETURN = r"""
verified: {description: Whether the staged artifact matched and the release was moved into place., type: bool}
sha256: {description: sha256 of the staged artifact., type: str}
"""

import hashlib
import json
import os
import re
import sys

# The task's arguments, written here by Ansible (jsonargs: pipelined, see edge_node_probe).
ARGUMENTS = r"""<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>"""


KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_release_env(path, environment):
    lines = []
    for key, value in sorted(environment.items()):
        value = str(value)
        if value == "":
            continue
        # The file is read by people and by the unit's EnvironmentFile: one line per key, nothing to escape.
        if not KEY.match(key) or "\n" in value or "\r" in value:
            raise ValueError("release.env entry %r=%r is not a single KEY=value line" % (key, value))
        lines.append("%s=%s\n" % (key, value))
    with open(path, "w") as handle:
        handle.writelines(lines)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def write_signed_record(staging, signed):
    """build.json and build.json.sig beside the artifact, when the deploy verified a signed record."""
    if not signed.get("record") or not signed.get("signature"):
        return
    for name, text in (("build.json", signed["record"]), ("build.json.sig", signed["signature"])):
        with open(os.path.join(staging, name), "w") as handle:
            handle.write(text)


def main():
    args = json.loads(ARGUMENTS)
    artifact = os.path.join(args["staging"], args["file"])
    found = sha256_of(artifact) if os.path.isfile(artifact) else ""
    if found != args["sha256"]:
        print(json.dumps(dict(changed=False, verified=False, sha256=found)))
        return
    try:
        os.chmod(artifact, int(str(args.get("mode", "0644")), 8))
        write_release_env(os.path.join(args["staging"], "release.env"), args.get("environment") or {})
        write_signed_record(args["staging"], args.get("signed_record") or {})
        os.rename(args["staging"], args["release_dir"])
    except (OSError, ValueError) as error:
        print(json.dumps(dict(failed=True, msg="moving the verified release into place failed: %s" % error)))
        sys.exit(1)
    print(json.dumps(dict(changed=True, verified=True, sha256=found)))


if __name__ == "__main__":
    main()
