import pytest

from edge_image_load import Podman, PodmanError, bare, load_image

IMAGE_ID = "sha256:" + "4c" * 32


def test_bare_drops_the_sha256_prefix_only():
    assert bare("sha256:abc") == "abc"
    assert bare("abc") == "abc"
    assert bare("xsha256:abc") == "xsha256:abc"


class FakePodman(object):
    """Records podman's argv lists and answers like podman holding `held` (an image ID and its tags)."""

    def __init__(self, held=None):
        self.calls, self.held = [], held

    def __call__(self, argv):
        self.calls.append(argv)
        verb = argv[1:3]
        if verb == ["image", "exists"]:
            return (0 if self.held else 1), "", ""
        if verb[0] in ("load", "pull"):
            self.held = (IMAGE_ID, "[]")
        if verb == ["image", "inspect"]:
            return 0, "%s %s\n" % self.held, ""
        return 0, "", ""


def args(**overrides):
    base = dict(image_id=IMAGE_ID, archive="/opt/edgeship/x/releases/1/image.tar", reference="", tls_verify=True,
                tag="localhost/edgeship/x:1")
    base.update(overrides)
    return base


def test_load_image_loads_a_missing_archive_checks_its_id_and_tags_it():
    podman = FakePodman()
    assert load_image(args(), Podman("/usr/bin/podman", podman)) == (True, True)
    assert [call[1:] for call in podman.calls] == [
        ["image", "exists", IMAGE_ID], ["load", "--input", "/opt/edgeship/x/releases/1/image.tar"],
        ["image", "inspect", "--format", "{{.Id}} {{.RepoTags}}", IMAGE_ID], ["tag", IMAGE_ID, "localhost/edgeship/x:1"]]
    assert {call[0] for call in podman.calls} == {"/usr/bin/podman"}


def test_load_image_pulls_by_digest_with_the_tls_setting_and_leaves_a_tagged_image_alone():
    podman = FakePodman()
    load_image(args(archive="", reference="127.0.0.1:5000/x@sha256:9f", tls_verify=False), Podman("podman", podman))
    assert podman.calls[1] == ["podman", "pull", "--quiet", "--tls-verify=false", "127.0.0.1:5000/x@sha256:9f"]
    held = FakePodman(held=(IMAGE_ID, "[localhost/edgeship/x:1]"))
    assert load_image(args(), Podman("podman", held)) == (False, False)
    assert len(held.calls) == 2


def test_load_image_refuses_an_image_whose_id_is_not_the_verified_one():
    podman = FakePodman(held=("sha256:" + "00" * 32, "[]"))
    with pytest.raises(PodmanError, match="expected %s from the verified archive" % IMAGE_ID):
        load_image(args(), Podman("podman", podman))


def test_podman_failure_names_the_call_and_the_tail_of_its_words():
    with pytest.raises(PodmanError, match=r"^podman load --input a.tar failed \(125\): no such file$"):
        Podman("podman", lambda argv: (125, "", "no such file\n"))("load", "--input", "a.tar")
