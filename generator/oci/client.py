"""Push, pull and inspect artifacts on an OCI registry, through oras-py's registry client.

oras-py's ``push()`` cannot set an ``artifactType``, so blobs and the manifest are uploaded one by one.
Before anything, the registry is probed once (``GET /v2/``): an unreachable registry is reported at once
instead of after oras-py's minute of retries, and the probe's ``WWW-Authenticate`` picks Basic or token
authentication. Every failure a user can cause becomes an :class:`OciError` with one clear sentence.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import oras.provider
import requests

from meshdocs.oci.artifacts import CONFIG, MANIFEST, TITLE, Artifact, Layer, manifest_bytes

PROBE_TIMEOUT = 5.0


class OciError(RuntimeError):
    """A registry operation that failed for a reason the user can act on."""


@dataclass(frozen=True)
class Reference:
    host: str
    repository: str
    tag: str

    @classmethod
    def parse(cls, ref: str) -> Reference:
        """``host[:port]/repo/name:tag`` (the tag defaults to ``latest``)."""
        if "/" not in ref:
            raise OciError(f"'{ref}' is not a registry reference; expected host/repository:tag")
        host, rest = ref.split("/", 1)
        if not host or host.startswith(".") or " " in ref:
            raise OciError(f"'{ref}' is not a registry reference; expected host/repository:tag")
        if "@" in rest:
            raise OciError(f"'{ref}': pulling by digest is not supported; use a tag")
        repository, _, tag = rest.rpartition(":") if ":" in rest.rsplit("/", 1)[-1] else (rest, "", "latest")
        if not repository or not tag:
            raise OciError(f"'{ref}' is not a registry reference; expected host/repository:tag")
        return cls(host, repository.lower(), tag)

    def __str__(self) -> str:
        return f"{self.host}/{self.repository}:{self.tag}"


class _Registry(oras.provider.Registry):  # type: ignore[misc]
    """oras-py's client without its retry loop: a user waiting at a prompt wants the error now."""

    def do_request(self, *args: Any, **kwargs: Any) -> requests.Response:
        try:
            return oras.provider.Registry.do_request.__wrapped__(self, *args, **kwargs)  # type: ignore[no-any-return]
        except ValueError as exc:  # oras-py's way of saying authentication failed
            raise OciError(f"authentication refused by {self.hostname}: {exc}") from None
        except requests.exceptions.RequestException as exc:
            raise OciError(f"lost the connection to {self.hostname} ({type(exc).__name__})") from None


class OciClient:
    def __init__(
        self, ref: Reference, *, plain_http: bool = False, username: str = "", password: str = ""
    ) -> None:
        self.ref = ref
        self.scheme = "http" if plain_http else "https"
        self.registry = self._connect(username, password)
        self.container = self.registry.get_container(f"{ref.host}/{ref.repository}:{ref.tag}")

    def _connect(self, username: str, password: str) -> _Registry:
        url = f"{self.scheme}://{self.ref.host}/v2/"
        try:
            probe = requests.get(url, timeout=PROBE_TIMEOUT)
        except requests.exceptions.SSLError:
            raise OciError(
                f"cannot reach {self.ref.host} over HTTPS (TLS failed); use --plain-http for a "
                "local registry without TLS"
            ) from None
        except requests.exceptions.RequestException as exc:
            reason = type(exc).__name__.replace("Error", " error").strip()
            raise OciError(
                f"cannot reach the registry at {self.ref.host} ({reason}); is it running?"
            ) from None
        challenge = probe.headers.get("WWW-Authenticate", "")
        basic = probe.status_code == 401 and challenge.lower().startswith("basic")
        registry = _Registry(
            hostname=self.ref.host, insecure=self.scheme == "http", auth_backend="basic" if basic else "token"
        )
        if probe.status_code == 401 and basic and not (username and password):
            raise OciError(f"{self.ref.host} requires authentication: pass --username and --password-stdin")
        if username and password:
            registry.auth.set_basic_auth(username, password)
            if basic:
                check = requests.get(url, auth=(username, password), timeout=PROBE_TIMEOUT)
                if check.status_code == 401:
                    raise OciError(
                        f"authentication refused by {self.ref.host}: check the username and password"
                    )
        return registry

    def push(self, artifact: Artifact) -> str:
        """Upload every blob, then the manifest; returns the manifest digest."""
        with tempfile.TemporaryDirectory(prefix="meshdocs-oci-") as tmp:
            config = artifact.config()
            self._blob(Path(tmp), config, CONFIG[artifact.artifact_type])
            for layer in artifact.layers:
                self._blob(Path(tmp), layer.data, layer.media_type)
        manifest = artifact.manifest()
        body = manifest_bytes(manifest)
        response = self.registry.do_request(
            f"{self.scheme}://{self.container.manifest_url()}",
            "PUT",
            headers={"Content-Type": MANIFEST},
            data=body,
        )
        self._check(response, "upload the manifest")
        return "sha256:" + hashlib.sha256(body).hexdigest()

    def _blob(self, tmp: Path, data: bytes, media_type: str) -> None:
        layer = Layer("", data, media_type)
        descriptor = {"mediaType": media_type, "digest": layer.digest, "size": len(data)}
        path = tmp / layer.digest.replace(":", "-")
        path.write_bytes(data)
        response = self.registry.upload_blob(str(path), self.container, descriptor)
        self._check(response, f"upload a {len(data):,}-byte blob")

    def manifest(self) -> dict[str, Any]:
        response = self.registry.do_request(
            f"{self.scheme}://{self.container.manifest_url()}", "GET", headers={"Accept": MANIFEST}
        )
        if response.status_code == 404:
            raise OciError(f"tag '{self.ref.tag}' not found in {self.ref.host}/{self.ref.repository}")
        self._check(response, "read the manifest")
        manifest: dict[str, Any] = response.json()
        return manifest

    def pull(self, expected_type: str | None = None) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
        """The manifest and every titled layer's bytes (digests checked)."""
        manifest = self.manifest()
        kind = manifest.get("artifactType") or (manifest.get("config") or {}).get("mediaType", "")
        if expected_type and kind != expected_type:
            raise OciError(f"{self.ref} has artifact type '{kind or 'none'}', expected '{expected_type}'")
        files = []
        for layer in manifest.get("layers") or []:
            title = (layer.get("annotations") or {}).get(TITLE)
            if not title:
                continue
            response = self.registry.get_blob(self.container, layer["digest"])
            self._check(response, f"download {title}")
            data = response.content
            if "sha256:" + hashlib.sha256(data).hexdigest() != layer["digest"]:
                raise OciError(f"{title}: the downloaded bytes do not match the digest {layer['digest']}")
            files.append((title, data))
        return manifest, files

    def _check(self, response: requests.Response, what: str) -> None:
        if response.status_code < 400:
            return
        if response.status_code == 401:
            raise OciError(f"authentication refused by {self.ref.host} while trying to {what}")
        if response.status_code == 403:
            raise OciError(f"{self.ref.host} refused to {what}: permission denied")
        detail = ""
        try:
            errors = response.json().get("errors") or []
            detail = "; ".join(f"{e.get('code')}: {e.get('message')}" for e in errors)
        except (ValueError, AttributeError):
            detail = response.text[:200]
        suffix = f": {detail}" if detail else ""
        raise OciError(f"could not {what} on {self.ref.host} (HTTP {response.status_code}{suffix})")


def describe(manifest: dict[str, Any]) -> dict[str, Any]:
    """What ``meshdocs oci inspect`` prints."""
    return {
        "artifactType": manifest.get("artifactType"),
        "mediaType": manifest.get("mediaType"),
        "config": manifest.get("config"),
        "annotations": manifest.get("annotations") or {},
        "layers": [
            {
                "mediaType": layer.get("mediaType"),
                "digest": layer.get("digest"),
                "size": layer.get("size"),
                "title": (layer.get("annotations") or {}).get(TITLE),
            }
            for layer in manifest.get("layers") or []
        ],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False)
