"""The lean modules as Ansible itself prepares them: its module_common reads each as a "jsonargs" module (new
style, so pipelined: one SSH session a run) and writes the task's arguments into ARGUMENTS, whatever they hold."""
import json
import os

import pytest
from ansible.executor.module_common import modify_module
from ansible.template import Templar
from ansible.parsing.dataloader import DataLoader

PLAYBOOKS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEAN_MODULES = [
    os.path.join(PLAYBOOKS, "library", "edge_node_probe.py"),
    *(
        os.path.join(PLAYBOOKS, "roles", "edge_service", "library", "edge_release_%s.py" % name)
        for name in ("stage", "commit", "prune", "activate")
    ),
    os.path.join(PLAYBOOKS, "roles", "edge_service", "library", "edge_health_gate.py"),
]
# Quotes of both kinds and in threes, backslashes (one at the end of a value), a newline, non-ASCII text.
AWKWARD_ARGUMENTS = {
    "releases_dir": "/opt/edgeship/svc/releases",
    "environment": {"GREETING": "it's \"\"\" and ''' here\\", "PATH_LIKE": "C:\\new\\table", "EMPTY": ""},
    "signed_record": {"record": '{"a": "b"}\n', "signature": "MEUCIQ==\n"},
    "paths": ["héllo", "\u2028", "\\"],
}


def prepared(path, arguments):
    """The module source and style exactly as ansible-core hands them to the connection."""
    data, style, _shebang = modify_module(
        os.path.basename(path)[:-3],
        path,
        arguments,
        Templar(loader=DataLoader()),
        task_vars={"ansible_python_interpreter": "/usr/bin/python3"},
    )
    return data.decode("utf-8"), style


@pytest.mark.parametrize("path", LEAN_MODULES, ids=os.path.basename)
def test_ansible_pipelines_the_module_with_the_arguments_written_in(path):
    source, style = prepared(path, AWKWARD_ARGUMENTS)
    # "new" is the style ansible-core pipelines; a WANT_JSON module is "non_native_want_json" and is not.
    assert style == "new"
    namespace = {"__name__": "edge_lean_module_under_test"}  # not __main__: defines, does not run main()
    exec(compile(source, path, "exec"), namespace)
    assert json.loads(namespace["ARGUMENTS"]) == AWKWARD_ARGUMENTS

