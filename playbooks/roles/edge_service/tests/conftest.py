"""pytest for the role's Python plugins: the pure functions, and the lean modules' main() on a scratch directory.

The lean modules are plain scripts that read their arguments from a JSON file (WANT_JSON), so a test runs one
as Ansible does on a node, minus the transport: argv[1] is the file, the result is the JSON printed.
"""
import json
import os
import sys

import pytest

ROLE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROLE, "library"))
sys.path.insert(0, os.path.join(ROLE, "filter_plugins"))


@pytest.fixture
def run_module(tmp_path, monkeypatch, capsys):
    """Runs a WANT_JSON module's main() with `args`; returns (exit code, result dict)."""

    def run(module, args):
        path = tmp_path / "args.json"
        path.write_text(json.dumps(args))
        monkeypatch.setattr(sys, "argv", [module.__file__, str(path)])
        code = 0
        try:
            module.main()
        except SystemExit as exit:
            code = exit.code
        return code, json.loads(capsys.readouterr().out)

    return run
