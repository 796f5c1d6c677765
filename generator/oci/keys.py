"""Signing keys in cosign's own files: ``cosign.key`` (encrypted private key) and ``cosign.pub``.

``cosign generate-key-pair`` writes an ECDSA P-256 key as PKCS #8 DER sealed in a JSON envelope (scrypt
derives a key from the password, NaCl's secretbox encrypts), PEM-armoured as ``ENCRYPTED SIGSTORE PRIVATE
KEY``; the public key is a plain PKIX ``PUBLIC KEY`` PEM. meshdocs writes and reads the same envelope, so
its keys work with ``cosign sign --key`` and cosign's keys with ``meshdocs oci sign``. The envelope is
go-securesystemslib's ``encrypted`` format (https://github.com/secure-systems-lab/go-securesystemslib,
``encrypted/encrypted.go``; sigstore-rs ``src/crypto/signing_key/kdf.rs`` reads it too). Every primitive
comes from a library: scrypt, ECDSA and the key encodings from ``cryptography``, secretbox from PyNaCl
(libsodium); this module only moves bytes between them.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from typing import Any

import nacl.exceptions
import nacl.secret
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

PRIVATE_KEY_FILE = "cosign.key"
PUBLIC_KEY_FILE = "cosign.pub"
SIGSTORE_PEM = "ENCRYPTED SIGSTORE PRIVATE KEY"  # cosign 2 and later
COSIGN_PEM = "ENCRYPTED COSIGN PRIVATE KEY"  # cosign 1, same envelope
SCRYPT_N, SCRYPT_R, SCRYPT_P = 32768, 8, 1  # what cosign writes
MAX_SCRYPT_N = 1 << 20  # a key file asking for more is refused: it would take gigabytes to open
SALT_BYTES = 32
MAX_KEY_FILE = 64 * 1024
_PEM = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.S)


class SigningKeyError(ValueError):
    """A key that cannot be used, said in one sentence."""


def generate_key_pair(password: bytes) -> tuple[bytes, bytes]:
    """A new ECDSA P-256 key pair: (``cosign.key`` bytes, ``cosign.pub`` bytes)."""
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(nacl.secret.SecretBox.NONCE_SIZE)
    box = nacl.secret.SecretBox(_derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P))
    envelope = {
        "kdf": {
            "name": "scrypt",
            "params": {"N": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
            "salt": _b64(salt),
        },
        "cipher": {"name": "nacl/secretbox", "nonce": _b64(nonce)},
        "ciphertext": _b64(box.encrypt(der, nonce).ciphertext),
    }
    private = _armour(SIGSTORE_PEM, json.dumps(envelope, separators=(",", ":")).encode("ascii"))
    return private, public_pem(key.public_key())


def public_pem(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(data: bytes, password: bytes, source: str = "the key") -> ec.EllipticCurvePrivateKey:
    """The P-256 key in a cosign key file (either label), or in a plain or encrypted PKCS #8 / SEC 1 PEM."""
    label, body = _pem_block(data, source)
    if label == "PUBLIC KEY":
        raise SigningKeyError(f"{source} is a public key: sign with the private key (cosign.key)")
    if label in (SIGSTORE_PEM, COSIGN_PEM):
        der = _open_envelope(body, password, source)
        try:
            key: Any = serialization.load_der_private_key(der, None)
        except (ValueError, UnsupportedAlgorithm):
            raise SigningKeyError(f"{source}: the decrypted key is not a PKCS #8 private key") from None
    else:
        try:
            key = serialization.load_pem_private_key(data, password or None)
        except TypeError:
            raise SigningKeyError(
                f"{source}: the key is encrypted: set MESHDOCS_SIGNING_PASSWORD"
                if not password
                else f"{source}: the key is not encrypted, but a password was given"
            ) from None
        except (ValueError, UnsupportedAlgorithm):
            raise SigningKeyError(
                f"{source}: cannot read the private key (wrong password, or not a PEM private key)"
            ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise SigningKeyError(f"{source}: not an ECDSA P-256 key (the key type cosign's signatures use)")
    return key


def load_public_key(data: bytes, source: str = "the key") -> ec.EllipticCurvePublicKey:
    """The P-256 public key of a ``cosign.pub`` (PKIX ``PUBLIC KEY`` PEM)."""
    label, _ = _pem_block(data, source)
    if label != "PUBLIC KEY":
        raise SigningKeyError(f"{source}: expected a PEM public key (BEGIN PUBLIC KEY), found {label}")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise SigningKeyError(f"{source}: the public key cannot be read") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise SigningKeyError(f"{source}: not an ECDSA P-256 public key")
    return key


def _pem_block(data: bytes, source: str) -> tuple[str, bytes]:
    if len(data) > MAX_KEY_FILE:
        raise SigningKeyError(f"{source}: {len(data):,} bytes is too large for a key file")
    match = _PEM.search(data)
    if match is None:
        raise SigningKeyError(f"{source}: no PEM block (-----BEGIN ...-----) in the file")
    return match.group(1).decode("ascii"), match.group(2)


def _open_envelope(body: bytes, password: bytes, source: str) -> bytes:
    try:
        envelope = json.loads(base64.b64decode(b"".join(body.split()), validate=True))
        kdf, cipher = envelope["kdf"], envelope["cipher"]
        params = kdf["params"]
        n, r, p = int(params["N"]), int(params["r"]), int(params["p"])
        salt, nonce = _unb64(kdf["salt"]), _unb64(cipher["nonce"])
        ciphertext = _unb64(envelope["ciphertext"])
        names = (kdf["name"], cipher["name"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise SigningKeyError(
            f"{source}: the encrypted key is damaged (not cosign's JSON envelope)"
        ) from None
    if names != ("scrypt", "nacl/secretbox"):
        raise SigningKeyError(f"{source}: unsupported key encryption {names[0]}/{names[1]}")
    if not (1 < n <= MAX_SCRYPT_N and n & (n - 1) == 0 and 0 < r <= 32 and 0 < p <= 16):
        raise SigningKeyError(f"{source}: refusing scrypt parameters N={n}, r={r}, p={p}")
    if len(nonce) != nacl.secret.SecretBox.NONCE_SIZE:
        raise SigningKeyError(f"{source}: the encrypted key is damaged (nonce of {len(nonce)} bytes)")
    try:
        return bytes(nacl.secret.SecretBox(_derive(password, salt, n, r, p)).decrypt(ciphertext, nonce))
    except nacl.exceptions.CryptoError:
        raise SigningKeyError(f"{source}: wrong password (or the key file was altered)") from None


def _derive(password: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=nacl.secret.SecretBox.KEY_SIZE, n=n, r=r, p=p).derive(password)


def _armour(label: str, data: bytes) -> bytes:
    text = base64.b64encode(data).decode("ascii")
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return ("\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + "\n").encode("ascii")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise TypeError("expected base64 text")
    return base64.b64decode(text, validate=True)
