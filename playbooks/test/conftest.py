"""pytest for the playbooks' own Python plugins (library/); the role's are tested in roles/edge_service/tests."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "library"))
