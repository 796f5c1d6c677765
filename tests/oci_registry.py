"""Real OCI registries for the ``meshdocs oci`` tests: Debian's ``docker-registry`` (distribution 2.8).

Each fixture writes its own config into a temporary folder, serves on a free port of 127.0.0.1 only (never
another interface, never the package's :5000 service), waits until ``/v2/`` answers, and stops the process
at the end of the session. ``make test`` installs ``docker-registry`` and ``apache2-utils`` (``htpasswd``)
first (``make system-deps``), so a missing binary fails the fixture, naming that target, instead of skipping.

Helpers here talk to the registry directly over HTTP (``requests``, proxies from the environment ignored)
so the tests can read what the CLI pushed, and push hand-made artifacts the CLI would never produce.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
import yaml

from .conftest import REPO
from .programs import require

USERNAME = "alice"
PASSWORD = "wonderland-42"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_EMPTY_CONFIG = "application/vnd.oci.empty.v1+json"
TITLE = "org.opencontainers.image.title"
START_TIMEOUT = 20.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_port() -> int:
    """A port on 127.0.0.1 where a connection is refused at once (bound, never listened, released)."""
    return free_port()


def http_session(auth: tuple[str, str] | None = None) -> requests.Session:
    """A session that goes straight to 127.0.0.1, whatever ``HTTP_PROXY`` says."""
    session = requests.Session()
    session.trust_env = False
    if auth:
        session.auth = auth
    return session


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class Registry:
    """A running registry: ``host`` is ``127.0.0.1:PORT``, ``url`` its base URL, ``storage`` its root."""

    host: str
    url: str
    storage: Path
    log: Path
    process: subprocess.Popen[bytes]
    auth: tuple[str, str] | None = None
    session: requests.Session = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.session = http_session(self.auth)

    def ref(self, name: str, tag: str) -> str:
        """``127.0.0.1:PORT/name:tag``, a reference as the CLI takes it."""
        return f"{self.host}/{name}:{tag}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"

    # -- reading ------------------------------------------------------------------------------------------

    def manifest_response(self, name: str, reference: str) -> requests.Response:
        return self.session.get(
            f"{self.url}/v2/{name}/manifests/{reference}", headers={"Accept": OCI_MANIFEST}, timeout=10
        )

    def manifest(self, name: str, reference: str) -> tuple[dict, bytes, str]:
        """The manifest as JSON, its exact bytes, and the digest the registry reports for it."""
        response = self.manifest_response(name, reference)
        assert response.status_code == 200, f"GET manifest {name}:{reference}: {response.status_code}"
        return response.json(), response.content, response.headers.get("Docker-Content-Digest", "")

    def blob(self, name: str, digest: str) -> bytes:
        response = self.session.get(f"{self.url}/v2/{name}/blobs/{digest}", timeout=10)
        assert response.status_code == 200, f"GET blob {name}@{digest}: {response.status_code}"
        return response.content

    # -- writing by hand (artifacts the CLI would refuse to make) -----------------------------------------

    def upload_blob(self, name: str, data: bytes) -> dict:
        """Upload ``data`` monolithically; returns its descriptor fields (digest, size)."""
        digest = sha256_digest(data)
        started = self.session.post(f"{self.url}/v2/{name}/blobs/uploads/", timeout=10)
        assert started.status_code == 202, f"start upload: {started.status_code} {started.text}"
        location = urljoin(self.url + "/", started.headers["Location"])
        sep = "&" if "?" in location else "?"
        done = self.session.put(
            f"{location}{sep}digest={digest}",
            data=data,
            headers={"Content-Type": "application/octet-stream"},
            timeout=10,
        )
        assert done.status_code == 201, f"finish upload: {done.status_code} {done.text}"
        return {"digest": digest, "size": len(data)}

    def push_raw(
        self,
        name: str,
        tag: str,
        files: list[tuple[str, bytes]],
        *,
        artifact_type: str,
        config_media_type: str,
        config: bytes = b"{}",
        layer_media_type: str = "application/octet-stream",
        annotations: Mapping[str, str] | None = None,
    ) -> str:
        """Push an OCI artifact with one layer per ``(title, bytes)``, titles taken as given; its digest."""
        config_desc = {"mediaType": config_media_type, **self.upload_blob(name, config)}
        layers = [
            {"mediaType": layer_media_type, **self.upload_blob(name, data), "annotations": {TITLE: title}}
            for title, data in files
        ]
        manifest = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "artifactType": artifact_type,
            "config": config_desc,
            "layers": layers,
            "annotations": dict(annotations or {}),
        }
        return self.put_manifest(name, tag, json.dumps(manifest, separators=(",", ":")).encode())

    def put_manifest(self, name: str, tag: str, body: bytes) -> str:
        """Store ``body`` as the manifest at ``name:tag``, as given (no check of ours); its digest."""
        response = self.session.put(
            f"{self.url}/v2/{name}/manifests/{tag}",
            data=body,
            headers={"Content-Type": OCI_MANIFEST},
            timeout=10,
        )
        assert response.status_code == 201, f"PUT manifest: {response.status_code} {response.text}"
        return sha256_digest(body)


def _die_with_parent(parent: int) -> None:
    """In the child before exec: SIGTERM when pytest dies, even by SIGKILL, so no registry outlives it."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # pytest died before prctl took effect
        os._exit(1)


def _start(tmp: Path, auth: tuple[str, str] | None) -> Registry:
    binary = require("docker-registry")
    port = free_port()
    storage = tmp / "storage"
    storage.mkdir()
    config: dict = {
        "version": 0.1,
        "log": {"level": "error", "accesslog": {"disabled": True}},
        "storage": {"filesystem": {"rootdirectory": str(storage)}, "delete": {"enabled": True}},
        "http": {"addr": f"127.0.0.1:{port}", "secret": "meshdocs-tests-only"},
    }
    expected = 200
    if auth:
        htpasswd = require("htpasswd")
        made = subprocess.run(
            [htpasswd, "-Bbn", *auth], capture_output=True, text=True, check=False, timeout=30
        )
        assert made.returncode == 0, f"htpasswd failed: {made.stderr}"
        users = tmp / "htpasswd"
        users.write_text(made.stdout.strip() + "\n", encoding="utf-8")
        config["auth"] = {"htpasswd": {"realm": "meshdocs", "path": str(users)}}
        expected = 401
    config_path = tmp / "config.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    # REGISTRY_* variables would override the config file (distribution reads them): drop them.
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    log = tmp / "registry.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve", str(config_path)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=tmp,
            preexec_fn=functools.partial(_die_with_parent, os.getpid()),
        )
    registry = Registry(f"127.0.0.1:{port}", f"http://127.0.0.1:{port}", storage, log, process, auth)

    deadline = time.monotonic() + START_TIMEOUT
    probe = http_session()  # no credentials: the auth registry must answer 401 here
    last = "no answer yet"
    while True:
        if process.poll() is not None:
            _stop(process)
            pytest.fail(
                f"docker-registry exited with {process.returncode} before serving; log tail:\n"
                f"{registry.log_tail()}",
                pytrace=False,
            )
        try:
            status = probe.get(f"{registry.url}/v2/", timeout=1).status_code
            if status == expected:
                return registry
            last = f"GET /v2/ answered {status}, expected {expected}"
        except requests.RequestException as exc:
            last = f"{type(exc).__name__}: {exc}"
        if time.monotonic() > deadline:
            _stop(process)
            pytest.fail(
                f"docker-registry on {registry.host} not ready after {START_TIMEOUT:.0f} s ({last}); "
                f"log tail:\n{registry.log_tail()}",
                pytrace=False,
            )
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """An anonymous registry on 127.0.0.1 (plain HTTP, deletes enabled)."""
    reg = _start(tmp_path_factory.mktemp("oci-registry"), None)
    try:
        yield reg
    finally:
        _stop(reg.process)


@pytest.fixture(scope="session")
def auth_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A registry behind htpasswd basic auth: ``alice`` / ``wonderland-42`` (bcrypt)."""
    reg = _start(tmp_path_factory.mktemp("oci-auth-registry"), (USERNAME, PASSWORD))
    try:
        yield reg
    finally:
        _stop(reg.process)


def run_cli_input(
    *args: str | Path,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m meshdocs ARGS`` like ``conftest.run_cli``, with ``input`` on stdin and extra ``env``."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "meshdocs", *map(str, args)],
        cwd=cwd,
        env=full_env,
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def tree(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root``: POSIX path relative to ``root`` -> bytes. Links are an error."""
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        assert not path.is_symlink(), f"unexpected symlink {path}"
        if path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def files_outside(base: Path, *allowed: Path) -> list[str]:
    """Files under ``base`` that are not under any of ``allowed`` (and are not ``allowed`` themselves)."""
    out = []
    for path in base.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            continue
        if any(path == a or a in path.parents for a in allowed):
            continue
        out.append(str(path))
    return sorted(out)
