"""Push, pull and inspect artifacts on an OCI registry, through oras-py's registry client.

oras-py's ``push()`` cannot set an ``artifactType``, so blobs and the manifest are uploaded one by one.
Before anything, the registry is probed once (``GET /v2/``): an unreachable registry is reported at once
instead of after oras-py's minute of retries, and the probe's ``WWW-Authenticate`` picks Basic or token
authentication. Every failure a user can cause becomes an :class:`OciError` with one clear sentence.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import oras.provider
import requests

from meshdocs.oci.artifacts import CONFIG, MANIFEST, TITLE, Artifact, Layer, manifest_bytes, sha256_digest

PROBE_TIMEOUT = 5.0
MAX_MANIFEST = 4 * 1024 * 1024  # distribution's own limit on a manifest


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
        return self.put_manifest(self.ref.tag, manifest_bytes(artifact.manifest()))

    def put_manifest(self, reference: str, body: bytes) -> str:
        """Store a manifest under a tag of this repository; returns its digest."""
        response = self.registry.do_request(
            self._manifest_url(reference), "PUT", headers={"Content-Type": MANIFEST}, data=body
        )
        self._check(response, "upload the manifest")
        return sha256_digest(body)

    def upload(self, data: bytes, media_type: str) -> None:
        """One blob into this repository (what a manifest written afterwards may refer to)."""
        with tempfile.TemporaryDirectory(prefix="meshdocs-oci-") as tmp:
            self._blob(Path(tmp), data, media_type)

    def _blob(self, tmp: Path, data: bytes, media_type: str) -> None:
        layer = Layer("", data, media_type)
        descriptor = {"mediaType": media_type, "digest": layer.digest, "size": len(data)}
        path = tmp / layer.digest.replace(":", "-")
        path.write_bytes(data)
        response = self.registry.upload_blob(str(path), self.container, descriptor)
        self._check(response, f"upload a {len(data):,}-byte blob")

    def manifest(self) -> dict[str, Any]:
        """The manifest the reference's tag names."""
        return self.resolve()[1]

    def resolve(self) -> tuple[str, dict[str, Any]]:
        """The tag's manifest digest (of the bytes the registry holds) and the manifest."""
        found = self.fetch_manifest(self.ref.tag)
        if found is None:
            raise OciError(f"tag '{self.ref.tag}' not found in {self.ref.host}/{self.ref.repository}")
        body, manifest = found
        return sha256_digest(body), manifest

    def fetch_manifest(self, reference: str) -> tuple[bytes, dict[str, Any]] | None:
        """The manifest at a tag of this repository, as stored (``None`` when there is none)."""
        response = self.registry.do_request(
            self._manifest_url(reference), "GET", headers={"Accept": MANIFEST}
        )
        if response.status_code == 404:
            return None
        self._check(response, "read the manifest")
        body = response.content
        if len(body) > MAX_MANIFEST:
            raise OciError(f"{self.ref.host}: a manifest of {len(body):,} bytes is larger than allowed")
        try:
            manifest = json.loads(body)
        except ValueError:
            raise OciError(f"{self.ref.host} served a manifest that is not JSON") from None
        if not isinstance(manifest, dict):
            raise OciError(f"{self.ref.host} served a manifest that is not a JSON object")
        return body, manifest

    def blob(self, digest: str, what: str) -> bytes:
        """A blob's bytes, checked against its digest."""
        response = self.registry.get_blob(self.container, digest)
        self._check(response, f"download {what}")
        data: bytes = response.content
        if sha256_digest(data) != digest:
            raise OciError(f"{what}: the downloaded bytes do not match the digest {digest}")
        return data

    def pull(
        self, expected_type: str | None = None, manifest: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
        """The manifest and every titled layer's bytes (digests checked).

        ``manifest``: one already resolved (the one a signature was verified for), so the files are those
        it names, not those of whatever the tag names by now.
        """
        if manifest is None:
            manifest = self.manifest()
        kind = manifest.get("artifactType") or (manifest.get("config") or {}).get("mediaType", "")
        if expected_type and kind != expected_type:
            raise OciError(f"{self.ref} has artifact type '{kind or 'none'}', expected '{expected_type}'")
        files = []
        for layer in manifest.get("layers") or []:
            title = (layer.get("annotations") or {}).get(TITLE)
            if title:
                files.append((title, self.blob(layer["digest"], title)))
        return manifest, files

    def _manifest_url(self, reference: str) -> str:
        return f"{self.scheme}://{self.container.manifest_url(reference)}"

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
