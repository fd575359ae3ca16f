#!/usr/bin/python3
# -*- coding: utf-8 -*-
# WANT_JSON
"""Puts a release's image into podman (load the archive, or pull by digest), checks its ID, tags it.

Lean (WANT_JSON, standard library only), see edge_release_stage: one module run of a few KB instead of four
command-module runs of 130 KB each, which kept a registry-pull update above 1 MiB.
"""

DOCUMENTATION = r"""
module: edge_image_load
short_description: Loads or pulls an edgeship release image into podman and checks its ID
description:
  - Loads C(archive) (or pulls C(reference)) unless podman already holds C(image_id), checks podman's ID of it
    against C(image_id) and tags it with the release.
options:
  podman: {description: The podman binary., type: str, default: /usr/bin/podman}
  image_id: {description: The image ID (config digest) the verified archive or signed manifest names., type: str, required: true}
  archive: {description: Image archive on the node to load; empty when pulling., type: str, default: ''}
  reference: {description: C(<registry>/<repository>@<digest>) to pull; empty when loading., type: str, default: ''}
  tls_verify: {description: Verify the registry's TLS certificate., type: bool, default: true}
  tag: {description: Tag the image gets (its release)., type: str, required: true}
author: edgeship
"""

EXAMPLES = r"""
- name: Load the release's image archive into podman, check its ID and tag it
  edge_image_load:
    podman: /usr/bin/podman
    image_id: sha256:4c1a...   # the config digest edge_artifact_info read from the archive
    archive: /opt/edgeship/hello-edge/releases/1.2.0-ba9876543210/image.tar
    tag: localhost/edgeship/hello-edge:1.2.0-ba9876543210

- name: Pull the released image by digest instead
  edge_image_load:
    image_id: sha256:4c1a...
    reference: registry.example:5000/hello-edge@sha256:9f2e...
    tls_verify: true
    tag: localhost/edgeship/hello-edge:1.2.0-ba9876543210
"""

RETURN = r"""
loaded: {description: Whether the image was loaded or pulled (it was not in podman yet)., type: bool}
tagged: {description: Whether the release tag was added., type: bool}
"""

import json
import subprocess
import sys


class PodmanError(Exception):
    pass


def podman(binary, *args, check=True):
    run = subprocess.run((binary,) + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and run.returncode != 0:
        raise PodmanError("podman %s failed (%d): %s" % (" ".join(args), run.returncode,
                                                          run.stderr.decode("utf-8", "replace").strip()[-500:]))
    return run


def bare(image_id):
    return image_id[len("sha256:"):] if image_id.startswith("sha256:") else image_id


def main():
    with open(sys.argv[1]) as handle:
        args = json.load(handle)
    binary, image_id, tag = args.get("podman") or "/usr/bin/podman", args["image_id"], args["tag"]
    try:
        loaded = podman(binary, "image", "exists", image_id, check=False).returncode != 0
        if loaded and args.get("reference"):
            tls = "--tls-verify=%s" % ("true" if args.get("tls_verify", True) else "false")
            podman(binary, "pull", "--quiet", tls, args["reference"])
        elif loaded:
            podman(binary, "load", "--input", args["archive"])
        inspect = podman(binary, "image", "inspect", "--format", "{{.Id}} {{.RepoTags}}", image_id)
        found = inspect.stdout.decode().strip()
        if bare(found.split(" ")[0]) != bare(image_id):
            raise PodmanError("podman holds image %s, expected %s from the verified archive" % (found, image_id))
        tagged = tag not in found
        if tagged:
            podman(binary, "tag", image_id, tag)
    except (OSError, PodmanError) as error:
        print(json.dumps(dict(failed=True, msg=str(error))))
        sys.exit(1)
    print(json.dumps(dict(changed=loaded or tagged, loaded=loaded, tagged=tagged)))


if __name__ == "__main__":
    main()
