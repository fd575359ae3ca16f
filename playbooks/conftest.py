"""pytest fixtures shared by the playbooks' and the role's Python plugin tests: a module's main() run as
Ansible runs it on a node, minus the transport."""
import json

import pytest
from ansible.module_utils import basic


@pytest.fixture
def run_module(monkeypatch, capsys):
    """Runs a lean (jsonargs) module's main() with `args` as JSON in its ARGUMENTS, where Ansible writes them.
    Returns (exit code, result dict)."""

    def run(module, args):
        monkeypatch.setattr(module, "ARGUMENTS", json.dumps(args))
        return exit_code_and_result(module, capsys)

    return run


@pytest.fixture
def run_ansible_module(monkeypatch, capsys):
    """Runs an AnsibleModule's main() with `args`, handed over the way AnsiballZ does (basic._ANSIBLE_ARGS).
    Returns (exit code, result dict)."""

    def run(module, args):
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps(dict(ANSIBLE_MODULE_ARGS=args)).encode())
        return exit_code_and_result(module, capsys)

    return run


def exit_code_and_result(module, capsys):
    code = 0
    try:
        module.main()
    except SystemExit as exit:
        code = exit.code
    return code, json.loads(capsys.readouterr().out)
