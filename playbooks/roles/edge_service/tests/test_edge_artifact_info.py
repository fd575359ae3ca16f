import hashlib
import io
import json
import struct
import tarfile

import pytest

from edge_artifact_info import blob_name, find_mismatch, index_members, member_name, read_elf_arch, read_image


@pytest.mark.parametrize(
    "name, expected",
    [
        ("./index.json", "index.json"),
        ("././blobs/sha256/", "blobs/sha256"),
        # A prefix, not a set of characters: lstrip("./") would have eaten these leading dots.
        ("./.hidden", ".hidden"),
        ("../escape", "../escape"),
        (".config.json", ".config.json"),
        ("./", ""),
    ],
)
def test_member_name_removes_the_dot_slash_prefix_only(name, expected):
    assert member_name(name) == expected


def test_blob_name_accepts_sha256_digests_only():
    assert blob_name("sha256:" + "a" * 64) == "blobs/sha256/" + "a" * 64
    for bad in ("sha512:" + "a" * 64, "sha256:" + "a" * 63, "sha256:" + "A" * 64, "sha256:../" + "a" * 61):
        with pytest.raises(ValueError, match="not a sha256 digest"):
            blob_name(bad)


def elf(tmp_path, machine, order="<"):
    path = tmp_path / "executable"
    header = b"\x7fELF" + bytes([2, 1 if order == "<" else 2]) + bytes(12) + struct.pack(order + "H", machine)
    path.write_bytes(header + bytes(44))
    return str(path)


def test_read_elf_arch_names_the_machine(tmp_path):
    assert read_elf_arch(elf(tmp_path, 0xB7)) == "arm64"
    assert read_elf_arch(elf(tmp_path, 0x3E)) == "amd64"
    assert read_elf_arch(elf(tmp_path, 0x3E, order=">")) == "amd64"
    assert read_elf_arch(elf(tmp_path, 0x99)) == "unknown"


def test_read_elf_arch_refuses_what_is_not_elf(tmp_path):
    path = tmp_path / "script"
    path.write_text("#!/bin/sh\necho not an executable\n")
    with pytest.raises(ValueError, match="not an ELF"):
        read_elf_arch(str(path))


def add(archive, name, data=b"", kind=tarfile.REGTYPE, linkname=""):
    member = tarfile.TarInfo(name)
    member.type, member.linkname, member.size = kind, linkname, len(data) if kind == tarfile.REGTYPE else 0
    archive.addfile(member, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def blob(archive, data, written=None):
    """Writes `written` (default: data) under the name of data's digest; returns the descriptor of data."""
    digest = hashlib.sha256(data).hexdigest()
    add(archive, "./blobs/sha256/" + digest, data if written is None else written)
    return {"digest": "sha256:" + digest, "size": len(data)}


def oci_archive(path, config=b'{"architecture":"arm64"}', layer_bytes=None):
    with tarfile.open(path, "w") as archive:
        config_descriptor = blob(archive, config)
        # layer_bytes: other bytes under the layer's name, as if it were modified after the build
        layer = blob(archive, b"layer bytes", layer_bytes)
        manifest = json.dumps({"config": config_descriptor, "layers": [layer]}).encode()
        manifest_descriptor = blob(archive, manifest)
        add(archive, "./index.json", json.dumps({"manifests": [manifest_descriptor]}).encode())
    return manifest_descriptor["digest"]


def test_read_image_returns_the_config_and_the_manifest_digest_it_recomputed(tmp_path):
    path = str(tmp_path / "image.tar")
    digest = oci_archive(path)
    config, manifest_digest = read_image(path)
    assert json.loads(config) == {"architecture": "arm64"}
    assert manifest_digest == digest


def test_read_image_refuses_a_blob_whose_bytes_do_not_match_its_digest(tmp_path):
    path = str(tmp_path / "image.tar")
    oci_archive(path, layer_bytes=b"other bytes")
    with pytest.raises(ValueError, match="does not match its digest"):
        read_image(path)


def test_index_members_refuses_links_and_names_written_twice(tmp_path):
    path = str(tmp_path / "linked.tar")
    with tarfile.open(path, "w") as archive:
        add(archive, "./index.json", b"{}")
        add(archive, "blobs/sha256/" + "a" * 64, kind=tarfile.SYMTYPE, linkname="/etc/passwd")
    with tarfile.open(path) as archive, pytest.raises(ValueError, match="a symlink to /etc/passwd"):
        index_members(archive)
    with tarfile.open(path, "w") as archive:
        add(archive, "./index.json", b"{}")
        add(archive, "index.json", b"{}")
    with tarfile.open(path) as archive, pytest.raises(ValueError, match="more than once"):
        index_members(archive)


def test_find_mismatch_names_architecture_checksum_and_manifest():
    found = {"arch": "amd64", "sha256": "1" * 64, "manifest_digest": "sha256:" + "2" * 64}
    assert find_mismatch("a", "binary", found, {"arch": "amd64", "sha256": "1" * 64}) is None
    assert "built for amd64 but edge1 is arm64" in find_mismatch("a", "binary", found, {"arch": "arm64", "nodes": ["edge1"]})
    assert "built for amd64 but edge1, edge2 are arm64" in find_mismatch(
        "a", "binary", found, {"arch": "arm64", "nodes": ["edge1", "edge2"]})
    assert "tampered or stale" in find_mismatch("a", "binary", found, {"sha256": "3" * 64})
    assert "not the signed image" in find_mismatch("a", "image", found, {"manifest_digest": "sha256:" + "4" * 64})
