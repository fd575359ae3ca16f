"""pytest for the role's Python plugins: the pure functions, and each module's main() on a scratch directory
(the run_module / run_ansible_module fixtures are in playbooks/conftest.py)."""
import os
import sys

ROLE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROLE, "library"))
sys.path.insert(0, os.path.join(ROLE, "filter_plugins"))
