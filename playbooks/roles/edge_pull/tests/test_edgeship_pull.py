"""The pull agent's own checks: the signature (openssl against the pinned key, as cosign signs blobs), the
record's fields before any of them names a path, and the configuration. The whole agent runs on a real node
in tools/edge-plugin/src/lib/pull-channel/test/pull-mode.spec.ts."""

import base64
import json
import os
import subprocess

import pytest

import edgeship_pull

SHA = "ab" * 32


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """An ECDSA P-256 key pair: what `cosign generate-key-pair` makes."""
    work = tmp_path_factory.mktemp("keys")
    private, public = work / "key.pem", work / "pub.pem"
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(private)], check=True)
    subprocess.run(["openssl", "ec", "-in", str(private), "-pubout", "-out", str(public)], check=True,
                   stderr=subprocess.DEVNULL)
    return private, public


def sign(private, data, tmp_path):
    """cosign sign-blob's output: base64 of the ASN.1 ECDSA signature over the blob's SHA-256."""
    blob = tmp_path / "blob"
    blob.write_bytes(data)
    raw = subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(private), str(blob)], check=True,
                         stdout=subprocess.PIPE).stdout
    return base64.b64encode(raw)


def record(**changes):
    build = dict(schema="edgeship.build/v1", service="hello-edge", version="1.2.0",
                 executables=[dict(arch="arm64", file="bin/hello-edge-linux-arm64", sha256=SHA)], images=[])
    build.update(changes)
    return json.dumps(build).encode()


def test_a_signature_by_the_pinned_key_verifies(keys, tmp_path):
    data = record()
    edgeship_pull.verify_signature(data, sign(keys[0], data, tmp_path), str(keys[1]))


def test_a_changed_record_or_another_key_is_refused(keys, tmp_path):
    data = record()
    signature = sign(keys[0], data, tmp_path)
    with pytest.raises(edgeship_pull.Refused, match="does not verify against"):
        edgeship_pull.verify_signature(data.replace(b"1.2.0", b"1.2.1"), signature, str(keys[1]))
    other = tmp_path / "other.pem"
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(other)], check=True)
    with pytest.raises(edgeship_pull.Refused, match="does not verify against"):
        edgeship_pull.verify_signature(data, sign(other, data, tmp_path), str(keys[1]))
    with pytest.raises(edgeship_pull.Refused, match="not a base64 signature"):
        edgeship_pull.verify_signature(data, b"not base64!", str(keys[1]))


def test_the_record_names_the_executable_for_the_node():
    assert edgeship_pull.read_desired(record(), "hello-edge", "arm64") == ("1.2.0", "bin/hello-edge-linux-arm64", SHA)


@pytest.mark.parametrize("changes, service, arch, message", [
    (dict(schema="other"), "hello-edge", "arm64", "not an edgeship.build/v1 record"),
    (dict(), "telemetry-gateway", "arm64", "record of 'hello-edge', not of telemetry-gateway"),
    (dict(version="1.2.0/../../etc"), "hello-edge", "arm64", "is not a version"),
    (dict(), "hello-edge", "amd64", "no amd64 executable"),
    (dict(executables=[dict(arch="arm64", file="../../etc/passwd", sha256=SHA)]), "hello-edge", "arm64",
     "not a file under bin/"),
    (dict(executables=[dict(arch="arm64", file="bin/../../x", sha256=SHA)]), "hello-edge", "arm64",
     "not a file under bin/"),
    (dict(executables=[dict(arch="arm64", file="bin/x", sha256="abc")]), "hello-edge", "arm64", "no sha256"),
])
def test_a_record_field_that_could_name_a_wrong_path_is_refused(changes, service, arch, message):
    with pytest.raises(edgeship_pull.Refused, match=message.replace("(", r"\(").replace(")", r"\)")):
        edgeship_pull.read_desired(record(**changes), service, arch)


def test_the_configuration_is_checked(tmp_path):
    config = tmp_path / "config.json"
    good = dict(node="edge-1", channel="http://10.0.0.1:8480/", services=[dict(name="hello-edge", port=8101)])
    config.write_text(json.dumps(good))
    read = edgeship_pull.read_config(str(config))
    assert read["channel"] == "http://10.0.0.1:8480"
    assert read["stability_window"] == 10
    config.write_text(json.dumps(dict(good, node="node7.site.example")))
    assert edgeship_pull.read_config(str(config))["node"] == "node7.site.example"
    for bad, field in ((dict(channel="file:///etc"), "channel"), (dict(node="../x"), "node"),
                       (dict(node="Edge_1"), "node"),
                       (dict(services=[dict(name="Hello", port=1)]), "service name")):
        config.write_text(json.dumps(dict(good, **bad)))
        with pytest.raises(ValueError, match=field):
            edgeship_pull.read_config(str(config))


def test_prune_keeps_the_new_the_previous_and_the_newest_others(tmp_path):
    releases = tmp_path / "releases"
    names = ["1.0.0-a", "1.1.0-b", "1.2.0-c", "1.3.0-d", "1.4.0-e"]
    # Newest last in names: 1.4.0-e is the newest directory.
    for age, name in enumerate(reversed(names)):
        (releases / name).mkdir(parents=True)
        os.utime(releases / name, (1_000_000 - age * 100, 1_000_000 - age * 100))
    (releases / ".staging-1.5.0-f").mkdir()
    kept = [str(releases / "1.4.0-e"), str(releases / "1.0.0-a")]
    edgeship_pull.prune(str(releases), kept, 3)
    assert sorted(path.name for path in releases.iterdir()) == ["1.0.0-a", "1.3.0-d", "1.4.0-e"]
