#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Puts a release's image into podman (load the archive, or pull by digest), checks its ID, tags it.

One AnsibleModule running podman through `module.run_command`: one payload (~136 KB) instead of four
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

from ansible.module_utils.basic import AnsibleModule


class PodmanError(Exception):
    pass


class Podman(object):
    """podman through AnsibleModule.run_command: a failure raises with the tail of podman's own words."""

    def __init__(self, binary, run_command):
        self.binary, self.run_command = binary, run_command

    def __call__(self, *args, **options):
        rc, out, err = self.run_command([self.binary] + list(args))
        if options.get("check", True) and rc != 0:
            raise PodmanError("podman %s failed (%d): %s" % (" ".join(args), rc, err.strip()[-500:]))
        return rc, out


def bare(image_id):
    return image_id[len("sha256:"):] if image_id.startswith("sha256:") else image_id


def load_image(args, podman):
    """Returns (loaded, tagged)."""
    image_id, tag = args["image_id"], args["tag"]
    loaded = podman("image", "exists", image_id, check=False)[0] != 0
    if loaded and args["reference"]:
        tls = "--tls-verify=%s" % ("true" if args["tls_verify"] else "false")
        podman("pull", "--quiet", tls, args["reference"])
    elif loaded:
        podman("load", "--input", args["archive"])
    found = podman("image", "inspect", "--format", "{{.Id}} {{.RepoTags}}", image_id)[1].strip()
    if bare(found.split(" ")[0]) != bare(image_id):
        raise PodmanError("podman holds image %s, expected %s from the verified archive" % (found, image_id))
    tagged = tag not in found
    if tagged:
        podman("tag", image_id, tag)
    return loaded, tagged


ARGUMENT_SPEC = dict(
    podman=dict(type="str", default="/usr/bin/podman"),
    image_id=dict(type="str", required=True),
    archive=dict(type="str", default=""),
    reference=dict(type="str", default=""),
    tls_verify=dict(type="bool", default=True),
    tag=dict(type="str", required=True),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=False)
    try:
        loaded, tagged = load_image(module.params, Podman(module.params["podman"] or "/usr/bin/podman",
                                                          module.run_command))
    except (OSError, PodmanError) as error:
        module.fail_json(msg=str(error))
    module.exit_json(changed=loaded or tagged, loaded=loaded, tagged=tagged)


if __name__ == "__main__":
    main()
