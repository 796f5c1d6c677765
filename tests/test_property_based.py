"""Property-based tests: arbitrary registry entries and catalog metadata never crash and never inject markup.

Everything runs in-process (loaders → renderers → Markdown → HTML) without MkDocs, so hypothesis can try
many inputs quickly. Hostile characters are mixed into every string on purpose.
"""

from __future__ import annotations

import copy
import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from meshdocs.build import DEFAULT_TEMPLATES
from meshdocs.diagnostics import Report, Severity
from meshdocs.loaders.catalog import load_entry
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.model.catalog import Catalog
from meshdocs.model.registry import Registry
from meshdocs.model.site import NavNode, SiteOutput
from meshdocs.renderers.catalog import CatalogRenderer, CatalogSettings
from meshdocs.renderers.environment import make_environment
from meshdocs.renderers.registry import RegistryRenderer
from meshdocs.sitemap import resolve_site
from meshdocs.slugs import slugify
from meshdocs.titles import title_text

from .catalog_entries import VALID_DESIGN, VALID_META
from .conftest import EMBEDDED_REGISTRY
from .hostile import EVIL, IMG, SCRIPT, TEMPLATE
from .htmlcheck import live_markup

# Hypothesis caches into ./.hypothesis (the repository) even without a database: keep it in /tmp.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="meshdocs-hypothesis-"))
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXTENSIONS = ["toc", "attr_list", "tables", "pymdownx.superfences"]
SPECIAL = "<>&\"'{}%#[]()!*_`|\\\n\r\t\x00\x01\x07\x0b\x0c\x1b\x7f\u2028\u202e"
_counter = itertools.count()

# Arbitrary text, biased towards markup, template and Markdown syntax and control characters.
text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(SPECIAL + "abc -/.:;=x"), max_size=40),
    st.sampled_from([SCRIPT, IMG, TEMPLATE, EVIL, "javascript:alert(1)", "../../etc/passwd", "", " "]),
    st.lists(st.sampled_from([SCRIPT, IMG, TEMPLATE, "**", "[x](javascript:alert(1))", "#", "\n", "a"])).map(
        "".join
    ),
)
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
json_value = st.recursive(
    scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
    max_leaves=8,
)
json_type = st.one_of(
    st.sampled_from(["string", "integer", "number", "boolean", "object", "array", "null"]),
    text,
    st.lists(st.sampled_from(["string", "null", "integer"]), max_size=3),
)


def _schema_node(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "type": json_type,
            "description": text,
            "title": text,
            "default": json_value,
            "enum": st.lists(scalar, max_size=5),
            "pattern": text,
            "format": text,
            "required": st.lists(text, max_size=3),
            "properties": st.dictionaries(text, children, max_size=4),
            "items": children,
            "additionalProperties": st.one_of(st.booleans(), children),
            "minimum": st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False), text),
            "oneOf": st.lists(children, max_size=2),
            "$ref": st.one_of(text, st.just("#"), st.just("#/properties/a")),
            "x-kubernetes-validations": st.lists(
                st.fixed_dictionaries({"rule": text}, optional={"message": text}), max_size=2
            ),
        },
    )


schema = st.recursive(st.just({}), _schema_node, max_leaves=12)
schema_text = st.one_of(
    schema.map(json.dumps),
    st.dictionaries(text, schema, max_size=3).map(lambda p: json.dumps({"type": "object", "properties": p})),
    text,
    json_value.map(json.dumps),
)


@st.composite
def registry_files(draw: st.DrawFn) -> dict[str, Any]:
    """A model definition (or none) and a few components with arbitrary text, kinds and schemas."""
    name = draw(st.one_of(text, st.just("plain-model")))
    model = {
        "schemaVersion": "models.meshery.io/v1beta1",
        "version": "v1.0.0",
        "name": name,
        "displayName": draw(text),
        "description": draw(text),
        "status": draw(st.sampled_from(["enabled", "ignored", ""]) | text),
        "category": {"name": draw(text)},
        "subCategory": draw(text),
        "registrant": {"kind": draw(text)},
        "metadata": {"primaryColor": draw(text), "svgColor": draw(st.sampled_from(["", "<svg/>", SCRIPT]))},
        "model": {"version": draw(st.one_of(st.just("1.0.0"), text))},
    }
    components = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        components.append(
            {
                "schemaVersion": "components.meshery.io/v1beta1",
                "version": "v1.0.0",
                "displayName": draw(text),
                "description": draw(text),
                "format": "JSON",
                "model": model if draw(st.booleans()) else {"name": name, "model": {"version": "1.0.0"}},
                "status": draw(st.sampled_from(["enabled", "", "ignored"])),
                "styles": {"primaryColor": draw(text)},
                "metadata": {"isNamespaced": draw(scalar)},
                "component": {
                    "kind": draw(st.one_of(text, text.map(lambda t: "K" + t), st.just("Pod"))),
                    "version": draw(text),
                    "schema": draw(schema_text),
                },
            }
        )
    with_model = draw(st.booleans())
    return {"model": model if with_model else None, "components": components}


def _write_registry(root: Path, files: dict[str, Any]) -> None:
    folder = root / "m" / "1.0.0" / "v1.0.0"
    (folder / "components").mkdir(parents=True)
    if files["model"] is not None:
        (folder / "model.json").write_text(json.dumps(files["model"]), encoding="utf-8")
    for i, comp in enumerate(files["components"]):
        (folder / "components" / f"c{i}.json").write_text(json.dumps(comp), encoding="utf-8")


def _titles(nodes: list[NavNode]) -> list[str]:
    out: list[str] = []
    for node in nodes:
        out.append(node.title)
        out.extend(_titles(node.children))
    return out


def _check_output(out: SiteOutput, nav: list[NavNode]) -> None:
    pages = [p for p in out.files if p.endswith(".md")]
    assert pages
    for path in pages:
        html = markdown.markdown(out.files[path].decode("utf-8"), extensions=EXTENSIONS)
        assert live_markup(html) == [], path
    for title in _titles(nav):
        shown = title_text(title)
        assert "<" not in shown and ">" not in shown, title


@pytest.fixture(scope="module")
def env():  # type: ignore[no-untyped-def]
    return make_environment(DEFAULT_TEMPLATES)


@pytest.fixture(scope="module")
def embedded() -> Registry:
    return load_registry([EMBEDDED_REGISTRY], Report(), LoadOptions(include_ignored=True))


@SETTINGS
@given(files=registry_files())
def test_arbitrary_registry_entries_render_without_live_markup(
    files: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, env: Any
) -> None:
    root = tmp_path_factory.mktemp("prop-registry") / f"ex{next(_counter)}"
    _write_registry(root, files)
    report = Report(root=root)
    registry = load_registry([root], report)
    out = SiteOutput()
    section = RegistryRenderer(env, registry, resolve_site(registry, report)).render(out)
    _check_output(out, [section])
    assert all(d.path for d in report.items)


meta_value = st.one_of(
    scalar, json_value, st.lists(text, max_size=3), st.dictionaries(text, text, max_size=2)
)


@st.composite
def catalog_meta(draw: st.DrawFn) -> dict[str, Any]:
    """Either valid metadata with hostile free text, or fields replaced by values of any type."""
    meta = copy.deepcopy(VALID_META)
    if draw(st.booleans()):
        meta["name"] = "Shop " + draw(text)
        meta["description"] = draw(text)
        meta["caveats"] = draw(text)
        meta["maintainers"] = [{"name": "M " + draw(text), "email": "m@example.org"}]
        meta["changes"] = [{"kind": "added", "description": draw(text)}]
        return meta
    for key in VALID_META:
        choice = draw(st.sampled_from(["valid", "valid", "random", "missing"]))
        if choice == "random":
            meta[key] = draw(meta_value)
        elif choice == "missing":
            del meta[key]
    if draw(st.booleans()):
        meta[draw(text)] = draw(meta_value)
    return meta


@SETTINGS
@given(meta=st.one_of(catalog_meta(), json_value))
def test_arbitrary_catalog_metadata_is_reported_or_rendered_safely(
    meta: Any, tmp_path_factory: pytest.TempPathFactory, env: Any, embedded: Registry
) -> None:
    name = meta.get("name") if isinstance(meta, dict) else None
    slug = slugify(name) if isinstance(name, str) else ""
    folder = tmp_path_factory.mktemp("prop-catalog") / f"{next(_counter)}" / (slug or "entry")
    folder.mkdir(parents=True)
    (folder / "catalog.yml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    (folder / "design.yml").write_text(yaml.safe_dump(VALID_DESIGN, sort_keys=False), encoding="utf-8")
    report = Report(root=folder.parent)
    entry = load_entry(folder, embedded, report)
    if entry is None:
        assert any(d.severity is Severity.ERROR for d in report.items), "rejected without a diagnostic"
        return
    out = SiteOutput()
    site = resolve_site(embedded, Report())
    section = CatalogRenderer(env, Catalog(entries=[entry]), embedded, site, CatalogSettings()).render(out)
    _check_output(out, [section])


_SEGMENT = st.sampled_from(["a", "b", "models", "x", "components", "index.md", "ü", "a b"])
_DOCS_PATH = st.lists(_SEGMENT, max_size=5).map(lambda parts: "/".join(parts) or ".")


@given(target=_DOCS_PATH, base=_DOCS_PATH)
@settings(max_examples=500, deadline=None)
def test_fast_relative_path_equals_posixpath(target: str, base: str) -> None:
    """Links between generated pages skip posixpath.relpath's trips to the working directory."""
    import posixpath

    from meshdocs.renderers.environment import _relpath

    assert _relpath(target, base) == posixpath.relpath(target, base)
