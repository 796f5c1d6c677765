"""The CLI contract: exit codes, one-line messages, never a traceback, the last good site kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import REGISTRY_2024, REPO, build_site, run_cli


def small_registry(tmp: Path) -> Path:
    root = tmp / "registry"
    shutil.copytree(REGISTRY_2024 / "akri", root / "akri")
    return root


def test_module_and_console_script_show_help() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0 and "build" in proc.stdout and "validate" in proc.stdout
    assert (REPO / ".venv" / "bin" / "meshdocs").exists() or shutil.which("meshdocs")


def test_build_with_missing_registry_exits_1_with_a_clear_message(tmp_path: Path) -> None:
    built = build_site(tmp_path, tmp_path / "nowhere")
    assert built.returncode == 1
    assert "registry folder not found" in built.stderr and "nowhere" in built.stderr
    assert "Traceback" not in built.stderr + built.stdout
    assert not built.site.exists()


def test_build_of_a_folder_without_registry_definitions_exits_1(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.json").write_text('{"hello": "world"}')
    built = build_site(tmp_path, tmp_path / "notes")
    assert built.returncode == 1
    assert "no registry definitions found" in built.stderr and "Traceback" not in built.stderr


def test_registry_flag_repeats_and_replaces_the_embedded_registry(tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(REGISTRY_2024 / "nats-operator", other / "nats-operator")
    built = build_site(tmp_path, small_registry(tmp_path), other)
    assert built.returncode == 0, built.stderr
    names = [m["name"] for m in json.loads((built.site / "registry.json").read_text())["models"]]
    assert names == ["akri", "nats-operator"]


def test_validate_reports_every_problem_with_path_and_line_and_exits_1(tmp_path: Path) -> None:
    root = small_registry(tmp_path)
    comp_dir = root / "akri" / "0.12.55" / "v1.0.0" / "components"
    (comp_dir / "Broken.json").write_text('{\n  "schemaVersion": "components.meshery.io/v1beta1",\n  "x": \n')
    nokind = json.loads((comp_dir / "Instance.json").read_text())
    nokind["component"]["kind"] = ""
    (comp_dir / "NoKind.json").write_text(json.dumps(nokind))
    proc = run_cli("validate", root, cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    assert any(
        line.startswith("registry/akri/0.12.55/v1.0.0/components/Broken.json:4: error: not valid JSON")
        for line in lines
    ), lines
    assert any("NoKind.json: error: component.kind: component has no kind" in line for line in lines), lines
    assert "Traceback" not in proc.stderr


def test_validate_passes_a_clean_folder_and_a_single_file(tmp_path: Path) -> None:
    root = small_registry(tmp_path)
    assert run_cli("validate", root).returncode == 0
    proc = run_cli("validate", root / "akri" / "0.12.55" / "v1.0.0" / "components" / "Instance.json")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_validate_github_format_prints_annotations(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ nope")
    proc = run_cli("validate", "--format", "github", bad, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("::error file=bad.json,line=1::not valid JSON")


def test_validate_missing_path_is_an_error(tmp_path: Path) -> None:
    proc = run_cli("validate", tmp_path / "missing")
    assert proc.returncode == 1 and "no such file or folder" in proc.stdout


def test_strict_fails_on_warnings_and_keeps_the_last_good_site(tmp_path: Path) -> None:
    root = small_registry(tmp_path)
    first = build_site(tmp_path, root)
    assert first.returncode == 0
    marker = (first.site / "registry.json").read_bytes()
    comp = root / "akri" / "0.12.55" / "v1.0.0" / "components" / "Instance.json"
    data = json.loads(comp.read_text())
    data["schemaVersion"] = "components.meshery.io/v9"
    comp.write_text(json.dumps(data))
    second = build_site(tmp_path, root, extra=("--strict",))
    assert second.returncode == 1
    assert "unknown schemaVersion" in second.stderr and "nothing was published" in second.stderr
    assert (first.site / "registry.json").read_bytes() == marker
    relaxed = build_site(tmp_path, root)
    assert relaxed.returncode == 0
    assert (first.site / "registry.json").read_bytes() != marker
    assert not list(tmp_path.glob(".meshdocs-staging-*"))


def test_include_ignored_publishes_ignored_models_and_components(tmp_path: Path) -> None:
    root = small_registry(tmp_path)
    shutil.copytree(REGISTRY_2024 / "backend", root / "backend")  # status: ignored, one component
    plain = build_site(tmp_path / "a", root)
    everything = build_site(tmp_path / "b", root, extra=("--include-ignored",))

    def published(built: object) -> dict[str, int]:
        models = json.loads((built.site / "registry.json").read_text())["models"]  # type: ignore[attr-defined]
        return {m["name"]: len(m["components"]) for m in models}

    assert list(published(plain)) == ["akri"]
    assert published(everything)["backend"] == 1


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    precious = tmp_path / "site"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    built = build_site(tmp_path, small_registry(tmp_path))
    assert built.returncode == 1 and "refusing to replace" in built.stderr
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_refuses_a_docs_dir_that_is_not_generated(tmp_path: Path) -> None:
    docs = tmp_path / "site_src"
    docs.mkdir()
    (docs / "notes.md").write_text("mine")
    built = build_site(tmp_path, small_registry(tmp_path))
    assert built.returncode == 1 and "was not made by meshdocs" in built.stderr
    assert (docs / "notes.md").read_text() == "mine"


def test_hand_written_pages_cannot_take_generated_paths(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "registry").mkdir(parents=True)
    (content / "index.md").write_text("# Home\n")
    (content / "registry" / "index.md").write_text("# Not the registry\n")
    (content / "registry.json").write_text('{"models": "forged"}')
    built = build_site(tmp_path, small_registry(tmp_path), extra=("--content", str(content)))
    assert built.returncode == 0, built.stderr
    assert "'registry/index.md' is a generated path" in built.stderr
    assert "'registry.json' is a generated path" in built.stderr
    assert "Not the registry" not in built.page("registry/")
    assert json.loads((built.site / "registry.json").read_text())["models"][0]["name"] == "akri"
