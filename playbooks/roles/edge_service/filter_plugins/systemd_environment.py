# -*- coding: utf-8 -*-
"""edge_service_environment as the text of a systemd EnvironmentFile.

The values leave the unit file (world-readable, and parsed there with specifiers and quoting of its own)
for a file of the release that only root reads: systemd reads EnvironmentFile= as root before it drops to
the service's user, which is why 0600 root suffices even with DynamicUser=yes. The rendering happens on the
controller so that its sha1 can decide, with no round trip, whether the node already runs with it.
"""

import re

from ansible.errors import AnsibleFilterError

# What systemd accepts as a variable name (env_name_is_valid) and what a shell can export.
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
# Inside double quotes systemd's EnvironmentFile parser unescapes exactly these after a backslash (its
# SHELL_NEED_ESCAPE); any other backslash would be kept, and a backslash before a newline would eat the
# newline. A newline itself is kept as it is inside quotes, so it needs no escape.
NEEDS_BACKSLASH = re.compile(r'(["\\`$])')


def render_value(name, value):
    if isinstance(value, bool):
        # YAML's true is meant as the word, not Python's "True".
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        raise AnsibleFilterError(
            "edge_service_environment.%s is a %s; give it a string, number or boolean value."
            % (name, type(value).__name__))
    if "\0" in value:
        raise AnsibleFilterError(
            "edge_service_environment.%s holds a NUL character, which no environment variable can carry; "
            "remove it." % name)
    return value


def edge_systemd_environment_file(environment):
    """KEY="value" lines, sorted by key: the same variables always render to the same bytes."""
    if not isinstance(environment, dict):
        raise AnsibleFilterError("edge_service_environment must be a mapping of NAME: value, not %s."
                                 % type(environment).__name__)
    lines = []
    for name in sorted(environment):
        if not isinstance(name, str) or not NAME.match(name):
            raise AnsibleFilterError(
                "edge_service_environment has the key %r, which is not an environment variable name; "
                "use letters, digits and _ (not first a digit), e.g. API_URL." % (name,))
        value = render_value(name, environment[name])
        lines.append('%s="%s"\n' % (name, NEEDS_BACKSLASH.sub(r"\\\1", value)))
    return "".join(lines)


class FilterModule(object):
    def filters(self):
        return {"edge_systemd_environment_file": edge_systemd_environment_file}
