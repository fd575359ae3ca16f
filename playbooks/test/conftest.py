"""pytest for the playbooks' own Python plugins (library/, filter_plugins/, callback_plugins/); the role's are tested in
roles/edge_service/tests."""
import os
import sys

PLAYBOOKS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(PLAYBOOKS, "library"))
sys.path.insert(0, os.path.join(PLAYBOOKS, "filter_plugins"))
sys.path.insert(0, os.path.join(PLAYBOOKS, "callback_plugins"))
