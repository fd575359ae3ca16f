"""pytest fixtures shared by the playbooks' and the role's Python plugin tests: a module's main() run as
Ansible runs it on a node, minus the transport."""
import json
import sys

import pytest
from ansible.module_utils import basic


@pytest.fixture
def run_module(tmp_path, monkeypatch, capsys):
    """Runs a lean (WANT_JSON) module's main() with `args`: argv[1] is the arguments file, as on a node.
    Returns (exit code, result dict)."""

    def run(module, args):
        path = tmp_path / "args.json"
        path.write_text(json.dumps(args))
        monkeypatch.setattr(sys, "argv", [module.__file__, str(path)])
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
