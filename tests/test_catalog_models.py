"""Models in the catalog: a card per registry model beside the designs, with its versions and how to get it.

Sites are built with MkDocs through the CLI (conftest); expected models and versions come from loading the
same registry in-process, never from the page under test.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from meshdocs.diagnostics import Report
from meshdocs.loaders.public_key import pem_problem
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.model.registry import Registry

from .catalog_entries import meta_with, write_entry
from .conftest import EMBEDDED_REGISTRY, REGISTRY_2024, Built, build_site, write_config
from .hostile import SCRIPT, write_hostile_registry
from .htmlcheck import live_markup

REPOSITORY = "registry.example/meshery"
# A real P-256 public key (openssl ec -pubout), as `cosign generate-key-pair` writes cosign.pub.
PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4CrsLSiAl6MIYVMucS7x83kzisF0
T+j/znAiJLMpnEwHuomnn17U4Exkua65vFVoMV/aOtlBWR+xyiLKulE18w==
-----END PUBLIC KEY-----
"""
# A P-384 key: a valid public key, but not of the curve cosign's key signatures use.
P384_KEY = """-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEZDqS6uv6gtHHuMqXWMJQPbMF1bDPJjdD
E0Qp4kpCLHWmUX/wj6LaPlT1sP/9J6DdoKbEy6+jjm7FBqGMWL0RhTeOxwMxSx2o
G28pDBOVpvQRJ2dVuA79kbJv769hcJ/g
-----END PUBLIC KEY-----
"""
PRIVATE_KEY = "\n".join(
    (
        "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----",
        "ZXhhbXBsZQ==",
        "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----",
        "",
    )
)
CARD = re.compile(
    r'<article class="mdx-card mdx-card--model" data-kind="model" '
    r'data-technologies="([^"]*)">(.*?)</article>',
    re.S,
)
VERSION_LINK = re.compile(r'<a href="([^"]+)"><code>([^<]*)</code></a>')
COMMANDS = re.compile(r'<pre class="mdx-command"><code>(.*?)</code></pre>', re.S)


@dataclass
class ModelCard:
    technology: str
    body: str

    @property
    def href(self) -> str:
        found = re.search(r'<h2 class="mdx-card__title"><a href="([^"]+)">', self.body)
        assert found, self.body
        return found.group(1)

    @property
    def versions(self) -> list[tuple[str, str]]:
        """(version, href) of each version link, in the card's order."""
        line = re.search(r'<p class="mdx-card__versions">(.*?)</p>', self.body, re.S)
        assert line, self.body
        return [(html.unescape(v), h) for h, v in VERSION_LINK.findall(line.group(1))]

    @property
    def commands(self) -> str:
        """The text of the card's command blocks, unescaped."""
        return html.unescape("\n".join(COMMANDS.findall(self.body)))


def model_cards(page: str) -> list[ModelCard]:
    return [ModelCard(tech, body) for tech, body in CARD.findall(page)]


def published_models(root: Path) -> Registry:
    """The registry as a build loads it (every version), to say what the catalog should list."""
    return load_registry([root], Report(), LoadOptions(all_versions=True))


def resolves(site: Path, page_url: str, href: str) -> bool:
    """Whether ``href`` on the page at site-relative ``page_url`` leads to a file of the built site."""
    target = (site / page_url / href).resolve()
    return (target / "index.html").is_file() if href.endswith("/") else target.is_file()


def configured(tmp: Path, **options: object) -> Path:
    """The repo's mkdocs.yml (every section on) with these meshdocs options added; it lives in ``tmp``."""
    path = write_config(tmp)
    config = yaml.safe_load(path.read_text())
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "meshdocs" in plugin:
            plugin["meshdocs"].update(options)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def signed_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The embedded site with an OCI location and a public key named relative to mkdocs.yml."""
    tmp = tmp_path_factory.mktemp("signed")
    (tmp / "keys").mkdir()
    (tmp / "keys" / "cosign.pub").write_text(PUBLIC_KEY)
    config = configured(tmp, oci_repository=REPOSITORY + "/", oci_public_key="keys/cosign.pub")
    built = build_site(tmp, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    return built


def test_every_published_model_but_drawing_ones_has_a_card_after_the_designs(site_embedded: Built) -> None:
    registry = published_models(EMBEDDED_REGISTRY)
    expected = {m.name for m in registry.models} - registry.annotation_models()
    page = site_embedded.page("catalog/")
    cards = model_cards(page)
    assert sorted(c.technology for c in cards) == sorted(name.lower() for name in expected)
    assert page.rindex('data-kind="design"') < page.index('data-kind="model"')
    assert f"and {len(expected)} registry models to pull" in page


def test_model_cards_list_every_version_linked_to_its_published_page(site_embedded: Built) -> None:
    registry = published_models(EMBEDDED_REGISTRY)
    by_key = {m.name.lower(): m for m in registry.models}
    cards = model_cards(site_embedded.page("catalog/"))
    assert any(len(c.versions) > 1 for c in cards), "the embedded registry has a model with older versions"
    for card in cards:
        model = by_key[card.technology]
        assert [v for v, _ in card.versions] == [m.version for m in registry.versions_of(model)]
        assert card.href == card.versions[0][1], "the newest version's link is the model page"
        for version, href in card.versions:
            assert resolves(site_embedded.site, "catalog", href), (card.technology, version, href)
            assert version in site_embedded.page(f"catalog/{href}")
    cert = next(c for c in cards if c.technology == "cert-manager")
    assert cert.versions == [
        ("v1.15.1", "../models/cert-manager/"),
        ("v1.14.5", "../models/cert-manager/v1.14.5/"),
    ]


def test_without_an_oci_location_a_model_card_says_so_and_prints_no_command(site_embedded: Built) -> None:
    page = site_embedded.page("catalog/")
    for card in model_cards(page):
        assert '<details class="mdx-get"><summary>Get it</summary>' in card.body
        assert "publishes no OCI location for its models" in card.body
        assert card.commands == ""
    assert "oras pull" not in page and "cosign verify" not in page
    assert not (site_embedded.site / "catalog" / "cosign.pub").exists()


def test_the_filter_bar_offers_kinds_and_one_lowercase_option_per_technology(site_embedded: Built) -> None:
    page = site_embedded.page("catalog/")
    bar = page.split("data-mdx-filters", 1)[1].split("</div>", 1)[0]
    assert re.search(r"<div[^>]*data-mdx-filters[^>]*hidden", page), "hidden until the script shows it"
    kinds = re.search(r'<select data-mdx-filter="kind">(.*?)</select>', bar, re.S)
    assert kinds and re.findall(r'value="([^"]*)">([^<]*)<', kinds.group(1)) == [
        ("", "All kinds"),
        ("design", "Designs"),
        ("model", "Models"),
    ]
    tech = re.search(r'<select data-mdx-filter="technology">(.*?)</select>', bar, re.S)
    assert tech
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', tech.group(1))
    values = [v for v, _ in options[1:]]
    assert values == [v.lower() for v in values] and len(values) == len(set(values))
    assert ("istio", "Istio") in options and ("kubernetes", "Kubernetes") in options
    card_techs = {c.technology for c in model_cards(page)}
    listed = re.findall(r'data-kind="design"[^>]*data-technologies="([^"]*)"', page)
    design_techs = {t for techs in listed for t in techs.split("|")}
    assert card_techs | design_techs == set(values)


def test_a_design_technology_meets_its_model_whatever_its_case(tmp_path: Path) -> None:
    designs = tmp_path / "designs"
    write_entry(designs, meta_with(name="Mesh Shop", technologies=["Kubernetes", "Istio"]))
    built = build_site(tmp_path, extra=("--catalog", str(designs)))
    assert built.returncode == 0, built.stderr
    page = built.page("catalog/")
    assert 'data-kind="design" data-type="Deployment" data-technologies="kubernetes|istio"' in page
    assert page.count('<option value="istio">') == 1 and '<option value="istio">Istio</option>' in page


def test_model_cards_print_pull_import_and_verify_with_the_model_pages_ref(signed_site: Built) -> None:
    registry = published_models(EMBEDDED_REGISTRY)
    cards = model_cards(signed_site.page("catalog/"))
    assert len(cards) == len({m.name for m in registry.models} - registry.annotation_models())
    for card in cards:
        slug = card.href.rstrip("/").rsplit("/", 1)[-1]
        version = card.versions[0][0]
        ref = f"{REPOSITORY}/models/{slug}:{version}"
        assert card.commands.splitlines() == [
            f"meshdocs oci pull {ref} --out {slug}",
            f"oras pull {ref}",
            f"mesheryctl model import -f {slug}",
            f"cosign verify --key cosign.pub --insecure-ignore-tlog {ref}",
            f"meshdocs oci verify {ref} --key cosign.pub",
        ]
        assert '<a href="cosign.pub" download="cosign.pub">download cosign.pub</a>' in card.body
        model_page = html.unescape(signed_site.page(f"catalog/{card.href}"))
        assert f"oras pull {ref}" in model_page
        assert f"meshdocs oci verify {ref} --key cosign.pub" in model_page


def test_a_configured_public_key_is_published_and_every_get_it_block_verifies(signed_site: Built) -> None:
    assert (signed_site.site / "catalog" / "cosign.pub").read_text() == PUBLIC_KEY
    model = html.unescape(signed_site.page("models/cert-manager/v1.14.5/"))
    ref = f"{REPOSITORY}/models/cert-manager:v1.14.5"
    assert f"cosign verify --key cosign.pub --insecure-ignore-tlog {ref}" in model
    assert 'href="../../../catalog/cosign.pub" download' in model
    design = html.unescape(signed_site.page("catalog/microservice-shop/"))
    ref = re.search(r"oras pull (\S+)", design)
    assert ref and ref.group(1).startswith(f"{REPOSITORY}/microservice-shop:")
    assert f"cosign verify --key cosign.pub --insecure-ignore-tlog {ref.group(1)}" in design
    assert f"meshdocs oci verify {ref.group(1)} --key cosign.pub" in design
    for url, page in (("models/cert-manager/v1.14.5/", model), ("catalog/microservice-shop/", design)):
        href = re.search(r'href="([^"]*cosign\.pub)" download', page)
        assert href and resolves(signed_site.site, url, href.group(1)), url


def test_the_public_key_follows_the_catalog_prefix(tmp_path: Path) -> None:
    (tmp_path / "cosign.pub").write_text(PUBLIC_KEY)
    config = configured(
        tmp_path, oci_repository=REPOSITORY, oci_public_key="cosign.pub", prefixes={"catalog": "hub"}
    )
    built = build_site(tmp_path, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    assert (built.site / "hub" / "cosign.pub").read_text() == PUBLIC_KEY
    assert not (built.site / "catalog").exists()
    assert 'href="../../hub/cosign.pub" download' in built.page("models/keda/")
    assert 'href="cosign.pub" download' in built.page("hub/")


def test_an_oci_location_without_a_key_prints_pulls_but_no_verify(tmp_path: Path) -> None:
    config = configured(tmp_path, oci_repository=REPOSITORY)
    built = build_site(tmp_path, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    cards = model_cards(built.page("catalog/"))
    keda = next(c for c in cards if c.technology == "keda")
    assert keda.commands.splitlines() == [
        f"meshdocs oci pull {REPOSITORY}/models/keda:v2.14.0 --out keda",
        f"oras pull {REPOSITORY}/models/keda:v2.14.0",
        "mesheryctl model import -f keda",
    ]
    for url in ("catalog/", "models/keda/", "catalog/microservice-shop/"):
        assert "cosign" not in built.page(url), url
    assert not (built.site / "catalog" / "cosign.pub").exists()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "oci_public_key: public key file not found: pages show no verify command"),
        (PRIVATE_KEY, "oci_public_key: holds a private key, which must never be published"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user@host\n", "oci_public_key: not a PEM public key"),
    ],
    ids=["missing", "private-key", "not-pem"],
)
def test_an_unusable_public_key_is_one_error_line_and_the_rest_builds(
    tmp_path: Path, content: str | None, says: str
) -> None:
    key = tmp_path / "signing.key"
    if content is not None:
        key.write_text(content)
    config = configured(tmp_path, oci_repository=REPOSITORY, oci_public_key="signing.key")
    built = build_site(tmp_path, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    lines = [line for line in built.stderr.splitlines() if "oci_public_key" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{key}: error: {says}"), built.stderr
    assert not (built.site / "catalog" / "cosign.pub").exists()
    assert "cosign verify" not in built.page("catalog/")
    assert "oras pull" in built.page("catalog/"), "pull commands do not need the key"
    if content is not None:  # the file's text is published nowhere
        body = content.strip().encode()
        assert not [p for p in built.site.rglob("*") if p.is_file() and body in p.read_bytes()]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (PUBLIC_KEY, ""),
        ("\n" + PUBLIC_KEY + "\n\n", ""),
        (
            PUBLIC_KEY.replace("PUBLIC KEY", "CERTIFICATE"),
            "holds a PEM 'CERTIFICATE' block, not a public key",
        ),
        (PUBLIC_KEY + PUBLIC_KEY, "holds 2 PEM blocks"),
        ("comment\n" + PUBLIC_KEY, "holds text outside the PEM block"),
        (PUBLIC_KEY.replace("MFkw", "M!kw"), "the public key cannot be read"),
        ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "the public key cannot be read"),
        (P384_KEY, "not an ECDSA P-256 public key"),
        (PUBLIC_KEY + "-----BEGIN RSA PRIVATE KEY-----", "holds a private key"),
        ("", "not a PEM public key"),
    ],
    ids=[
        "key",
        "blank-lines",
        "certificate",
        "two-keys",
        "comment",
        "base64",
        "not-der",
        "p384",
        "private",
        "empty",
    ],
)
def test_only_a_single_pem_public_key_passes(text: str, problem: str) -> None:
    found = pem_problem(text)
    assert found.startswith(problem) if problem else found == ""


def test_the_key_path_is_relative_to_mkdocs_yml(tmp_path: Path) -> None:
    from meshdocs.config import resolve_options, validated

    config = validated({"oci_public_key": "keys/cosign.pub"}, tmp_path / "mkdocs.yml")
    assert resolve_options(config, tmp_path).oci_public_key == (tmp_path / "keys" / "cosign.pub").resolve()
    assert resolve_options(validated({}, tmp_path / "mkdocs.yml"), tmp_path).oci_public_key is None


def test_hostile_model_text_on_a_card_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "cosign.pub").write_text(PUBLIC_KEY)
    config = configured(tmp_path, oci_repository=REPOSITORY, oci_public_key=str(tmp_path / "cosign.pub"))
    hostile = write_hostile_registry(tmp_path / "registry")
    built = build_site(tmp_path, hostile, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    page = built.page("catalog/")
    assert len(model_cards(page)) == 1
    assert live_markup(page) == []
    assert html.escape(SCRIPT, quote=False) in page
    assert "{{ 7 * 191 }}" in page and "1337" not in page


def test_the_catalog_page_is_the_same_bytes_when_built_again(site_embedded: Built, tmp_path: Path) -> None:
    again = build_site(tmp_path)
    assert again.returncode == 0, again.stderr
    index = Path("catalog") / "index.md"
    assert (again.docs / index).read_bytes() == (site_embedded.docs / index).read_bytes()


def test_registry_2024_has_one_card_per_published_non_drawing_model(site_2024: Built) -> None:
    registry = published_models(REGISTRY_2024)
    drawing = registry.annotation_models()
    assert drawing, "the 2024 registry has drawing-only models to leave out"
    page = site_2024.page("catalog/")
    cards = model_cards(page)
    assert len(cards) == len({m.name for m in registry.models} - drawing)
    assert not {c.technology for c in cards} & {name.lower() for name in drawing}
    assert "0 designs contributed by the community" in page
    for card in cards:
        assert card.versions and all(resolves(site_2024.site, "catalog", h) for _, h in card.versions), card
