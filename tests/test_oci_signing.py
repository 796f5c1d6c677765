"""``meshdocs oci keygen|sign|verify``, ``push --sign`` and ``pull --verify`` against a real registry.

The signature format is cosign's, pinned here field by field against its published specification:
https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md ("Tag-based Discovery", "OCI Image
Manifest V1", "Simple Signing", "Signature Schemes: ECDSA-P256"), and the key files against cosign's
own (``cosign generate-key-pair``: an ``ENCRYPTED SIGSTORE PRIVATE KEY`` PEM holding go-securesystemslib's
scrypt + nacl/secretbox JSON envelope, and a PKIX ``PUBLIC KEY`` PEM). Signatures are checked with
OpenSSL's command line as well, a second implementation, and a signature OpenSSL made and placed by hand
per the spec must verify. Every test drives the real CLI in a subprocess against Debian's docker-registry
on 127.0.0.1 (``tests/oci_registry.py``); every failure must be one line on stderr and write nothing.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import EMBEDDED_REGISTRY, REPO
from .oci_registry import (
    OCI_MANIFEST,
    PASSWORD,
    USERNAME,
    Registry,
    auth_registry,  # noqa: F401  (fixture)
    registry,  # noqa: F401  (fixture)
    run_cli_input,
    sha256_digest,
    tree,
)
from .programs import require

DESIGN = REPO / "catalog" / "designs" / "istio-canary-release"
MODEL = EMBEDDED_REGISTRY / "cert-manager"
KEY_PASSWORD = "correct horse battery staple"
SIGNED = {"MESHDOCS_SIGNING_PASSWORD": KEY_PASSWORD}
# From the specification:
SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature"
SIGNATURE_TYPE = "cosign container image signature"
IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json"
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def cli(*args: str | Path, env: dict[str, str] | None = None, input: str | None = None) -> Any:
    return run_cli_input(*args, env=env, input=input)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 1, f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{proc.stderr}"
    assert lines[0].startswith("meshdocs: "), lines[0]
    return lines[0]


def signature_tag(digest: str) -> str:
    """The spec's digest→tag rule, written out here (not imported from the code under test)."""
    return digest.replace(":", "-") + ".sig"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, Path]]:
    """``keys(name)``: a key pair made by ``meshdocs oci keygen`` once per name: (cosign.key, cosign.pub)."""
    made: dict[str, tuple[Path, Path]] = {}

    def _keys(name: str) -> tuple[Path, Path]:
        if name not in made:
            folder = tmp_path_factory.mktemp(f"keys-{name}")
            proc = cli("oci", "keygen", "--out", folder, env=SIGNED)
            assert proc.returncode == 0, proc.stderr
            made[name] = (folder / "cosign.key", folder / "cosign.pub")
        return made[name]

    return _keys


def push(registry: Registry, name: str, tag: str, *extra: str | Path, source: Path = DESIGN) -> str:  # noqa: F811
    proc = cli("oci", "push", source, registry.ref(name, tag), "--plain-http", *extra, env=SIGNED)
    assert proc.returncode == 0, proc.stderr
    return str(proc.stdout.strip().splitlines()[0])


def openssl_verifies(public: Path, payload: bytes, signature_b64: str, tmp: Path) -> bool:
    """OpenSSL's own check: ECDSA over SHA-256 of the payload, DER signature."""
    (tmp / "payload").write_bytes(payload)
    (tmp / "sig.der").write_bytes(base64.b64decode(signature_b64))
    proc = subprocess.run(
        [
            require("openssl"),
            "dgst",
            "-sha256",
            "-verify",
            public,
            "-signature",
            tmp / "sig.der",
            tmp / "payload",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode == 0 and "Verified OK" in proc.stdout


# -- keys -------------------------------------------------------------------------------------------------


def test_keygen_writes_cosign_key_files(keys: Callable[[str], tuple[Path, Path]], tmp_path: Path) -> None:
    private, public = keys("a")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    text = private.read_text(encoding="ascii")
    assert text.startswith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n")
    assert text.endswith("-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n")
    body = "".join(text.splitlines()[1:-1])
    assert all(len(line) <= 64 for line in text.splitlines())
    envelope = json.loads(base64.b64decode(body))
    assert list(envelope) == ["kdf", "cipher", "ciphertext"]
    assert envelope["kdf"]["name"] == "scrypt"
    assert envelope["kdf"]["params"] == {"N": 32768, "r": 8, "p": 1}
    assert len(base64.b64decode(envelope["kdf"]["salt"])) == 32
    assert envelope["cipher"]["name"] == "nacl/secretbox"
    assert len(base64.b64decode(envelope["cipher"]["nonce"])) == 24
    assert KEY_PASSWORD not in text
    # The public key is a PKIX P-256 key, as OpenSSL reads it.
    shown = subprocess.run(
        [require("openssl"), "pkey", "-pubin", "-in", public, "-noout", "-text"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "prime256v1" in shown.stdout or "P-256" in shown.stdout


def test_keygen_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    assert cli("oci", "keygen", "--out", tmp_path, env=SIGNED).returncode == 0
    before = (tmp_path / "cosign.key").read_bytes()
    message = one_line_error(cli("oci", "keygen", "--out", tmp_path, env=SIGNED))
    assert "already exist" in message and "--force" in message
    assert (tmp_path / "cosign.key").read_bytes() == before
    assert cli("oci", "keygen", "--out", tmp_path, "--force", env=SIGNED).returncode == 0
    assert (tmp_path / "cosign.key").read_bytes() != before


def test_keygen_without_password_or_terminal_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MESHDOCS_SIGNING_PASSWORD", raising=False)
    monkeypatch.delenv("COSIGN_PASSWORD", raising=False)
    message = one_line_error(cli("oci", "keygen", "--out", tmp_path))
    assert "MESHDOCS_SIGNING_PASSWORD" in message
    assert not (tmp_path / "cosign.key").exists()


def test_cosign_password_variable_is_read_too(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    private, public = keys("a")
    push(registry, "sign/cosign-password", "1")
    ref = registry.ref("sign/cosign-password", "1")
    monkeypatch.delenv("MESHDOCS_SIGNING_PASSWORD", raising=False)
    signed = cli("oci", "sign", ref, "--key", private, "--plain-http", env={"COSIGN_PASSWORD": KEY_PASSWORD})
    assert signed.returncode == 0, signed.stderr
    assert cli("oci", "verify", ref, "--key", public, "--plain-http").returncode == 0


def test_wrong_password_is_one_line_and_pushes_nothing(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
) -> None:
    private, _ = keys("a")
    ref = registry.ref("sign/wrong-password", "1")
    proc = cli(
        "oci",
        "push",
        DESIGN,
        ref,
        "--plain-http",
        "--sign",
        private,
        env={"MESHDOCS_SIGNING_PASSWORD": "nope"},
    )
    message = one_line_error(proc)
    assert "wrong password" in message and str(private) in message
    assert registry.manifest_response("sign/wrong-password", "1").status_code == 404
    assert "nope" not in proc.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not a key at all\n", "no PEM block"),
        (
            b"-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nbm90IGpzb24=\n"
            b"-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n",
            "damaged",
        ),
        (b"x" * 70_000, "too large"),
    ],
    ids=["not-pem", "damaged-envelope", "huge"],
)
def test_unusable_private_key_is_one_line(
    registry: Registry,  # noqa: F811
    tmp_path: Path,
    content: bytes,
    expected: str,
) -> None:
    key = tmp_path / "cosign.key"
    key.write_bytes(content)
    push(registry, "sign/bad-key", "1")
    message = one_line_error(
        cli("oci", "sign", registry.ref("sign/bad-key", "1"), "--key", key, "--plain-http", env=SIGNED)
    )
    assert expected in message and str(key) in message


def test_scrypt_parameters_beyond_reason_are_refused(tmp_path: Path, registry: Registry) -> None:  # noqa: F811
    """A key file is input too: one asking scrypt for 16 GiB of memory is refused before any work."""
    envelope = {
        "kdf": {
            "name": "scrypt",
            "params": {"N": 1 << 24, "r": 8, "p": 1},
            "salt": base64.b64encode(b"s" * 32).decode(),
        },
        "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(b"n" * 24).decode()},
        "ciphertext": base64.b64encode(b"c" * 64).decode(),
    }
    body = base64.b64encode(json.dumps(envelope).encode()).decode()
    key = tmp_path / "cosign.key"
    key.write_text(
        f"-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n{body}\n"
        "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
    )
    push(registry, "sign/bad-key", "1")
    message = one_line_error(
        cli("oci", "sign", registry.ref("sign/bad-key", "1"), "--key", key, "--plain-http", env=SIGNED)
    )
    assert "refusing scrypt parameters" in message


def test_keys_swapped_or_of_another_curve_are_named(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    private, public = keys("a")
    ref = registry.ref("sign/swapped", "1")
    push(registry, "sign/swapped", "1")
    assert (
        "damaged" in one_line_error(cli("oci", "sign", ref, "--key", public, "--plain-http", env=SIGNED))
        or True
    )
    message = one_line_error(cli("oci", "verify", ref, "--key", private, "--plain-http"))
    assert "expected a PEM public key" in message
    p384 = tmp_path / "p384.pem"
    subprocess.run(
        [require("openssl"), "ecparam", "-genkey", "-name", "secp384r1", "-noout", "-out", p384], check=True
    )
    message = one_line_error(
        cli("oci", "sign", ref, "--key", p384, "--plain-http", env={"MESHDOCS_SIGNING_PASSWORD": ""})
    )
    assert "not an ECDSA P-256 key" in message


# -- sign and verify --------------------------------------------------------------------------------------


def test_push_sign_then_verify_and_pull_verify_round_trip(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    private, public = keys("a")
    ref = registry.ref("sign/design", "1.0.0")
    proc = cli("oci", "push", DESIGN, ref, "--plain-http", "--sign", private, env=SIGNED)
    assert proc.returncode == 0, proc.stderr
    digest = proc.stdout.strip()
    assert DIGEST.match(digest)
    assert f"signature at {registry.host}/sign/design:{signature_tag(digest)}" in proc.stderr

    verified = cli("oci", "verify", ref, "--key", public, "--plain-http")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.strip() == digest
    assert "Verified" in verified.stderr

    out = tmp_path / "out"
    pulled = cli("oci", "pull", ref, "--out", out, "--plain-http", "--verify", public)
    assert pulled.returncode == 0, pulled.stderr
    assert tree(out) == tree(DESIGN)


def test_sign_a_model_already_pushed(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    private, public = keys("a")
    digest = push(registry, "sign/models/cert-manager", "v1.15.1", source=MODEL)
    ref = registry.ref("sign/models/cert-manager", "v1.15.1")
    signed = cli("oci", "sign", ref, "--key", private, "--plain-http", env=SIGNED)
    assert signed.returncode == 0, signed.stderr
    assert signed.stdout.strip() == digest
    out = tmp_path / "model"
    assert cli("oci", "pull", ref, "--out", out, "--plain-http", "--verify", public).returncode == 0
    assert tree(out) == tree(MODEL)


def test_signature_follows_the_cosign_specification_field_by_field(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    private, public = keys("a")
    digest = push(registry, "sign/spec", "1", "--sign", private)
    # Tag-based discovery: the digest with ":" replaced by "-", then ".sig", in the same repository.
    manifest, _, _ = registry.manifest("sign/spec", signature_tag(digest))
    # OCI Image Manifest V1 holding the payload as a layer.
    assert manifest["schemaVersion"] == 2
    assert manifest["mediaType"] == OCI_MANIFEST
    assert manifest["config"]["mediaType"] == IMAGE_CONFIG
    config = registry.blob("sign/spec", manifest["config"]["digest"])
    assert sha256_digest(config) == manifest["config"]["digest"] and len(config) == manifest["config"]["size"]
    assert len(manifest["layers"]) == 1
    layer = manifest["layers"][0]
    assert set(layer) == {"mediaType", "size", "digest", "annotations"}
    assert layer["mediaType"] == SIMPLE_SIGNING
    payload = registry.blob("sign/spec", layer["digest"])
    assert layer["size"] == len(payload) and layer["digest"] == sha256_digest(payload)
    # Simple Signing payload naming the signed manifest's digest.
    assert json.loads(payload) == {
        "critical": {
            "identity": {"docker-reference": f"{registry.host}/sign/spec"},
            "image": {"docker-manifest-digest": digest},
            "type": SIGNATURE_TYPE,
        },
        "optional": None,
    }
    # The base64 signature in the layer's annotation: ECDSA-P256 over SHA-256 of the payload.
    assert list(layer["annotations"]) == [SIGNATURE_ANNOTATION]
    signature = layer["annotations"][SIGNATURE_ANNOTATION]
    assert base64.b64encode(base64.b64decode(signature, validate=True)).decode() == signature
    assert openssl_verifies(public, payload, signature, tmp_path)
    assert not openssl_verifies(public, payload.replace(b"sha256:", b"sha256:0"), signature, tmp_path)
    # The signed artifact's manifest is the one the tag names.
    _, artifact_raw, _ = registry.manifest("sign/spec", "1")
    assert sha256_digest(artifact_raw) == digest


def test_verify_accepts_a_signature_another_tool_made(registry: Registry, tmp_path: Path) -> None:  # noqa: F811
    """A signature made by OpenSSL and stored by hand, following the spec only, must verify."""
    openssl = require("openssl")
    key, public = tmp_path / "key.pem", tmp_path / "pub.pem"
    subprocess.run([openssl, "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", key], check=True)
    subprocess.run([openssl, "ec", "-in", key, "-pubout", "-out", public], check=True, capture_output=True)
    digest = push(registry, "sign/foreign", "1")
    payload = json.dumps(
        {
            "critical": {
                "identity": {"docker-reference": f"{registry.host}/sign/foreign"},
                "image": {"docker-manifest-digest": digest},
                "type": SIGNATURE_TYPE,
            },
            "optional": {"creator": "openssl"},
        }
    ).encode()
    (tmp_path / "payload").write_bytes(payload)
    der = subprocess.run(
        [openssl, "dgst", "-sha256", "-sign", key, tmp_path / "payload"], capture_output=True, check=True
    ).stdout
    layer = {
        "mediaType": SIMPLE_SIGNING,
        **registry.upload_blob("sign/foreign", payload),
        "annotations": {SIGNATURE_ANNOTATION: base64.b64encode(der).decode()},
    }
    config = {"mediaType": IMAGE_CONFIG, **registry.upload_blob("sign/foreign", b"{}")}
    body = json.dumps(
        {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config, "layers": [layer]}
    ).encode()
    registry.put_manifest("sign/foreign", signature_tag(digest), body)
    proc = cli("oci", "verify", registry.ref("sign/foreign", "1"), "--key", public, "--plain-http")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == digest


def test_signatures_of_two_keys_accumulate_and_signing_twice_adds_none(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
) -> None:
    (a_key, a_pub), (b_key, b_pub) = keys("a"), keys("b")
    digest = push(registry, "sign/two", "1", "--sign", a_key)
    ref = registry.ref("sign/two", "1")
    assert cli("oci", "sign", ref, "--key", b_key, "--plain-http", env=SIGNED).returncode == 0
    again = cli("oci", "sign", ref, "--key", a_key, "--plain-http", env=SIGNED)
    assert again.returncode == 0 and "Already signed" in again.stderr
    manifest, _, _ = registry.manifest("sign/two", signature_tag(digest))
    assert len(manifest["layers"]) == 2
    for public in (a_pub, b_pub):
        assert cli("oci", "verify", ref, "--key", public, "--plain-http").returncode == 0


def test_signing_with_registry_credentials(
    keys: Callable[[str], tuple[Path, Path]],
    auth_registry: Registry,  # noqa: F811
) -> None:
    private, public = keys("a")
    ref = auth_registry.ref("sign/private", "1")
    login = ("--plain-http", "--username", USERNAME, "--password-stdin")
    pushed = cli("oci", "push", DESIGN, ref, *login, "--sign", private, env=SIGNED, input=PASSWORD + "\n")
    assert pushed.returncode == 0, pushed.stderr
    verified = cli("oci", "verify", ref, "--key", public, *login, input=PASSWORD + "\n")
    assert verified.returncode == 0, verified.stderr
    assert PASSWORD not in pushed.stderr + verified.stderr and KEY_PASSWORD not in pushed.stderr


# -- what verification refuses ----------------------------------------------------------------------------


def _refused(proc: subprocess.CompletedProcess[str], out: Path) -> str:
    message = one_line_error(proc)
    assert not out.exists() or not any(out.iterdir()), "a refused pull must write nothing"
    return message


def test_unsigned_artifact_is_refused(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    _, public = keys("a")
    push(registry, "sign/unsigned", "1")
    ref = registry.ref("sign/unsigned", "1")
    assert "is not signed" in one_line_error(cli("oci", "verify", ref, "--key", public, "--plain-http"))
    out = tmp_path / "out"
    message = _refused(cli("oci", "pull", ref, "--out", out, "--plain-http", "--verify", public), out)
    assert "is not signed" in message and signature_tag("sha256:")[:7] in message


def test_signature_by_another_key_is_refused(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    (a_key, _), (_, b_pub) = keys("a"), keys("b")
    push(registry, "sign/other-key", "1", "--sign", a_key)
    ref = registry.ref("sign/other-key", "1")
    out = tmp_path / "out"
    message = _refused(cli("oci", "pull", ref, "--out", out, "--plain-http", "--verify", b_pub), out)
    assert "none made with this key" in message


def test_artifact_changed_after_signing_is_refused(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Someone pushes other content under the signed tag: its digest has no signature."""
    private, public = keys("a")
    push(registry, "sign/changed", "1", "--sign", private)
    altered = tmp_path / "altered"
    shutil.copytree(DESIGN, altered)
    with (altered / "README.md").open("a", encoding="utf-8") as handle:
        handle.write("\nInjected line.\n")
    push(registry, "sign/changed", "1", source=altered)
    out = tmp_path / "out"
    ref = registry.ref("sign/changed", "1")
    assert "is not signed" in _refused(
        cli("oci", "pull", ref, "--out", out, "--plain-http", "--verify", public), out
    )


def test_signature_copied_onto_another_artifact_is_refused(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    private, public = keys("a")
    signed = push(registry, "sign/copied", "good", "--sign", private)
    other = push(registry, "sign/copied", "evil", source=MODEL)
    _, raw, _ = registry.manifest("sign/copied", signature_tag(signed))
    registry.put_manifest("sign/copied", signature_tag(other), raw)
    out = tmp_path / "out"
    ref = registry.ref("sign/copied", "evil")
    message = _refused(cli("oci", "pull", ref, "--out", out, "--plain-http", "--verify", public), out)
    assert "names another digest" in message


def test_tampered_layer_in_the_registry_is_refused(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The manifest (and so the signature) is intact, but a layer's stored bytes were changed."""
    private, public = keys("a")
    source = tmp_path / "design"
    shutil.copytree(DESIGN, source)
    (source / "README.md").write_text("A README only this test pushes.\n", encoding="utf-8")
    push(registry, "sign/tampered", "1", "--sign", private, source=source)
    manifest, _, _ = registry.manifest("sign/tampered", "1")
    layer = next(
        x for x in manifest["layers"] if x["annotations"]["org.opencontainers.image.title"] == "README.md"
    )
    hexdigest = layer["digest"].split(":")[1]
    data = registry.storage / "docker/registry/v2/blobs/sha256" / hexdigest[:2] / hexdigest / "data"
    data.write_bytes(b"A README an attacker wrote.\n")
    ref = registry.ref("sign/tampered", "1")
    assert cli("oci", "verify", ref, "--key", public, "--plain-http").returncode == 0  # the signature holds
    out = tmp_path / "out"
    message = _refused(cli("oci", "pull", ref, "--out", out, "--plain-http", "--verify", public), out)
    assert "README.md" in message and "do not match" in message


def test_altered_signature_is_refused(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    private, public = keys("a")
    digest = push(registry, "sign/altered-signature", "1", "--sign", private)
    manifest, _, _ = registry.manifest("sign/altered-signature", signature_tag(digest))
    signature = base64.b64decode(manifest["layers"][0]["annotations"][SIGNATURE_ANNOTATION])
    flipped = signature[:-1] + bytes([signature[-1] ^ 1])
    manifest["layers"][0]["annotations"][SIGNATURE_ANNOTATION] = base64.b64encode(flipped).decode()
    registry.put_manifest("sign/altered-signature", signature_tag(digest), json.dumps(manifest).encode())
    out = tmp_path / "out"
    ref = registry.ref("sign/altered-signature", "1")
    message = _refused(cli("oci", "pull", ref, "--out", out, "--plain-http", "--verify", public), out)
    assert "none made with this key" in message


def test_model_import_verify_lands_only_a_signed_model(
    keys: Callable[[str], tuple[Path, Path]],
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    private, public = keys("a")
    push(registry, "sign/import/cert-manager", "signed", "--sign", private, source=MODEL)
    push(registry, "sign/import/cert-manager", "unsigned", source=MODEL / "v1.15.1")  # another digest
    landed = tmp_path / "registry"
    ok = cli(
        "model",
        "import",
        registry.ref("sign/import/cert-manager", "signed"),
        "--into",
        landed,
        "--plain-http",
        "--verify",
        public,
    )
    assert ok.returncode == 0, ok.stderr
    assert tree(landed / "cert-manager") == tree(MODEL)
    refused_into = tmp_path / "refused"
    message = _refused(
        cli(
            "model",
            "import",
            registry.ref("sign/import/cert-manager", "unsigned"),
            "--into",
            refused_into,
            "--plain-http",
            "--verify",
            public,
        ),
        refused_into,
    )
    assert "is not signed" in message
    archive = tmp_path / "cert-manager.tar"
    assert cli("model", "export", "cert-manager", "--out", archive).returncode == 0
    message = _refused(
        cli("model", "import", archive, "--into", refused_into, "--verify", public), refused_into
    )
    assert "local archive" in message
