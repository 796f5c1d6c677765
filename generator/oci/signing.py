"""Signatures in cosign's format, so ``cosign verify --key cosign.pub --insecure-ignore-tlog REF`` accepts
what ``meshdocs oci sign`` wrote, and ``meshdocs oci verify`` what cosign signed with a key.

The format is cosign's signature specification (https://github.com/sigstore/cosign/blob/main/specs/
SIGNATURE_SPEC.md), tag-based discovery:

- the payload is a Simple Signing JSON document naming the signed manifest's digest
  (``critical.image.docker-manifest-digest``), ``critical.type`` "cosign container image signature";
- the signature is ECDSA P-256 over the payload's SHA-256, ASN.1 DER, base64 (standard alphabet);
- the payload is a layer (media type ``application/vnd.dev.cosign.simplesigning.v1+json``) of an OCI image
  manifest tagged ``sha256-<hex>.sig`` in the artifact's repository, the signature in the layer's
  ``dev.cosignproject.cosign/signature`` annotation; one manifest holds every signature of the artifact.

A signature proves that the manifest with that digest was signed; the manifest names every layer by its
digest and :meth:`~meshdocs.oci.client.OciClient.pull` checks each downloaded byte against it, so a
verified pull (by digest, never by the tag again) is the artifact that was signed, file for file.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from meshdocs.oci.artifacts import MANIFEST, sha256_digest
from meshdocs.oci.client import OciClient, OciError

SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature"
SIGNATURE_TYPE = "cosign container image signature"
IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json"
MAX_SIGNATURES = 100  # layers of one signature manifest looked at
MAX_PAYLOAD = 64 * 1024


class VerificationError(OciError):
    """The artifact is not signed by the key, or its signature does not hold: one sentence why."""


@dataclass(frozen=True)
class Signed:
    """What a sign or verify established: the artifact's manifest digest and where its signatures are."""

    digest: str
    signature_ref: str
    added: bool = True  # False: the same key had signed this digest already


def signature_tag(digest: str) -> str:
    """``sha256:abc…`` → ``sha256-abc….sig`` (the spec's tag-based discovery)."""
    algorithm, _, value = digest.partition(":")
    return f"{algorithm}-{value}.sig"


def payload(docker_reference: str, digest: str) -> bytes:
    """The Simple Signing payload cosign writes for ``digest`` (compact JSON, cosign's key order)."""
    document = {
        "critical": {
            "identity": {"docker-reference": docker_reference},
            "image": {"docker-manifest-digest": digest},
            "type": SIGNATURE_TYPE,
        },
        "optional": None,
    }
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def sign_payload(key: ec.EllipticCurvePrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data, ec.ECDSA(hashes.SHA256()))).decode("ascii")


def signature_holds(key: ec.EllipticCurvePublicKey, data: bytes, signature: str) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), data, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def signature_manifest(layers: list[dict[str, Any]]) -> tuple[bytes, bytes]:
    """(config bytes, manifest bytes) of a signature image holding ``layers`` (as cosign builds it)."""
    config = json.dumps(
        {
            "architecture": "",
            "config": {},
            "created": "0001-01-01T00:00:00Z",
            "history": [{"created": "0001-01-01T00:00:00Z"}],
            "os": "",
            "rootfs": {"type": "layers", "diff_ids": [layer["digest"] for layer in layers]},
        },
        separators=(",", ":"),
    ).encode("utf-8")
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "config": {"mediaType": IMAGE_CONFIG, "size": len(config), "digest": sha256_digest(config)},
        "layers": layers,
    }
    return config, json.dumps(manifest, separators=(",", ":")).encode("utf-8")


def sign(client: OciClient, key: ec.EllipticCurvePrivateKey, digest: str | None = None) -> Signed:
    """Sign the artifact ``client`` points at (its tag, or ``digest`` when the caller just pushed it).

    Signatures by other keys stay; signing again with a key that already signed the digest adds nothing.
    """
    digest = digest or client.resolve()[0]
    tag = signature_tag(digest)
    existing = _signature_layers(client, tag)
    public = key.public_key()
    for layer, data in existing:
        if _verified_for(public, layer, data, digest):
            return Signed(digest, _where(client, tag), added=False)
    data = payload(f"{client.ref.host}/{client.ref.repository}", digest)
    layer = {
        "mediaType": SIMPLE_SIGNING,
        "size": len(data),
        "digest": sha256_digest(data),
        "annotations": {SIGNATURE_ANNOTATION: sign_payload(key, data)},
    }
    layers = [old for old, _ in existing] + [layer]
    config, manifest = signature_manifest(layers)
    client.upload(data, SIMPLE_SIGNING)
    client.upload(config, IMAGE_CONFIG)
    client.put_manifest(tag, manifest)
    return Signed(digest, _where(client, tag))


def verify(client: OciClient, key: ec.EllipticCurvePublicKey, digest: str | None = None) -> Signed:
    """The artifact's digest (its tag's, or ``digest`` when the caller resolved it), once a signature by
    ``key`` names it; else :class:`VerificationError`."""
    digest = digest or client.resolve()[0]
    tag = signature_tag(digest)
    layers = _signature_layers(client, tag)
    if not layers:
        raise VerificationError(f"{client.ref} is not signed: no signature at {_where(client, tag)}")
    other_key = other_digest = 0
    for layer, data in layers:
        if not signature_holds(key, data, _annotation(layer)):
            other_key += 1
        elif _names(data) != digest:
            other_digest += 1
        else:
            return Signed(digest, _where(client, tag), added=False)
    if other_digest:
        raise VerificationError(
            f"{client.ref}: the signature by this key names another digest than the artifact's {digest} "
            "(the signature was copied from another artifact)"
        )
    raise VerificationError(
        f"{client.ref} ({digest}) has {other_key} signature(s), none made with this key "
        "(signed by another key, or the signature was altered)"
    )


def _signature_layers(client: OciClient, tag: str) -> list[tuple[dict[str, Any], bytes]]:
    """The Simple Signing layers of the signature manifest at ``tag`` with their payloads (checked)."""
    found = client.fetch_manifest(tag)
    if found is None:
        return []
    out = []
    for layer in (found[1].get("layers") or [])[:MAX_SIGNATURES]:
        if not isinstance(layer, dict) or layer.get("mediaType") != SIMPLE_SIGNING:
            continue
        size, digest = layer.get("size"), layer.get("digest")
        if not isinstance(digest, str) or not isinstance(size, int) or not 0 < size <= MAX_PAYLOAD:
            continue
        out.append((layer, client.blob(digest, f"the signature payload {digest}")))
    return out


def _verified_for(key: ec.EllipticCurvePublicKey, layer: dict[str, Any], data: bytes, digest: str) -> bool:
    return signature_holds(key, data, _annotation(layer)) and _names(data) == digest


def _annotation(layer: dict[str, Any]) -> str:
    annotations = layer.get("annotations")
    value = annotations.get(SIGNATURE_ANNOTATION) if isinstance(annotations, dict) else None
    return value if isinstance(value, str) else ""


def _names(data: bytes) -> str | None:
    """The digest a payload's claims name, when it is a cosign Simple Signing payload."""
    try:
        critical = json.loads(data)["critical"]
        if critical["type"] != SIGNATURE_TYPE:
            return None
        named = critical["image"]["docker-manifest-digest"]
    except (ValueError, KeyError, TypeError):
        return None
    return named if isinstance(named, str) else None


def _where(client: OciClient, tag: str) -> str:
    return f"{client.ref.host}/{client.ref.repository}:{tag}"
