"""The role's action plugins run in a test, on the controller side as Ansible runs them: Ansible's own Task,
Templar and PlayContext, a connection that never reaches a node."""
import importlib.util
import os
import types

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.template import Templar

ACTION_PLUGINS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "action_plugins")


def load_action_plugin(name):
    """The plugin's file, under a name of its own: library/ holds a module of the same name."""
    spec = importlib.util.spec_from_file_location(name + "_action", os.path.join(ACTION_PLUGINS, name + ".py"))
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)
    return plugin


def action_module(plugin, name, args, variables):
    """The plugin's ActionModule for a task `name: args`, with `variables` as the task's (lazy templates resolve
    when the action reads them)."""
    task = Task.load(dict(action=dict(module=name, **args)))
    return plugin.ActionModule(
        task=task, connection=types.SimpleNamespace(_shell=types.SimpleNamespace(tmpdir=None), has_native_async=False),
        play_context=PlayContext(), loader=DataLoader(), templar=Templar(DataLoader(), variables=variables),
        shared_loader_obj=None)
