"""The pure parts of the edge_release_install action plugin: how the report describes an upload, its bytes, and
the run's record of what it installed on the node.
The plugin's runs against a node are covered by the deploy executor's delivery spec (a delta, a corrupt basis,
a node without rsync, an rsync that fails)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "action_plugins"))

from edge_release_install import describe_transfer, record_install, rsync_bytes_sent, transfer_key  # noqa: E402


def test_reads_the_bytes_rsync_sent_from_its_stats():
    assert rsync_bytes_sent("Number of files: 1\nTotal bytes sent: 1,234,567\nTotal bytes received: 42\n") == 1234567
    assert rsync_bytes_sent("") == 0
    assert rsync_bytes_sent(None) == 0


@pytest.mark.parametrize(
    "pulled, delta, node_rsync, rsync_worked, resent, basis, key",
    [
        (True, True, True, False, False, "", "pull"),
        (False, True, True, True, False, "/r/1/a", "delta"),
        (False, True, True, True, False, "", "rsync"),
        (False, True, True, True, True, "/r/1/a", "resent"),
        (False, False, True, False, False, "", "off"),
        (False, True, False, False, False, "", "no_rsync"),
        (False, True, True, False, False, "/r/1/a", "rsync_failed"),
    ],
)
def test_names_how_the_artifact_reached_the_node(pulled, delta, node_rsync, rsync_worked, resent, basis, key):
    assert transfer_key(pulled, delta, node_rsync, rsync_worked, resent, basis) == key


def test_describes_the_transfer_with_its_basis_and_a_short_error():
    assert describe_transfer("delta", "/r/1/a") == "rsync delta against /r/1/a"
    described = describe_transfer("rsync_failed", error="rsync:  connection\n unexpectedly closed " + "x" * 300)
    assert described.startswith("whole file (rsync failed: rsync: connection unexpectedly closed x")
    assert described.endswith("...)") and len(described) < 200


def test_records_the_release_beside_what_the_run_installed_before_and_offers_the_file_sent_as_a_basis():
    before = {"telemetry-gateway": {"transfer": "none", "transfer_bytes": 0}}
    record = {"service": "hello-edge", "installed": before,
              "basis": {"kind": "binary", "path": "/opt/edgeship/hello-edge/releases/1.2.0-ab/hello-edge", "size": 9}}
    installed = {"exists": False, "transfer": "rsync delta against /x", "transfer_bytes": 2278}
    assert record_install(record, installed) == {
        "telemetry-gateway": {"transfer": "none", "transfer_bytes": 0},
        "hello-edge": {"transfer": "rsync delta against /x", "transfer_bytes": 2278, "basis": {
            "kind": "binary", "path": "/opt/edgeship/hello-edge/releases/1.2.0-ab/hello-edge", "size": 9,
            "service": "hello-edge"}},
    }
    assert before == {"telemetry-gateway": {"transfer": "none", "transfer_bytes": 0}}, "the fact given is not changed"


@pytest.mark.parametrize(
    "basis, exists",
    [({}, False), ({"kind": "image", "path": "/r/1/image.tar", "size": 1}, True)],
    ids=["a pulled image: no file", "a release the node already kept: nothing sent"],
)
def test_offers_no_basis_when_no_file_was_sent(basis, exists):
    installed = {"exists": exists, "transfer": "none", "transfer_bytes": 0}
    recorded = record_install({"service": "a", "installed": {}, "basis": basis}, installed)
    assert recorded == {"a": {"transfer": "none", "transfer_bytes": 0}}
