"""No broken internal link or anchor in the built site, by our own crawl and by MkDocs' link validation."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from .conftest import REPO, Built, write_config

BASE = "http://meshdocs.invalid/"
LINK_ATTRS = {"a": "href", "img": "src", "link": "href", "script": "src"}


class _Page(HTMLParser):
    """The ids of a page and the URLs it refers to (tag, attribute value)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        wanted = LINK_ATTRS.get(tag)
        if wanted and values.get(wanted) is not None:
            self.refs.append((tag, str(values[wanted])))


def _is_internal(ref: str) -> bool:
    ref = ref.strip()
    return not (urlsplit(ref).scheme or ref.startswith("//") or ref.lower().startswith("mailto:"))


def _page_url(site: Path, html: Path) -> str:
    """The URL a page is served at: ``x/index.html`` is ``x/``."""
    rel = html.relative_to(site).as_posix()
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def _target_file(site: Path, path: str) -> Path | None:
    """The file served at site-relative ``path``, or ``None``."""
    target = site / unquote(path)
    if path == "" or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def test_no_broken_internal_link_or_anchor(site_embedded: Built) -> None:
    site = site_embedded.site.resolve()
    pages: dict[Path, _Page] = {}
    for html in sorted(site.rglob("*.html")):
        parser = _Page()
        parser.feed(html.read_text(encoding="utf-8"))
        parser.close()
        pages[html.resolve()] = parser
    assert len(pages) > 100, f"only {len(pages)} pages under {site}"

    broken: list[str] = []
    checked = 0
    for html, parser in pages.items():
        page_url = _page_url(site, html)
        for tag, ref in parser.refs:
            if not ref.strip() or not _is_internal(ref):
                continue
            checked += 1
            resolved = urlsplit(urljoin(BASE + page_url, ref.strip()))
            where = f"{page_url or '/'}: <{tag}> {ref!r}"
            if not (resolved.scheme + "://" + resolved.netloc + resolved.path).startswith(BASE):
                broken.append(f"{where} → leaves the site")
                continue
            path = resolved.path[len(urlsplit(BASE).path) :]
            target = _target_file(site, path)
            if target is None:
                broken.append(f"{where} → {path or '/'} does not exist")
                continue
            fragment = unquote(resolved.fragment)
            if fragment and tag == "a" and target.suffix == ".html":
                ids = pages[target.resolve()].ids if target.resolve() in pages else set()
                if fragment not in ids:
                    broken.append(f"{where} → no id {fragment!r} in {path or '/'}")
    assert checked > 1000, f"only {checked} internal references checked"
    assert not broken, f"{len(broken)} broken internal link(s)/anchor(s):\n" + "\n".join(broken[:200])


def test_mkdocs_strict_link_validation(tmp_path: Path) -> None:
    validation = {
        "links": {
            "not_found": "warn",
            "anchors": "warn",
            "unrecognized_links": "warn",
            "absolute_links": "warn",
        }
    }
    config_path = write_config(tmp_path, validation=validation)
    config = yaml.safe_load(config_path.read_text())
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "meshdocs" in plugin:
            opts = plugin["meshdocs"]
            opts["generated_dir"] = str(tmp_path / "gen")
            # write_config makes registry/catalog/content absolute but not these two repo-relative paths.
            for key in ("keys_file", "learning_paths"):
                if key in opts and not Path(opts[key]).is_absolute():
                    opts[key] = str(REPO / opts[key])
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config_path, "-d", tmp_path / "site"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-6000:]
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "gen").is_dir(), "generated_dir was not honoured"
