#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""edgeship pull agent: a node that cannot be reached over SSH fetches its desired release and switches to it.

Run by edgeship-pull.timer (roles/edge_pull). For each service of /etc/edgeship/pull/config.json it reads the
channel's signed build record (<channel>/<service>/build.json and build.json.sig), verifies the signature with
openssl against the pinned public key before it looks at anything the record says, and when the record names
another release than the one running, downloads that executable, checks its sha256, switches `current` and
holds the health gate, switching back on failure. The steps are the push role's own code: the node's copies of
edge_release_commit, edge_release_activate, edge_health_gate and edge_node_probe, imported beside this file.
Every switch leaves its record in the service's history.jsonl; the node then PUTs what the push deploy's probe
would have read to <channel>/reports/<node>.json, where `status --pull-reports` reads it.

Standard library only: the node has Python, not Ansible. Binary delivery only (podman images go by push).
"""

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import edge_health_gate  # noqa: E402
import edge_node_probe  # noqa: E402
import edge_release_activate  # noqa: E402
import edge_release_commit  # noqa: E402

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An inventory host name (edge-1, node7.site.example): it names the node's report, <channel>/reports/<node>.json.
NODE = re.compile(r"^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
ARTIFACT = re.compile(r"^bin/[a-z0-9][a-z0-9._-]*$")
ARCHS = {"aarch64": "arm64", "x86_64": "amd64"}
RECORD_MAX_BYTES = 1 << 20
# How far back the history is read for a release that already failed its gate here.
HISTORY_LOOKBACK = 50
# The channel is reached directly: a proxy in the node's environment must not see (or answer for) it.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Refused(Exception):
    """The channel's release is not taken; the node keeps the one it runs."""


def fetch(url, limit=RECORD_MAX_BYTES):
    """The body of url, refused past limit bytes. None when the channel answers 404."""
    try:
        with OPENER.open(url, timeout=30) as response:
            body = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise Refused("%s answered HTTP %d" % (url, error.code))
    except (urllib.error.URLError, OSError) as error:
        raise Refused("%s cannot be read: %s" % (url, getattr(error, "reason", error)))
    if len(body) > limit:
        raise Refused("%s is larger than %d bytes" % (url, limit))
    return body


def download(url, path, sha256):
    """Streams url into path (0600) while hashing it; refuses a file whose sha256 is not the record's."""
    digest = hashlib.sha256()
    try:
        with OPENER.open(url, timeout=60) as response, open(path, "wb", opener=private) as handle:
            for chunk in iter(lambda: response.read(1 << 20), b""):
                digest.update(chunk)
                handle.write(chunk)
    except (urllib.error.URLError, OSError) as error:
        raise Refused("%s cannot be downloaded: %s" % (url, getattr(error, "reason", error)))
    if digest.hexdigest() != sha256:
        raise Refused("%s has sha256 %s, the signed record says %s" % (url, digest.hexdigest(), sha256))


def private(path, flags):
    return os.open(path, flags, 0o600)


def verify_signature(record, signature, public_key):
    """openssl checks cosign's signature (base64 ECDSA over the record's SHA-256) with the pinned key."""
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except ValueError:
        raise Refused("build.json.sig is not a base64 signature")
    with tempfile.TemporaryDirectory(prefix="edgeship-pull-") as work:
        for name, data in (("build.json", record), ("build.json.sig", raw)):
            with open(os.path.join(work, name), "wb") as handle:
                handle.write(data)
        try:
            run = subprocess.run(
                ["openssl", "dgst", "-sha256", "-verify", public_key, "-signature",
                 os.path.join(work, "build.json.sig"), os.path.join(work, "build.json")],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as error:
            raise Refused("openssl cannot be run on this node (%s): nothing is taken unverified" % error)
    if run.returncode != 0:
        said = run.stdout.decode("utf-8", "replace").strip().splitlines()
        raise Refused("the signature of build.json does not verify against %s (%s)"
                      % (public_key, said[0] if said else "openssl exit %d" % run.returncode))


def read_desired(record, service, arch):
    """(version, artifact file, sha256) of the signed record, each checked before it names a path."""
    try:
        build = json.loads(record.decode("utf-8"))
    except ValueError:
        raise Refused("build.json is not JSON")
    if not isinstance(build, dict) or build.get("schema") != "edgeship.build/v1":
        raise Refused("build.json is not an edgeship.build/v1 record")
    if build.get("service") != service:
        raise Refused("build.json is the record of %r, not of %s" % (build.get("service"), service))
    version = build.get("version")
    if not isinstance(version, str) or not VERSION.match(version):
        raise Refused("build.json's version %r is not a version" % (version,))
    for executable in build.get("executables") or []:
        if isinstance(executable, dict) and executable.get("arch") == arch:
            file, sha256 = executable.get("file"), executable.get("sha256")
            if not isinstance(file, str) or not ARTIFACT.match(file) or ".." in file:
                raise Refused("build.json's %s executable %r is not a file under bin/" % (arch, file))
            if not isinstance(sha256, str) or not SHA256.match(sha256):
                raise Refused("build.json's %s executable has no sha256" % arch)
            return version, file, sha256
    raise Refused("build.json has no %s executable (pull mode delivers executables)" % arch)


def read_text(path):
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return ""


def install(config, service, version, file, sha256, record, signature, current):
    """The release directory, verified: kept from before, or downloaded, checked and renamed into place."""
    releases = os.path.join(config["install_root"], service, "releases")
    release_id = "%s-%s" % (version, sha256[:12])
    release_dir = os.path.join(releases, release_id)
    if os.path.isdir(release_dir):
        found = edge_release_commit.sha256_of(os.path.join(release_dir, service))
        if found != sha256:
            raise Refused("the kept %s has sha256 %s, not the record's: remove it and pull again" % (release_dir, found))
        return release_dir
    staging = os.path.join(releases, ".staging-" + release_id)
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging, mode=0o755)
    try:
        download("%s/%s/%s" % (config["channel"], service, file), os.path.join(staging, service), sha256)
        os.chmod(os.path.join(staging, service), 0o755)
        # The release is described as the push role describes it, from the release it replaces.
        environment = edge_node_probe.read_release_env(current)
        environment.update(EDGESHIP_SERVICE=service, EDGESHIP_VERSION=version, EDGESHIP_RELEASE=release_id,
                           EDGESHIP_DELIVERY="binary", EDGESHIP_ARCH=config["arch"], EDGESHIP_SHA256=sha256,
                           EDGESHIP_IMAGE="", EDGESHIP_IMAGE_REFERENCE="")
        edge_release_commit.write_release_env(os.path.join(staging, "release.env"), environment)
        edge_release_commit.write_signed_record(
            staging, dict(record=record.decode("utf-8"), signature=signature.decode("utf-8")))
        os.rename(staging, release_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return release_dir


def switch(service, port, release_dir, link, config):
    """Points `current` at release_dir, (re)starts the unit and holds the gate; GateFailed when it fails."""
    args = dict(link=link, release_dir=release_dir, unit="edgeship-%s.service" % service,
                socket="edgeship-%s.socket" % service, hand_over_port=False, daemon_reload=False, restart=False,
                # The environment of the release it replaces: the unit reads it from `current`.
                environment_file="service.env", environment=read_text(os.path.join(link, "service.env")))
    systemctl = edge_release_activate.Systemctl(edge_health_gate.run_command)
    try:
        result = edge_release_activate.activate(args, systemctl)
    except (OSError, ValueError, edge_release_activate.SystemctlError) as error:
        raise edge_health_gate.GateFailed(str(error), {})
    # The version the release must answer on /version, as its release.env (the probe's reader) says.
    wanted = edge_node_probe.read_release_env(release_dir).get("EDGESHIP_VERSION", "")
    params = dict(url="http://127.0.0.1:%d" % port, version=wanted,
                  unit=args["unit"], timeout=config["health_timeout"], interval=config["health_interval"],
                  stability_window=config["stability_window"] if result["restarted"] else 0)
    body = edge_health_gate.wait_until_healthy(params, time.time())
    if params["stability_window"] > 0:
        edge_health_gate.hold_stability_window(params, body, edge_health_gate.run_command)


def pull_service(config, entry):
    """Brings one service to the channel's release; returns the outcome for the report."""
    service, port = entry["name"], int(entry["port"])
    root = os.path.join(config["install_root"], service)
    link = os.path.join(root, "current")
    current = os.path.realpath(link) if os.path.islink(link) else ""
    if not current:
        return dict(outcome="not installed", error="deploy %s once by push: pull mode switches releases the "
                                                   "push deploy installed units for" % service)
    history = os.path.join(root, "history.jsonl")
    by = "edgeship-pull@%s" % config["node"]
    record = fetch("%s/%s/build.json" % (config["channel"], service))
    if record is None:
        return dict(outcome="nothing published", release=os.path.basename(current))
    signature = fetch("%s/%s/build.json.sig" % (config["channel"], service), 64 * 1024)
    try:
        if signature is None:
            raise Refused("the channel's build.json is unsigned (no build.json.sig)")
        verify_signature(record, signature, config["trust_anchor"])
        version, file, sha256 = read_desired(record, service, config["arch"])
        release_dir = install(config, service, version, file, sha256, record, signature, current)
    except Refused as refusal:
        # Recorded once per desired release, not at every tick of the timer.
        last = edge_node_probe.read_history(history, 1)
        if not last or last[-1].get("error") != str(refusal)[:300]:
            edge_health_gate.append_history(
                history, dict(action="pull", by=by, **{"from": os.path.basename(current), "to": ""}),
                str(refusal), outcome="refused")
        return dict(outcome="refused", error=str(refusal), release=os.path.basename(current))
    if release_dir == current:
        return dict(outcome="in place", release=os.path.basename(current))
    # A release that failed its gate here is not tried again at every tick (a restart into it each time): it
    # stays refused until the channel names another one.
    failed_before = [each for each in edge_node_probe.read_history(history, HISTORY_LOOKBACK)
                     if each.get("action") == "pull" and each.get("to") == os.path.basename(release_dir)
                     and each.get("outcome") == "unhealthy"]
    if failed_before:
        return dict(outcome="rolled back", release=os.path.basename(current),
                    refused_release=os.path.basename(release_dir),
                    error="%s failed its health gate here at %s (%s); publish another release"
                          % (os.path.basename(release_dir), failed_before[-1].get("at"),
                             failed_before[-1].get("error", "")))
    record_of_switch = dict(action="pull", by=by, **{"from": os.path.basename(current),
                                                     "to": os.path.basename(release_dir)})
    try:
        switch(service, port, release_dir, link, config)
    except Exception as failure:  # noqa: BLE001 - whatever stopped the switch, the node goes back to what ran
        failed = dict(record_of_switch, outcome="unhealthy", error=str(failure)[:300])
        back = dict(action="rollback", by=by, reason="the pull of %s failed" % os.path.basename(release_dir),
                    **{"from": os.path.basename(release_dir), "to": os.path.basename(current)})
        try:
            switch(service, port, current, link, config)
            edge_health_gate.append_history(history, back, "", [failed])
        except Exception as again:  # noqa: BLE001 - recorded, and the report says so
            edge_health_gate.append_history(history, back, str(again), [failed])
            return dict(outcome="failed", error="%s; switching back failed too: %s" % (failure, again),
                        release=os.path.basename(os.path.realpath(link)))
        return dict(outcome="rolled back", error=str(failure), release=os.path.basename(current),
                    refused_release=os.path.basename(release_dir))
    edge_health_gate.append_history(history, record_of_switch, "")
    prune(os.path.dirname(release_dir), [release_dir, current], config["keep_releases"])
    return dict(outcome="deployed", release=os.path.basename(release_dir))


def prune(releases_dir, kept, keep):
    """Keeps the new release, the one it replaced (for a rollback) and the newest others up to `keep`, as the
    push role's prune does; staging left by a cut-off download goes too."""
    releases, staging = edge_node_probe.list_releases(releases_dir)
    others = [release["path"] for release in releases if release["path"] not in kept]
    for path in others[max(keep - len(kept), 0):] + staging:
        shutil.rmtree(path, ignore_errors=True)


def report(config, outcomes):
    """What the push deploy's probe would read, plus each pull's outcome, PUT to the channel's reports."""
    services = {entry["name"]: edge_node_probe.read_service(config["install_root"], entry["name"],
                                                             int(entry["port"]), 3, 5)
                for entry in config["services"]}
    body = json.dumps(dict(node=config["node"], at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           interval=str(config.get("interval", "")), machine=os.uname().machine,
                           services=services, pulls=outcomes)).encode("utf-8")
    request = urllib.request.Request("%s/reports/%s.json" % (config["channel"], config["node"]), data=body,
                                     method="PUT", headers={"Content-Type": "application/json"})
    try:
        with OPENER.open(request, timeout=30):
            return ""
    except (urllib.error.URLError, OSError) as error:
        return "the report could not be sent: %s" % getattr(error, "reason", error)


def read_config(path):
    with open(path) as handle:
        config = json.load(handle)
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", config.get("channel", "")):
        raise ValueError("%s: channel %r is not an http(s) URL" % (path, config.get("channel")))
    config["channel"] = config["channel"].rstrip("/")
    if not NODE.match(config.get("node", "")):
        raise ValueError("%s: node %r is not a host name of lowercase letters, digits, dots and dashes"
                         % (path, config.get("node")))
    for entry in config.get("services", []):
        if not NAME.match(str(entry.get("name", ""))):
            raise ValueError("%s: service name %r is not kebab-case" % (path, entry.get("name")))
    config["arch"] = ARCHS.get(os.uname().machine, os.uname().machine)
    config.setdefault("install_root", "/opt/edgeship")
    config.setdefault("trust_anchor", "/etc/edgeship/pull/release.pub")
    for key, default in (("health_timeout", 60), ("health_interval", 2), ("stability_window", 10),
                         ("keep_releases", 3)):
        value = str(config.get(key, default))
        if not value.isdigit():
            raise ValueError("%s: %s %r is not a whole number of seconds" % (path, key, config.get(key)))
        config[key] = int(value)
    return config


def main():
    config = read_config(sys.argv[1] if len(sys.argv) > 1 else "/etc/edgeship/pull/config.json")
    outcomes = {}
    for entry in config["services"]:
        try:
            outcomes[entry["name"]] = pull_service(config, entry)
        except Refused as refusal:
            outcomes[entry["name"]] = dict(outcome="unreachable channel", error=str(refusal))
        except Exception as error:  # noqa: BLE001 - one service's fault must not keep the others or the report
            outcomes[entry["name"]] = dict(outcome="failed", error="%s: %s" % (type(error).__name__, error))
        # The journal (systemd keeps the oneshot's output) says what happened, a line per service.
        print("%s: %s" % (entry["name"], json.dumps(outcomes[entry["name"]], sort_keys=True)), flush=True)
    warning = report(config, outcomes)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    failed = [name for name, each in outcomes.items()
              if each["outcome"] in ("refused", "rolled back", "failed", "unreachable channel")]
    sys.exit(1 if failed or warning else 0)


if __name__ == "__main__":
    main()
