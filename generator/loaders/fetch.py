"""Fetch a chart, manifest or CRD file by URL: bounded in time and size, with errors a user can act on."""

from __future__ import annotations

import posixpath
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import requests

MAX_DOWNLOAD = 64 * 1024 * 1024
TIMEOUT = 30.0


class FetchError(RuntimeError):
    """The URL could not be fetched; the message says why."""


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch(url: str, folder: Path, *, max_bytes: int = MAX_DOWNLOAD, timeout: float = TIMEOUT) -> Path:
    """Download ``url`` into ``folder`` (its file name kept, for the suffix) and return the path."""
    name = posixpath.basename(urlparse(url).path) or "download.yaml"
    if not name.endswith((".tgz", ".tar.gz", ".yaml", ".yml", ".json")):
        name += ".yaml"
    target = folder / name
    try:
        with requests.get(url, stream=True, timeout=timeout, allow_redirects=True) as response:
            if response.status_code >= 400:
                raise FetchError(f"{url}: the server answered HTTP {response.status_code} {response.reason}")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: {int(declared):,} bytes is more than the limit of {max_bytes:,}")
            size = 0
            with target.open("wb") as out:
                for chunk in response.iter_content(chunk_size=65536):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"{url}: more than the limit of {max_bytes:,} bytes")
                    out.write(chunk)
    except requests.exceptions.Timeout:
        raise FetchError(f"{url}: no answer within {timeout:g} s") from None
    except requests.exceptions.RequestException as exc:
        raise FetchError(f"{url}: cannot fetch ({type(exc).__name__})") from None
    return target


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="meshdocs-fetch-")
