import pytest
from ansible.errors import AnsibleFilterError

from systemd_environment import edge_systemd_environment_file


def test_renders_sorted_double_quoted_lines_with_systemd_escapes():
    rendered = edge_systemd_environment_file({"Z": "plain", "A": 'say "hi" $HOME `id` \\n\nnext', "B": True, "C": 3})
    assert rendered == 'A="say \\"hi\\" \\$HOME \\`id\\` \\\\n\nnext"\nB="true"\nC="3"\nZ="plain"\n'


@pytest.mark.parametrize("environment", [{"BAD-NAME": "x"}, {"1ST": "x"}, {"A": "nul\0"}, {"A": ["list"]}, "A=1"])
def test_refuses_what_systemd_cannot_carry(environment):
    with pytest.raises(AnsibleFilterError, match="edge_service_environment"):
        edge_systemd_environment_file(environment)
