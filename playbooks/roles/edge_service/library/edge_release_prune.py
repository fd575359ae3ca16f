#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Removes releases and staging leftovers of one service (lean, see edge_release_stage).

Only directories directly inside C(releases_dir) are removed, so a wrong path can never reach further.
"""

DOCUMENTATION = r"""
module: edge_release_prune
short_description: Removes old releases and cut-off staging directories of an edgeship service
description:
  - Removes the given directories; each must lie directly inside C(releases_dir) and not be a symlink.
options:
  releases_dir: {description: The service's releases directory., type: path, required: true}
  paths: {description: Directories inside it to remove., type: list, default: []}
author: edgeship
"""

EXAMPLES = r"""
- name: Remove an old release and a cut-off upload
  edge_release_prune:
    releases_dir: /opt/edgeship/hello-edge/releases
    paths:
      - /opt/edgeship/hello-edge/releases/1.0.0-0123456789ab
      - /opt/edgeship/hello-edge/releases/.staging-1.2.0-ba9876543210
"""

RETURN = r"""
removed: {description: The directories removed., type: list}
"""

import json
import os
import shutil
import sys


# The task's arguments, written here by Ansible (jsonargs: pipelined, see edge_node_probe).
ARGUMENTS = r"""<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>"""


def main():
    args = json.loads(ARGUMENTS)
    releases_dir = os.path.realpath(args["releases_dir"])
    removed = []
    for path in args.get("paths") or []:
        if os.path.dirname(os.path.realpath(path)) != releases_dir or os.path.islink(path):
            print(json.dumps(dict(failed=True, msg="%s is not a release directory of %s" % (path, releases_dir))))
            sys.exit(1)
        if os.path.isdir(path):
            shutil.rmtree(path)
            removed.append(path)
    print(json.dumps(dict(changed=bool(removed), removed=removed)))


if __name__ == "__main__":
    main()
