"""`meshdocs model generate` and `build --generate`: real CRDs and charts, from paths and from a local
HTTP server (the only network these tests use), into registry folders the site publishes unchanged."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from meshdocs.loaders.fetch import FetchError, fetch

from .conftest import SHARED, build_site, run_cli

CRDS = SHARED / "crds"
S3_CRDS = CRDS / "ack" / "s3-controller" / "config" / "crd"
S3_TGZ = CRDS / "charts-tgz" / "s3-chart-1.10.0.tgz"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the real CRD data; /slow never answers in time; /big streams past any small limit."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, directory=str(CRDS), **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        if self.path == "/slow.yaml":
            time.sleep(3)
            self.send_response(200)
            self.end_headers()
            return
        if self.path == "/big.yaml":
            self.send_response(200)
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"#" * 65536)
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_downloads_a_real_chart_byte_for_byte(server: str, tmp_path: Path) -> None:
    path = fetch(f"{server}/charts-tgz/s3-chart-1.10.0.tgz", tmp_path)
    assert path.name == "s3-chart-1.10.0.tgz" and path.read_bytes() == S3_TGZ.read_bytes()


def test_fetch_404_is_a_clear_error(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/nope.yaml", tmp_path)


def test_fetch_timeout_is_a_clear_error(server: str, tmp_path: Path) -> None:
    start = time.perf_counter()
    with pytest.raises(FetchError, match="no answer within 1 s"):
        fetch(f"{server}/slow.yaml", tmp_path, timeout=1)
    assert time.perf_counter() - start < 3


def test_fetch_oversize_body_is_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="more than the limit of 1,048,576 bytes"):
        fetch(f"{server}/big.yaml", tmp_path, max_bytes=1024 * 1024)


def test_unreachable_url_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="cannot fetch"):
        fetch("http://127.0.0.1:9/x.yaml", tmp_path, timeout=2)


def component_files(root: Path) -> list[Path]:
    return sorted(root.glob("*/*/v1.0.0/components/*.json"))


def test_generate_from_a_url_writes_a_model_the_registry_reads(server: str, tmp_path: Path) -> None:
    out = tmp_path / "registry"
    proc = run_cli(
        "model",
        "generate",
        f"{server}/charts-tgz/s3-chart-1.10.0.tgz",
        "--out",
        out,
        "--category",
        "Provisioning",
        "--sub-category",
        "Automation & Configuration",
    )
    assert proc.returncode == 0, proc.stderr
    [model_json] = list(out.glob("*/*/v1.0.0/model.json"))
    model = json.loads(model_json.read_text())
    assert model["schemaVersion"] == "models.meshery.io/v1beta1" and model["model"]["version"] == "1.10.0"
    assert model["category"] == {"name": "Provisioning"}
    components = component_files(out)
    assert components
    first = json.loads(components[0].read_text())
    assert first["component"]["version"].startswith("s3.services.k8s.aws/")
    assert json.loads(first["component"]["schema"])["properties"]
    proc = run_cli("validate", out)
    assert proc.returncode == 0, proc.stdout


def test_a_404_url_fails_the_command_in_one_line(server: str, tmp_path: Path) -> None:
    proc = run_cli("model", "generate", f"{server}/charts-tgz/missing.tgz", "--out", tmp_path / "r")
    assert proc.returncode == 1
    assert "HTTP 404" in proc.stderr and "Traceback" not in proc.stderr


def test_plain_crds_need_a_version(tmp_path: Path) -> None:
    proc = run_cli("model", "generate", S3_CRDS, "--out", tmp_path / "r")
    assert proc.returncode == 1 and "pass --version" in proc.stderr


def test_generating_again_rewrites_nothing(tmp_path: Path) -> None:
    out = tmp_path / "registry"
    args = ("model", "generate", S3_CRDS, "--out", out, "--model", "aws-s3-controller", "--version", "v1.0.0")
    assert run_cli(*args).returncode == 0
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.json")}
    before = {p: p.read_bytes() for p in stamps}
    again = run_cli(*args)
    assert again.returncode == 0 and "0 file(s) written" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.json")} == stamps
    assert {p: p.read_bytes() for p in stamps} == before


def test_build_generate_publishes_the_generated_model_with_its_crd_fields(tmp_path: Path) -> None:
    built = build_site(tmp_path, extra=("--generate", str(S3_TGZ)))
    assert built.returncode == 0, built.stderr
    registry = json.loads((built.site / "registry.json").read_text())
    generated = [
        m
        for m in registry["models"]
        if any(c["apiVersion"].startswith("s3.services.k8s.aws/") for c in m["components"])
    ]
    assert len(generated) == 1
    bucket = next(c for c in generated[0]["components"] if c["kind"] == "Bucket")
    page = built.page(bucket["url"])
    assert "<b>spec</b>" in page or "<b>name</b>" in page
    assert "spec.<b>" in page.replace('<span class="mdx-parent">spec.</span>', "spec.")
