"""The pull agent and the edge_service modules it imports, as the node has them: side by side."""

import os
import sys

ROLE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOKS = os.path.dirname(os.path.dirname(ROLE))
sys.path.insert(0, os.path.join(ROLE, "files"))
sys.path.insert(0, os.path.join(PLAYBOOKS, "roles", "edge_service", "library"))
sys.path.insert(0, os.path.join(PLAYBOOKS, "library"))
