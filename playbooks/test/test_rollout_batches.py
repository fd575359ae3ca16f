import pytest
from ansible.errors import AnsibleFilterError

from rollout_batches import edge_first_batch

HOSTS = ["edge%d" % number for number in range(1, 17)]


@pytest.mark.parametrize(
    "serial, expected",
    [
        ([1, "100%"], 1),  # the default: one canary
        ([1, 5, "100%"], 1),
        ([3], 3),
        (2, 2),
        ("25%", 4),
        (["10%", "100%"], 1),  # 1.6 nodes: Ansible rounds down
        (["1%"], 1),  # at least one
        ("100%", 16),
        (0, 16),  # zero: all at once, as Ansible does
        ([], 16),
        (40, 16),
    ],
)
def test_cuts_the_first_batch_as_ansible_does(serial, expected):
    assert edge_first_batch(HOSTS, serial) == HOSTS[:expected]


def test_keeps_the_play_order():
    assert edge_first_batch(["b", "a", "c"], [2, "100%"]) == ["b", "a"]


@pytest.mark.parametrize("serial", ["one", ["x%"], [None]])
def test_names_the_variable_for_a_serial_ansible_cannot_read(serial):
    with pytest.raises(AnsibleFilterError, match="edge_deploy_serial"):
        edge_first_batch(HOSTS, serial)
