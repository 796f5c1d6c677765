"""meshdocs' configuration: one typed schema, one resolver, used by the plugin and every command.

The schema is the plugin's (``plugins: - meshdocs: {...}`` in ``mkdocs.yml``), written with MkDocs'
own ``config_options`` so MkDocs validates it for ``mkdocs build``; commands that do not run MkDocs
(``validate``, ``artifacthub export``, ``model export``) read the same block with :func:`read_config`
and validate it with the same schema. :func:`resolve_options` turns it and the command line's flags into
the absolute paths a generation needs, in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from meshdocs.build import GenerateOptions
from meshdocs.resources import default_config, embedded_registry, templates_dir
from meshdocs.sitemap import Prefixes

DEFAULT_CONFIG_NAME = "mkdocs.yml"


class ConfigError(Exception):
    """A configuration that cannot be used, said in one line."""


class _Prefix(c.Type[str]):
    """A URL folder for a section: lower-case words and dashes, optionally nested (``ref/models``)."""

    _PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if not self._PATTERN.match(text):
            raise base.ValidationError(
                f"'{text}' is not a URL folder: expected lower-case letters, digits, '-' or '_', "
                "segments joined by '/', no leading or trailing '/'"
            )
        return text


class PrefixesConfig(base.Config):
    """Where the generated sections mount; the defaults are the published URLs and must stay so."""

    registry = _Prefix("registry")
    models = _Prefix("models")
    catalog = _Prefix("catalog")
    security_keys = _Prefix("keys")  # not "keys": a config is a Mapping, with a keys() method
    learning_paths = _Prefix("learning-paths")


class OwnerConfig(base.Config):
    name = c.Type(str, default="")
    email = c.Type(str, default="")


class ArtifactHubConfig(base.Config):
    """Artifact Hub repository facts not in the catalog; ``publish`` copies it into the site."""

    provider = c.Type(str, default="")
    owners = c.ListOfItems(c.SubConfig(OwnerConfig), default=[])
    repository_id = c.Type(str, default="")
    publish = c.Type(bool, default=False)


class MeshdocsConfig(base.Config):
    """``plugins: - meshdocs: {...}`` in ``mkdocs.yml``; paths are relative to that file.

    Without ``registry`` the registry embedded in meshdocs is published; without ``content`` the site's
    own ``docs_dir`` is; a ``catalog`` folder that does not exist means a site without a catalog.
    """

    registry = c.ListOfItems(c.Type(str), default=[])
    catalog = c.Type(str, default="catalog/designs")
    content = c.Optional(c.Type(str))
    generated_dir = c.Type(str, default="site_src")
    templates = c.Optional(c.Type(str))
    include_ignored = c.Type(bool, default=False)
    oci_repository = c.Type(str, default="")
    oci_public_key = c.Optional(c.Type(str))  # cosign's PEM public key: published, verify commands shown
    artifacthub = c.SubConfig(ArtifactHubConfig)
    keys_file = c.Optional(c.Type(str))  # not "keys": the config is a Mapping, with a keys() method
    learning_paths = c.Optional(c.Type(str))
    learning_paths_drafts = c.Type(bool, default=False)
    show_answers = c.Type(bool, default=False)
    generate = c.ListOfItems(c.Type(str), default=[])  # CRD/chart paths or URLs: models generated per build
    prefixes = c.SubConfig(PrefixesConfig)
    versions = c.Choice(("all", "newest"), default="all")  # which versions of each model are published


@dataclass(frozen=True)
class Overrides:
    """What the command line says over the configuration; absolute paths, ``None`` or empty when not given."""

    registries: tuple[Path, ...] = ()
    catalog: Path | None = None
    content: Path | None = None
    docs_dir: Path | None = None
    keys: Path | None = None
    learning_paths: Path | None = None
    generate: tuple[str, ...] = ()  # file paths made absolute, URLs as given
    include_ignored: bool = False
    versions: str | None = None  # "all" or "newest"


def resolve_options(
    config: MeshdocsConfig,
    base_dir: Path,
    overrides: Overrides | None = None,
    own_docs_dir: Path | None = None,
    jobs: int = 1,
) -> GenerateOptions:
    """The plugin's settings with the command line's on top, every path absolute against ``base_dir``.

    ``own_docs_dir`` is the site's own ``docs_dir``: its pages are the content when none is configured.
    """
    flags = overrides or Overrides()

    def path(value: str | None) -> Path | None:
        return (base_dir / value).resolve() if value else None

    registries = list(flags.registries) or [p for p in map(path, config.registry) if p]
    docs_dir = flags.docs_dir or path(config.generated_dir) or base_dir / "site_src"
    content = flags.content or path(config.content)
    if content is None and own_docs_dir is not None and own_docs_dir != docs_dir:
        content = own_docs_dir
    generate = flags.generate or tuple(
        s if "://" in s else str(path(s)) for s in config.generate if s.strip()
    )
    return GenerateOptions(
        registries=registries or [embedded_registry()],
        docs_dir=docs_dir,
        content=content,
        catalog=flags.catalog or path(config.catalog),
        templates=path(config.templates) or templates_dir(),
        include_ignored=flags.include_ignored or config.include_ignored,
        oci_repository=config.oci_repository,
        oci_public_key=path(config.oci_public_key),
        keys=flags.keys or path(config.keys_file),
        learning_paths=flags.learning_paths or path(config.learning_paths),
        learning_drafts=config.learning_paths_drafts,
        show_answers=config.show_answers,
        generate=generate,
        prefixes=prefixes_of(config),
        versions=flags.versions or config.versions,
        jobs=jobs,
    )


def prefixes_of(config: MeshdocsConfig) -> Prefixes:
    """The configured section prefixes; two sections may not share a folder."""
    given = config.prefixes
    prefixes = Prefixes(
        registry=given.registry,
        models=given.models,
        catalog=given.catalog,
        keys=given.security_keys,
        learning_paths=given.learning_paths,
    )
    folders = prefixes.folders()
    for a, first in enumerate(folders):
        for second in folders[a + 1 :]:
            if first == second or second.startswith(first + "/") or first.startswith(second + "/"):
                raise ConfigError(f"prefixes: '{first}' and '{second}' overlap; each section needs its own")
    return prefixes


@dataclass(frozen=True)
class LoadedConfig:
    """``mkdocs.yml`` read without MkDocs: the plugin's block, validated, and what commands need."""

    path: Path
    plugin: MeshdocsConfig
    site_url: str = ""
    enabled: bool = False  # whether mkdocs.yml lists the meshdocs plugin at all

    @property
    def base_dir(self) -> Path:
        return self.path.resolve().parent

    def options(self, overrides: Overrides | None = None) -> GenerateOptions:
        return resolve_options(self.plugin, self.base_dir, overrides)


def locate_config(given: Path | None) -> Path:
    """``given``, else ``./mkdocs.yml``, else the configuration shipped with meshdocs."""
    if given is not None:
        if not given.is_file():
            raise ConfigError(f"config file {given} not found")
        return given
    local = Path(DEFAULT_CONFIG_NAME)
    return local if local.is_file() else default_config()


def is_packaged(path: Path) -> bool:
    """Whether ``path`` is the configuration shipped with meshdocs: outputs then go to the working folder."""
    return path.resolve() == default_config().resolve()


def read_config(given: Path | None) -> LoadedConfig:
    """Read the plugin's settings from ``mkdocs.yml`` (see :func:`locate_config`), validated by its schema.

    Tags MkDocs would resolve (``!ENV``, ``!!python/name``) read as nothing: no command but ``build`` and
    ``serve`` needs what they name, and a configuration is never evaluated here.
    """
    import yaml

    class _Tolerant(yaml.SafeLoader):
        pass

    _Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    path = locate_config(given)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Tolerant)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    data = data if isinstance(data, dict) else {}
    raw: Any = None
    for item in data.get("plugins") or []:
        if item == "meshdocs":
            raw = {}
        elif isinstance(item, dict) and "meshdocs" in item:
            raw = item["meshdocs"] or {}
    if isinstance(data.get("plugins"), dict) and "meshdocs" in data["plugins"]:
        raw = data["plugins"]["meshdocs"] or {}
    plugin = validated(raw if isinstance(raw, dict) else {}, path)
    return LoadedConfig(
        path=path, plugin=plugin, site_url=str(data.get("site_url") or ""), enabled=raw is not None
    )


def validated(raw: dict[str, Any], path: Path) -> MeshdocsConfig:
    """The plugin schema applied to ``raw``, as MkDocs applies it; the first failure as a ConfigError."""
    config = MeshdocsConfig(config_file_path=str(path))
    config.load_dict(raw)
    failed, _warnings = config.validate()
    if failed:
        key, exc = failed[0]
        raise ConfigError(f"{path}: plugins.meshdocs.{key}: {exc}")
    return config


def default_registries(given: Path | None = None) -> list[Path]:
    """Registries a design is checked against when none is named: the project's, else the embedded one.

    The project's are those its ``mkdocs.yml`` configures (that exist), else its ``catalog/models``.
    """
    if given is not None or Path(DEFAULT_CONFIG_NAME).is_file():
        loaded = read_config(given)
        configured = [p for p in map(loaded.base_dir.joinpath, loaded.plugin.registry) if p.is_dir()]
        if configured:
            return configured[:1]
    folder = Path("catalog/models")
    return [folder] if folder.is_dir() else [embedded_registry()]
