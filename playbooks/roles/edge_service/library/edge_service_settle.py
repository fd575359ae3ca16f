#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""The documentation of edge_service_settle, an action plugin (action_plugins/edge_service_settle.py).
Like ansible.builtin.assert, the module file only documents the arguments: the work runs on the controller,
and nothing reaches the node.
"""

DOCUMENTATION = r"""
module: edge_service_settle
short_description: Refuses a service on an edgeship node or decides whether the node already runs its release
description:
  - deploy.yml's first play, per node and service, once the artifacts are inspected. Fails with C(problem) when it
    is not empty; otherwise keeps the artifact's verdict and the no-op decision as host facts and, when the node
    already runs the release, reports it (set_stats C(edge_services), per node, C(already deployed)); otherwise
    puts the node in C(pending_group), as group_by would.
  - C(artifact_check), C(in_place), C(report) and C(report_start) name variables rather than carry values: they are
    templated only once nothing refuses the service (they may not template on a refused node).
options:
  service: {description: The service's name., type: str, required: true}
  problem: {description: Everything that refuses the service on the node, as one message; empty for nothing., type: str, required: true}
  note: {description: Said when not empty (the node gets the executable in place of the image)., type: str, default: ''}
  artifact_check: {description: The variable holding the artifact's verdict (failed, msg, size, image_id)., type: str, required: true}
  in_place: {description: The variable holding the no-op decision (a bool)., type: str, required: true}
  report: {description: The variable holding the service's report on the node., type: str, required: true}
  report_start: {description: The variable the report's seconds count from; set to the decision's time., type: str, required: true}
  pending_group: {description: The group of the nodes with a release to roll out (letters, digits and _)., type: str, required: true}
author: edgeship
"""

EXAMPLES = r"""
- name: Check the service on the node, keep the artifact's verdict and report the release if already in place
  edge_service_settle:
    service: hello-edge
    problem: '{{ _edge_service_deploy_problem }}'
    artifact_check: _edge_service_artifact_check
    in_place: _edge_service_in_place
    report: _edge_service_report
    report_start: _edge_service_started_at
    pending_group: edge_deploy_pending
"""

RETURN = r"""
ansible_facts:
  description: >-
    C(_edge_service_artifacts_checked) and C(_edge_deploy_in_place), by service, with this service's verdict and
    decision added. Host facts: no set_fact may use these names.
  type: dict
ansible_stats:
  description: For a release already in place, its report (C(edge_services), per node, aggregated).
  type: dict
add_group:
  description: For a release to roll out, C(pending_group) (Ansible's strategy adds the node to it, as for group_by).
  type: str
"""

import json

if __name__ == "__main__":
    print(json.dumps(dict(failed=True, msg="edge_service_settle runs as an action plugin on the controller")))
