# -*- coding: utf-8 -*-
"""edge_first_batch: the hosts of a serial play's first batch, as Ansible will cut it.

deploy.yml rolls the first batch (the canary) out in a play of its own, and stages the release on every other
node while the canary's health gate runs; the rollout play after it, with the same `serial`, leaves that batch
out. Both must agree on which hosts it holds, so this cuts it with Ansible's own rule
(PlaybookExecutor._get_serialized_batches: the first entry of a list, a count or "N%" of the play's hosts,
at least one; zero or less: all of them).
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_native
from ansible.utils.helpers import pct_to_int


def edge_first_batch(hosts, serial):
    hosts = list(hosts)
    first = (serial if isinstance(serial, (list, tuple)) else [serial]) or [-1]
    try:
        size = pct_to_int(first[0], len(hosts))
    except (TypeError, ValueError) as error:
        raise AnsibleFilterError(
            "edge_deploy_serial must be a count, a percentage like '25%%' or a list of them, not %r (%s)"
            % (serial, to_native(error)))
    return hosts if size <= 0 else hosts[:size]


class FilterModule(object):
    def filters(self):
        return {"edge_first_batch": edge_first_batch}
