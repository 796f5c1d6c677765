"""``meshdocs oci push|pull|inspect`` and ``meshdocs model export|import`` against a real registry.

Every test talks to Debian's docker-registry (distribution 2.8) started by ``tests/oci_registry.py`` on
127.0.0.1, through the real CLI in a subprocess. What the CLI pushed is read back over plain HTTP with
``requests``, never through the code under test.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import tarfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import EMBEDDED_REGISTRY, REGISTRY_2024, REGISTRY_2026, REPO
from .oci_registry import (
    OCI_MANIFEST,
    PASSWORD,
    TITLE,
    USERNAME,
    Registry,
    auth_registry,  # noqa: F401  (fixture)
    closed_port,
    files_outside,
    registry,  # noqa: F401  (fixture)
    run_cli_input,
    sha256_digest,
    tree,
)

DESIGNS = REPO / "catalog" / "designs"
DESIGN_TYPE = "application/vnd.meshery.design.v1"
MODEL_TYPE = "application/vnd.meshery.model.v1"
DESIGN_CONFIG = "application/vnd.meshery.design.config.v1+json"
MODEL_CONFIG = "application/vnd.meshery.model.config.v1+json"
ANN = "org.opencontainers.image."
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
# A PNG signature, then every byte value: binary content must survive the trip untouched.
SCREENSHOT = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64 + b"\r\n\x00\xff"


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # "design" | "model"
    repo: str
    tag: str


CASES = [
    Case("web-front-end-hpa", "design", "catalog/web-front-end-hpa", "1.0.0"),
    Case("microservice-shop", "design", "catalog/microservice-shop", "2.0.0"),
    Case("design-with-screenshot", "design", "catalog/design-with-screenshot", "2.0.0"),
    Case("cert-manager", "model", "models/cert-manager", "latest"),
    Case("cert-manager-v1.15.1", "model", "models/cert-manager", "v1.15.1"),
    Case("akri-2024", "model", "models/akri", "0.12.55"),
    Case("grafana-operator-yaml", "model", "models/grafana-operator", "v5.10.0"),
    Case("gcp-2026", "model", "models/gcp", "0.7.2"),
]
BY_ID = {case.id: case for case in CASES}
DESIGN_IDS = [c.id for c in CASES if c.kind == "design"]
ALL_IDS = [c.id for c in CASES]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Case id -> the folder pushed. All real data; one design gets a binary screenshot in a copy."""
    shot = tmp_path_factory.mktemp("designs") / "design-with-screenshot"
    shutil.copytree(DESIGNS / "microservice-shop", shot)
    (shot / "screenshot-cart.png").write_bytes(SCREENSHOT)
    return {
        "web-front-end-hpa": DESIGNS / "web-front-end-hpa",
        "microservice-shop": DESIGNS / "microservice-shop",
        "design-with-screenshot": shot,
        "cert-manager": EMBEDDED_REGISTRY / "cert-manager",
        "cert-manager-v1.15.1": EMBEDDED_REGISTRY / "cert-manager" / "v1.15.1",
        "akri-2024": REGISTRY_2024 / "akri",
        "grafana-operator-yaml": EMBEDDED_REGISTRY / "grafana-operator",
        "gcp-2026": REGISTRY_2026 / "gcp",
    }


def cli(*args: str | Path, input: str | None = None, **kw: Any) -> subprocess.CompletedProcess[str]:
    return run_cli_input(*args, input=input, **kw)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The contract for every failure: exit 1, exactly one line on stderr, no traceback."""
    assert proc.returncode == 1, f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{proc.stderr}"
    return lines[0]


@pytest.fixture(scope="module")
def push(registry: Registry, sources: dict[str, Path]) -> Callable[[str], str]:  # noqa: F811
    """Push a case once per module (plain HTTP) and hand back the digest the CLI printed."""
    done: dict[str, str] = {}

    def _push(case_id: str) -> str:
        if case_id not in done:
            case = BY_ID[case_id]
            proc = cli("oci", "push", sources[case_id], registry.ref(case.repo, case.tag), "--plain-http")
            assert proc.returncode == 0, f"push {case_id} failed: {proc.stderr}"
            done[case_id] = proc.stdout.strip()
        return done[case_id]

    return _push


def catalog_meta(folder: Path) -> dict:
    return yaml.safe_load((folder / "catalog.yml").read_text(encoding="utf-8"))


def model_jsons(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.rglob("model.json"))]


# -- push / pull round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", ALL_IDS)
def test_push_prints_the_manifest_digest_and_is_reproducible(
    registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    case_id: str,
) -> None:
    case = BY_ID[case_id]
    ref = registry.ref(case.repo, case.tag)
    first = cli("oci", "push", sources[case_id], ref, "--plain-http")
    assert first.returncode == 0, first.stderr
    digest = first.stdout.strip()
    assert DIGEST.match(digest), f"stdout should be the manifest digest only, got {first.stdout!r}"

    _, raw, reported = registry.manifest(case.repo, case.tag)
    assert sha256_digest(raw) == digest, "printed digest != the manifest's digest in the registry"
    assert reported == digest

    second = cli("oci", "push", sources[case_id], ref, "--plain-http")
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == digest, "pushing the same folder twice must give the same manifest"


@pytest.mark.parametrize("case_id", ALL_IDS)
def test_pull_restores_the_folder_byte_for_byte(
    registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    push: Callable[[str], str],
    tmp_path: Path,
    case_id: str,
) -> None:
    case = BY_ID[case_id]
    push(case_id)
    out = tmp_path / "out"
    out.mkdir()
    proc = cli("oci", "pull", registry.ref(case.repo, case.tag), "--out", out, "--plain-http")
    assert proc.returncode == 0, proc.stderr
    source, pulled = tree(sources[case_id]), tree(out)
    assert sorted(pulled) == sorted(source), "pulled paths differ from the source folder"
    for rel, data in source.items():
        assert pulled[rel] == data, f"{rel} differs after the round trip"


# -- what is in the registry ---------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", ALL_IDS)
def test_manifest_media_types_and_layer_titles(
    registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    push: Callable[[str], str],
    case_id: str,
) -> None:
    case = BY_ID[case_id]
    push(case_id)
    manifest, _, _ = registry.manifest(case.repo, case.tag)
    assert manifest["schemaVersion"] == 2
    assert manifest["mediaType"] == OCI_MANIFEST
    if case.kind == "design":
        assert manifest["artifactType"] == DESIGN_TYPE
        assert manifest["config"]["mediaType"] == DESIGN_CONFIG
    else:
        assert manifest["artifactType"] == MODEL_TYPE
        assert manifest["config"]["mediaType"] == MODEL_CONFIG
    titles = [layer.get("annotations", {}).get(TITLE) for layer in manifest["layers"]]
    assert None not in titles, "every layer needs an org.opencontainers.image.title"
    assert len(titles) == len(set(titles)), "one layer per file"
    assert sorted(titles) == sorted(tree(sources[case_id])), "layer titles are the paths relative to PATH"


@pytest.mark.parametrize("case_id", ["web-front-end-hpa", "design-with-screenshot", "cert-manager-v1.15.1"])
def test_layers_are_the_files_themselves(
    registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    push: Callable[[str], str],
    case_id: str,
) -> None:
    """Each layer blob is the file's bytes, so ``oras pull`` and friends restore the same folder."""
    case = BY_ID[case_id]
    push(case_id)
    manifest, _, _ = registry.manifest(case.repo, case.tag)
    files = tree(sources[case_id])
    for layer in manifest["layers"]:
        title = layer["annotations"][TITLE]
        blob = registry.blob(case.repo, layer["digest"])
        assert layer["size"] == len(blob)
        assert blob == files[title], f"layer {title} is not the file's bytes"
    config = registry.blob(case.repo, manifest["config"]["digest"])
    assert isinstance(json.loads(config), dict), "the config blob is a JSON object"


@pytest.mark.parametrize("case_id", DESIGN_IDS)
def test_design_annotations_come_from_catalog_yml(
    registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    push: Callable[[str], str],
    case_id: str,
) -> None:
    case = BY_ID[case_id]
    push(case_id)
    meta = catalog_meta(sources[case_id])
    ann = registry.manifest(case.repo, case.tag)[0].get("annotations", {})
    assert ann.get(ANN + "title") == meta["name"]
    assert ann.get(ANN + "version") == meta["version"]
    assert ann.get(ANN + "description") == meta["description"]
    assert ann.get(ANN + "licenses") == meta["license"]
    assert ann.get(ANN + "created") == meta["createdAt"]


def test_single_version_model_annotations_come_from_model_json(
    registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    push: Callable[[str], str],
) -> None:
    case = BY_ID["cert-manager-v1.15.1"]
    push(case.id)
    [model] = model_jsons(sources[case.id])
    ann = registry.manifest(case.repo, case.tag)[0].get("annotations", {})
    assert ann.get(ANN + "title") == model["displayName"] == "cert-manager"
    assert ann.get(ANN + "version") == model["model"]["version"] == "v1.15.1"
    assert ann.get(ANN + "description") == model["description"]
    assert ann.get(ANN + "source") == model["metadata"]["source_uri"]


def test_yaml_model_annotations_come_from_model_yaml(
    registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    push: Callable[[str], str],
) -> None:
    case = BY_ID["grafana-operator-yaml"]
    push(case.id)
    [model_file] = sources[case.id].rglob("model.yaml")
    model = yaml.safe_load(model_file.read_text(encoding="utf-8"))
    ann = registry.manifest(case.repo, case.tag)[0].get("annotations", {})
    assert ann.get(ANN + "title") == model["displayName"] == "Grafana Operator"
    assert ann.get(ANN + "version") == model["model"]["version"] == "v5.10.0"
    assert ann.get(ANN + "description") == model["description"]
    assert ann.get(ANN + "source") == model["metadata"]["source_uri"]


@pytest.mark.parametrize(
    ("case_id", "title", "version"),
    [("akri-2024", "Akri", "0.12.55"), ("gcp-2026", "Google Cloud Platform", "0.7.2")],
)
def test_model_without_source_has_no_source_annotation(
    registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    push: Callable[[str], str],
    case_id: str,
    title: str,
    version: str,
) -> None:
    case = BY_ID[case_id]
    push(case.id)
    [model] = model_jsons(sources[case.id])
    assert "source_uri" not in model.get("metadata", {})
    ann = registry.manifest(case.repo, case.tag)[0].get("annotations", {})
    assert ann.get(ANN + "title") == model["displayName"] == title
    assert ann.get(ANN + "version") == model["model"]["version"] == version
    assert ANN + "source" not in ann, "an empty source must be left out, not pushed as an empty string"
    assert all(value != "" for value in ann.values()), f"empty annotations: {ann}"


def test_multi_version_model_annotations(
    registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    push: Callable[[str], str],
) -> None:
    """A whole model folder (two versions): title and description from model.json, one of its versions."""
    case = BY_ID["cert-manager"]
    push(case.id)
    models = model_jsons(sources[case.id])
    assert len(models) == 2
    ann = registry.manifest(case.repo, case.tag)[0].get("annotations", {})
    assert ann.get(ANN + "title") == "cert-manager"
    assert ann.get(ANN + "description") == models[0]["description"]
    assert ann.get(ANN + "version") in {m["model"]["version"] for m in models}
    if ANN + "source" in ann:
        assert ann[ANN + "source"] in {m["metadata"]["source_uri"] for m in models}


@pytest.mark.parametrize("case_id", ["microservice-shop", "cert-manager-v1.15.1", "akri-2024"])
def test_inspect_prints_the_manifest_as_json(
    registry: Registry,  # noqa: F811
    push: Callable[[str], str],
    case_id: str,
) -> None:
    case = BY_ID[case_id]
    push(case_id)
    proc = cli("oci", "inspect", registry.ref(case.repo, case.tag), "--plain-http")
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    manifest, _, _ = registry.manifest(case.repo, case.tag)
    assert shown["artifactType"] == manifest["artifactType"]
    assert shown["mediaType"] == manifest["mediaType"] == OCI_MANIFEST
    assert shown["annotations"] == manifest.get("annotations", {})
    assert isinstance(shown["config"], dict)
    if "mediaType" in shown["config"]:
        assert shown["config"]["mediaType"] == manifest["config"]["mediaType"]
    expected = [
        {
            "mediaType": layer["mediaType"],
            "digest": layer["digest"],
            "size": layer["size"],
            "title": layer["annotations"][TITLE],
        }
        for layer in manifest["layers"]
    ]
    assert [
        {k: layer.get(k) for k in ("mediaType", "digest", "size", "title")} for layer in shown["layers"]
    ] == (expected)


# -- authentication ------------------------------------------------------------------------------------


AUTH_RE = re.compile(r"authenticat|unauthori[sz]ed", re.IGNORECASE)


def test_auth_push_and_pull_with_password_on_stdin(
    auth_registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    tmp_path: Path,
) -> None:
    src = sources["microservice-shop"]
    ref = auth_registry.ref("catalog/microservice-shop", "2.0.0")
    login = ("--username", USERNAME, "--password-stdin")
    pushed = cli("oci", "push", src, ref, "--plain-http", *login, input=PASSWORD + "\n")
    assert pushed.returncode == 0, pushed.stderr
    assert DIGEST.match(pushed.stdout.strip()), pushed.stdout
    assert PASSWORD not in pushed.stdout + pushed.stderr

    _, raw, _ = auth_registry.manifest("catalog/microservice-shop", "2.0.0")
    assert sha256_digest(raw) == pushed.stdout.strip()

    out = tmp_path / "out"
    out.mkdir()
    pulled = cli("oci", "pull", ref, "--out", out, "--plain-http", *login, input=PASSWORD + "\n")
    assert pulled.returncode == 0, pulled.stderr
    assert tree(out) == tree(src)

    shown = cli("oci", "inspect", ref, "--plain-http", *login, input=PASSWORD)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["artifactType"] == DESIGN_TYPE


@pytest.mark.parametrize("verb", ["push", "pull"])
def test_auth_wrong_password_is_one_clear_line(
    auth_registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    tmp_path: Path,
    verb: str,
) -> None:
    ref = auth_registry.ref("catalog/web-front-end-hpa", "1.0.0")
    login = ("--username", USERNAME, "--password-stdin")
    if verb == "push":
        args: tuple = ("oci", "push", sources["web-front-end-hpa"], ref)
    else:
        args = ("oci", "pull", ref, "--out", tmp_path / "out")
    proc = cli(*args, "--plain-http", *login, input="not-" + PASSWORD + "\n")
    message = one_line_error(proc)
    assert AUTH_RE.search(message), message
    assert "not-" + PASSWORD not in proc.stdout + proc.stderr, "the password must never be echoed"
    if verb == "pull":
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("verb", ["push", "pull", "inspect"])
def test_auth_without_credentials_is_one_clear_line(
    auth_registry: Registry,  # noqa: F811
    sources: dict[str, Path],
    tmp_path: Path,
    verb: str,
) -> None:
    ref = auth_registry.ref("catalog/web-front-end-hpa", "1.0.0")
    if verb == "push":
        args: tuple = ("oci", "push", sources["web-front-end-hpa"], ref)
    elif verb == "pull":
        args = ("oci", "pull", ref, "--out", tmp_path / "out")
    else:
        args = ("oci", "inspect", ref)
    # An empty home: no docker/oras credential store can lend a login.
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "DOCKER_CONFIG": str(home / ".docker")}
    message = one_line_error(cli(*args, "--plain-http", env=env))
    assert AUTH_RE.search(message) or re.search(r"credential|username|password", message, re.I), message


# -- errors --------------------------------------------------------------------------------------------


UNREACHABLE_RE = re.compile(r"cannot reach|unreachable", re.IGNORECASE)


@pytest.mark.parametrize("verb", ["push", "pull", "inspect", "model-import"])
def test_unreachable_registry_fails_fast(sources: dict[str, Path], tmp_path: Path, verb: str) -> None:
    ref = f"127.0.0.1:{closed_port()}/catalog/web-front-end-hpa:1.0.0"
    args: tuple
    if verb == "push":
        args = ("oci", "push", sources["web-front-end-hpa"], ref)
    elif verb == "pull":
        args = ("oci", "pull", ref, "--out", tmp_path / "out")
    elif verb == "inspect":
        args = ("oci", "inspect", ref)
    else:
        args = ("model", "import", ref, "--into", tmp_path / "into")
    started = time.monotonic()
    proc = cli(*args, "--plain-http", timeout=60)
    elapsed = time.monotonic() - started
    message = one_line_error(proc)
    assert UNREACHABLE_RE.search(message), message
    assert elapsed < 15, f"took {elapsed:.1f} s to give up on a closed port"


@pytest.mark.parametrize("verb", ["pull", "inspect", "model-import"])
def test_missing_tag_is_not_found(
    registry: Registry,  # noqa: F811
    push: Callable[[str], str],
    tmp_path: Path,
    verb: str,
) -> None:
    push("web-front-end-hpa")
    push("cert-manager")
    repo = "models/cert-manager" if verb == "model-import" else "catalog/web-front-end-hpa"
    ref = registry.ref(repo, "no-such-tag-9.9.9")
    if verb == "pull":
        args: tuple = ("oci", "pull", ref, "--out", tmp_path / "out")
    elif verb == "inspect":
        args = ("oci", "inspect", ref)
    else:
        args = ("model", "import", ref, "--into", tmp_path / "into")
    message = one_line_error(cli(*args, "--plain-http"))
    assert "no-such-tag-9.9.9" in message or "not found" in message.lower(), message


def test_missing_repository_is_not_found(registry: Registry, tmp_path: Path) -> None:  # noqa: F811
    ref = registry.ref("catalog/never-pushed", "1.0.0")
    message = one_line_error(cli("oci", "pull", ref, "--out", tmp_path / "out", "--plain-http"))
    assert "not found" in message.lower() or "never-pushed" in message, message


def test_model_import_of_a_design_names_the_artifact_type(
    registry: Registry,  # noqa: F811
    push: Callable[[str], str],
    tmp_path: Path,
) -> None:
    push("web-front-end-hpa")
    into = tmp_path / "into"
    into.mkdir()
    ref = registry.ref("catalog/web-front-end-hpa", "1.0.0")
    message = one_line_error(cli("model", "import", ref, "--into", into, "--plain-http"))
    assert re.search(r"artifact.?type", message, re.I) or DESIGN_TYPE in message, message
    assert not any(into.iterdir()), "nothing may land when the artifact type is wrong"


def _not_a_design_nor_model(tmp: Path) -> dict[str, Path]:
    empty = tmp / "empty"
    empty.mkdir()
    loose = tmp / "loose-files"
    loose.mkdir()
    (loose / "notes.txt").write_text("just some notes\n")
    (loose / "data.json").write_text('{"hello": "world"}\n')
    catalog_only = tmp / "catalog-only"
    catalog_only.mkdir()
    shutil.copy(DESIGNS / "web-front-end-hpa" / "catalog.yml", catalog_only / "catalog.yml")
    a_file = tmp / "design.yml"
    shutil.copy(DESIGNS / "web-front-end-hpa" / "design.yml", a_file)
    return {
        "empty-dir": empty,
        "loose-files": loose,
        "catalog-yml-without-design": catalog_only,
        "a-file": a_file,
        "missing": tmp / "does-not-exist",
        "models-root": EMBEDDED_REGISTRY,
        "schema-version-folder": EMBEDDED_REGISTRY / "cert-manager" / "v1.15.1" / "v1.0.0",
        "components-folder": EMBEDDED_REGISTRY / "cert-manager" / "v1.15.1" / "v1.0.0" / "components",
        "designs-root": DESIGNS,
    }


@pytest.mark.parametrize(
    "kind",
    [
        "empty-dir",
        "loose-files",
        "catalog-yml-without-design",
        "a-file",
        "missing",
        "models-root",
        "schema-version-folder",
        "components-folder",
        "designs-root",
    ],
)
def test_push_of_a_path_that_is_neither_design_nor_model_fails(
    registry: Registry,  # noqa: F811
    tmp_path: Path,
    kind: str,
) -> None:
    path = _not_a_design_nor_model(tmp_path)[kind]
    ref = registry.ref(f"junk/{kind}", "1.0.0")
    one_line_error(cli("oci", "push", path, ref, "--plain-http"))
    assert registry.manifest_response(f"junk/{kind}", "1.0.0").status_code == 404, "nothing may be pushed"


def test_bad_reference_is_one_line(sources: dict[str, Path]) -> None:
    one_line_error(cli("oci", "push", sources["web-front-end-hpa"], "not a reference", "--plain-http"))


# -- hostile artifacts in the registry -----------------------------------------------------------------


def _hostile_titles() -> dict[str, str]:
    return {
        "parent": "../evil.txt",
        "deep-parent": "screens/../../evil.txt",
        "absolute": f"/tmp/meshdocs-evil-{uuid.uuid4().hex}.txt",
    }


@pytest.mark.parametrize("kind", ["parent", "deep-parent", "absolute"])
def test_pull_refuses_titles_that_climb_out(
    registry: Registry,  # noqa: F811
    tmp_path: Path,
    kind: str,
) -> None:
    title = _hostile_titles()[kind]
    base = DESIGNS / "web-front-end-hpa"
    files = [(name, (base / name).read_bytes()) for name in ("catalog.yml", "design.yml")]
    files.append((title, b"pwned\n"))
    repo = f"hostile/design-{kind}"
    registry.push_raw(repo, "1.0.0", files, artifact_type=DESIGN_TYPE, config_media_type=DESIGN_CONFIG)
    out = tmp_path / "a" / "b" / "out"
    out.mkdir(parents=True)
    message = one_line_error(cli("oci", "pull", registry.ref(repo, "1.0.0"), "--out", out, "--plain-http"))
    assert title in message or "evil.txt" in message, f"the message should name the layer: {message}"
    assert files_outside(tmp_path, out) == []
    if title.startswith("/"):
        assert not Path(title).exists()


@pytest.mark.parametrize("kind", ["parent", "absolute"])
def test_model_import_refuses_registry_titles_that_climb_out(
    registry: Registry,  # noqa: F811
    tmp_path: Path,
    kind: str,
) -> None:
    title = _hostile_titles()[kind]
    src = EMBEDDED_REGISTRY / "cert-manager"
    files = [*sorted(tree(src).items()), (title, b"pwned\n")]
    repo = f"hostile/model-{kind}"
    registry.push_raw(repo, "1.0.0", files, artifact_type=MODEL_TYPE, config_media_type=MODEL_CONFIG)
    into = tmp_path / "a" / "b" / "into"
    into.mkdir(parents=True)
    message = one_line_error(
        cli("model", "import", registry.ref(repo, "1.0.0"), "--into", into, "--plain-http")
    )
    assert title in message or "evil.txt" in message, f"the message should name the layer: {message}"
    assert files_outside(tmp_path, into) == []
    if title.startswith("/"):
        assert not Path(title).exists()


# -- model export / import -----------------------------------------------------------------------------


MODELS = {
    "cert-manager": (EMBEDDED_REGISTRY, "cert-manager"),
    "grafana-operator-yaml": (EMBEDDED_REGISTRY, "grafana-operator"),
    "akri-2024": (REGISTRY_2024, "akri"),
    "gcp-2026": (REGISTRY_2026, "gcp"),
}


def _export(tmp: Path, model_id: str, fmt: str) -> Path:
    root, name = MODELS[model_id]
    out = tmp / f"{name}.{fmt}.tar"
    args: list = ["model", "export", name, "--format", fmt, "--out", out]
    if root != EMBEDDED_REGISTRY:
        args += ["--registry", root]
    proc = cli(*args)
    assert proc.returncode == 0, proc.stderr
    assert out.is_file() and tarfile.is_tarfile(out), f"{out} is not a tar"
    return out


def _assert_landed(into: Path, model_id: str) -> None:
    root, name = MODELS[model_id]
    assert sorted(p.name for p in into.iterdir()) == [name], "import lands <model>/<version>/... into DIR"
    assert tree(into / name) == tree(root / name)


@pytest.mark.parametrize("fmt", ["tar", "oci"])
@pytest.mark.parametrize("model_id", list(MODELS))
def test_model_export_then_import_restores_the_model_folder(tmp_path: Path, model_id: str, fmt: str) -> None:
    archive = _export(tmp_path, model_id, fmt)
    into = tmp_path / "into"
    into.mkdir()
    proc = cli("model", "import", archive, "--into", into)
    assert proc.returncode == 0, proc.stderr
    _assert_landed(into, model_id)


def test_model_export_default_registry_is_the_embedded_one(tmp_path: Path) -> None:
    out = tmp_path / "cm.tar"
    proc = cli("model", "export", "cert-manager", "--format", "tar", "--out", out)
    assert proc.returncode == 0, proc.stderr
    with tarfile.open(out) as tar:
        names = {m.name.removeprefix("./") for m in tar.getmembers() if m.isfile()}
    expected = {f"cert-manager/{rel}" for rel in tree(EMBEDDED_REGISTRY / "cert-manager")}
    assert names == expected


def test_model_export_oci_is_an_image_layout(tmp_path: Path) -> None:
    archive = _export(tmp_path, "cert-manager", "oci")
    with tarfile.open(archive) as tar:
        members = {m.name.removeprefix("./"): m for m in tar.getmembers()}

        def read(name: str) -> bytes:
            handle = tar.extractfile(members[name])
            assert handle is not None
            return handle.read()

        assert json.loads(read("oci-layout")) == {"imageLayoutVersion": "1.0.0"}
        index = json.loads(read("index.json"))
        [desc] = index["manifests"]
        blob = f"blobs/{desc['digest'].replace(':', '/')}"
        raw = read(blob)
        assert sha256_digest(raw) == desc["digest"]
        manifest = json.loads(raw)
    assert manifest["mediaType"] == OCI_MANIFEST
    assert manifest["artifactType"] == MODEL_TYPE
    assert manifest["config"]["mediaType"] == MODEL_CONFIG


def test_model_export_of_an_unknown_model_fails(tmp_path: Path) -> None:
    one_line_error(cli("model", "export", "no-such-model", "--format", "tar", "--out", tmp_path / "x.tar"))
    assert not (tmp_path / "x.tar").exists()


@pytest.mark.parametrize("case_id", ["cert-manager", "akri-2024", "grafana-operator-yaml", "gcp-2026"])
def test_model_import_from_the_registry(
    registry: Registry,  # noqa: F811
    push: Callable[[str], str],
    tmp_path: Path,
    case_id: str,
) -> None:
    case = BY_ID[case_id]
    push(case_id)
    into = tmp_path / "into"
    into.mkdir()
    proc = cli("model", "import", registry.ref(case.repo, case.tag), "--into", into, "--plain-http")
    assert proc.returncode == 0, proc.stderr
    _assert_landed(into, case_id)


def test_model_import_of_one_version_lands_model_and_version(
    registry: Registry,  # noqa: F811
    push: Callable[[str], str],
    tmp_path: Path,
) -> None:
    """A push of ``<model>/<version>`` imports as ``DIR/<model>/<version>/...``, nothing else."""
    case = BY_ID["cert-manager-v1.15.1"]
    push(case.id)
    into = tmp_path / "into"
    into.mkdir()
    proc = cli("model", "import", registry.ref(case.repo, case.tag), "--into", into, "--plain-http")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in into.iterdir()) == ["cert-manager"]
    assert sorted(p.name for p in (into / "cert-manager").iterdir()) == ["v1.15.1"]
    assert tree(into / "cert-manager" / "v1.15.1") == tree(EMBEDDED_REGISTRY / "cert-manager" / "v1.15.1")


def test_model_import_ignores_hostile_annotations(registry: Registry, tmp_path: Path) -> None:  # noqa: F811
    """Annotations are the pusher's words: none of them may steer files outside --into."""
    evil = "../../evil"
    src = EMBEDDED_REGISTRY / "cert-manager" / "v1.15.1"
    annotations = {
        ANN + "title": evil,
        ANN + "version": evil,
        "io.meshery.model.name": evil,
        "io.meshery.model.path": evil,
        "io.meshery.model.version": evil,
    }
    repo = "hostile/model-annotations"
    registry.push_raw(
        repo,
        "1.0.0",
        sorted(tree(src).items()),
        artifact_type=MODEL_TYPE,
        config_media_type=MODEL_CONFIG,
        config=json.dumps({"name": evil, "version": evil, "path": evil}).encode(),
        annotations=annotations,
    )
    into = tmp_path / "a" / "b" / "into"
    into.mkdir(parents=True)
    proc = cli("model", "import", registry.ref(repo, "1.0.0"), "--into", into, "--plain-http")
    if proc.returncode != 0:
        one_line_error(proc)
    assert files_outside(tmp_path, into) == [], "an annotation steered files outside --into"


def test_model_import_of_a_tar_without_a_model_fails(tmp_path: Path) -> None:
    """A tar of a design folder (no model.json anywhere) is not a model: refused, nothing lands."""
    archive = tmp_path / "design.tar"
    with tarfile.open(archive, "w") as tar:
        for rel, data in tree(DESIGNS / "web-front-end-hpa").items():
            info = tarfile.TarInfo(f"web-front-end-hpa/{rel}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    into = tmp_path / "into"
    into.mkdir()
    one_line_error(cli("model", "import", archive, "--into", into))
    assert not any(into.iterdir())


def test_model_import_of_a_missing_file_or_bad_ref_fails(tmp_path: Path) -> None:
    """Both name the file: a missing FILE is not a registry to reach, a non-tar is not a model."""
    into = tmp_path / "into"
    message = one_line_error(cli("model", "import", tmp_path / "nope.tar", "--into", into))
    assert "nope.tar" in message, message
    not_tar = tmp_path / "not.tar"
    not_tar.write_bytes(b"this is not a tar archive\n" * 40)
    message = one_line_error(cli("model", "import", not_tar, "--into", into))
    assert "not.tar" in message, message
    assert not into.exists() or not any(into.iterdir())


def _hostile_tar(path: Path, kind: str, absolute: str) -> str:
    """A real cert-manager tar plus one hostile member; returns that member's name."""
    src = EMBEDDED_REGISTRY / "cert-manager"
    with tarfile.open(path, "w") as tar:
        for rel, data in tree(src).items():
            info = tarfile.TarInfo(f"cert-manager/{rel}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        payload = b"pwned\n"
        if kind == "parent":
            name = "../../evil.txt"
        elif kind == "nested-parent":
            name = "cert-manager/v1.15.1/../../../evil.txt"
        elif kind == "absolute":
            name = absolute
        else:
            name = "cert-manager/v1.15.1/v1.0.0/components/evil-link"
        info = tarfile.TarInfo(name)
        if kind == "symlink":
            info.type = tarfile.SYMTYPE
            info.linkname = "../../../../../evil.txt"
            tar.addfile(info)
        elif kind == "hardlink":
            info.type = tarfile.LNKTYPE
            info.linkname = "cert-manager/v1.15.1/v1.0.0/model.json"
            tar.addfile(info)
        else:
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return name


@pytest.mark.parametrize("kind", ["parent", "nested-parent", "absolute", "symlink", "hardlink"])
def test_model_import_refuses_hostile_tar_members(tmp_path: Path, kind: str) -> None:
    absolute = f"/tmp/meshdocs-evil-{uuid.uuid4().hex}.txt"
    archive = tmp_path / "hostile.tar"
    member = _hostile_tar(archive, kind, absolute)
    into = tmp_path / "a" / "b" / "into"
    into.mkdir(parents=True)
    message = one_line_error(cli("model", "import", archive, "--into", into))
    assert member in message or member.lstrip("/") in message, (
        f"the message should name the member: {message}"
    )
    assert files_outside(tmp_path, into, archive) == [], "something was written outside --into"
    assert not Path(absolute).exists()
    assert not any(p.is_symlink() for p in into.rglob("*")), "a link landed in --into"


def _layout_tar(
    path: Path, artifact_type: str, config_media_type: str, files: list[tuple[str, bytes]]
) -> None:
    """A hand-made OCI image layout in a tar: one manifest, one layer per ``(title, bytes)``."""
    blobs: dict[str, bytes] = {}

    def add(data: bytes) -> dict:
        blobs[sha256_digest(data)] = data
        return {"digest": sha256_digest(data), "size": len(data)}

    config = {"mediaType": config_media_type, **add(b"{}")}
    layers = [
        {"mediaType": "application/octet-stream", **add(data), "annotations": {TITLE: title}}
        for title, data in files
    ]
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "artifactType": artifact_type,
            "config": config,
            "layers": layers,
        }
    ).encode()
    index = {
        "schemaVersion": 2,
        "manifests": [{"mediaType": OCI_MANIFEST, "artifactType": artifact_type, **add(manifest)}],
    }
    members = {
        "oci-layout": b'{"imageLayoutVersion":"1.0.0"}',
        "index.json": json.dumps(index).encode(),
        **{f"blobs/sha256/{d.split(':', 1)[1]}": data for d, data in blobs.items()},
    }
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_model_import_of_a_design_layout_names_the_artifact_type(tmp_path: Path) -> None:
    archive = tmp_path / "design-layout.tar"
    files = sorted(tree(DESIGNS / "web-front-end-hpa").items())
    _layout_tar(archive, DESIGN_TYPE, DESIGN_CONFIG, files)
    into = tmp_path / "into"
    into.mkdir()
    message = one_line_error(cli("model", "import", archive, "--into", into))
    assert re.search(r"artifact.?type|expected a model", message, re.I) or DESIGN_TYPE in message, message
    assert not any(into.iterdir())


@pytest.mark.parametrize("kind", ["parent", "absolute"])
def test_model_import_refuses_layout_titles_that_climb_out(tmp_path: Path, kind: str) -> None:
    title = _hostile_titles()[kind]
    archive = tmp_path / "hostile-layout.tar"
    files = [*sorted(tree(EMBEDDED_REGISTRY / "cert-manager").items()), (title, b"pwned\n")]
    _layout_tar(archive, MODEL_TYPE, MODEL_CONFIG, files)
    into = tmp_path / "a" / "b" / "into"
    into.mkdir(parents=True)
    message = one_line_error(cli("model", "import", archive, "--into", into))
    assert title in message or "evil.txt" in message, f"the message should name the layer: {message}"
    assert files_outside(tmp_path, into, archive) == []
    if title.startswith("/"):
        assert not Path(title).exists()
