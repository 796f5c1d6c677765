"""The public key a site's OCI signatures verify with (``oci_public_key``): read once, in the load stage.

The file is published as it is, so it is checked first: one PEM ``PUBLIC KEY`` block holding an ECDSA
P-256 key (what ``meshdocs oci verify`` and cosign's signatures use), and nothing else. Anything naming a
private key is refused outright: publishing it would hand out the signing key itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from meshdocs.diagnostics import Report
from meshdocs.loaders.files import DataError, read_text
from meshdocs.oci.keys import MAX_KEY_FILE, SigningKeyError
from meshdocs.oci.keys import load_public_key as load_signing_key

FIELD = "oci_public_key"
_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)
_EXPECTED = "expected one '-----BEGIN PUBLIC KEY-----' block, as 'cosign generate-key-pair' writes it"


def load_public_key(path: Path, report: Report) -> str | None:
    """The key's PEM text to publish, or ``None`` when it is missing or not a public key (reported)."""
    if not path.is_file():
        report.error(path, "public key file not found: pages show no verify command", field=FIELD)
        return None
    try:
        text = read_text(path, max_bytes=MAX_KEY_FILE)
    except DataError as exc:
        report.error(path, f"{exc.message}; {_EXPECTED}", line=exc.line, field=FIELD)
        return None
    problem = pem_problem(text)
    if problem:
        report.error(path, f"{problem}: not published, and pages show no verify command", field=FIELD)
        return None
    return text.strip() + "\n"


def pem_problem(text: str) -> str:
    """Why ``text`` is not a PEM public key and nothing more, or "" when it is one."""
    if "PRIVATE KEY" in text:
        return "holds a private key, which must never be published; name the public key (cosign.pub)"
    blocks = list(_BLOCK.finditer(text))
    if not blocks:
        return f"not a PEM public key: {_EXPECTED}"
    if len(blocks) > 1:
        return f"holds {len(blocks)} PEM blocks: {_EXPECTED}"
    block = blocks[0]
    if block.group(1) != "PUBLIC KEY":
        return f"holds a PEM '{block.group(1)}' block, not a public key: {_EXPECTED}"
    if text.strip() != block.group(0):
        return f"holds text outside the PEM block: {_EXPECTED}"
    try:
        load_signing_key(text.encode("ascii", "replace"), "the key")
    except SigningKeyError as exc:
        return str(exc).removeprefix("the key: ")
    return ""
