"""The ``meshdocs`` command line: ``new``, ``build``, ``serve``, ``validate`` and the export commands.

A contract users' scripts depend on: commands and flags are only ever added. Every failure a user can
cause ends in a one-line message and exit status 1, never a traceback.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from meshdocs.diagnostics import Report, Severity
from meshdocs.validate import validate_paths

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _fail(message: str) -> NoReturn:
    click.echo(f"meshdocs: {message}", err=True)
    sys.exit(1)


def _registries_option(help: str) -> Any:
    """``--registry DIR``, repeatable, as every command that reads registries spells it."""
    return click.option(
        "--registry", "registries", multiple=True, type=click.Path(path_type=Path), metavar="DIR", help=help
    )


def _config_file_option(help: str) -> Any:
    """``--config-file/-f FILE``, as every command that reads mkdocs.yml spells it."""
    return click.option(
        "--config-file", "-f", type=click.Path(path_type=Path), default=None, metavar="FILE", help=help
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="meshdocs")
def cli() -> None:
    """Publish Meshery model registries and design catalogs as static documentation sites."""


def main() -> None:
    """The console script: any unexpected exception becomes one line and exit status 1."""
    try:
        cli()
    except Exception as exc:
        _internal_error(exc)


@cli.command()
@_registries_option("Registry folder to publish (repeatable); replaces the embedded registry.")
@click.option("--catalog", type=click.Path(path_type=Path), metavar="DIR", help="Catalog of designs.")
@click.option("--content", type=click.Path(path_type=Path), metavar="DIR", help="Hand-written pages.")
@click.option(
    "--site-dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Where to publish the built site (default: site_dir of mkdocs.yml, 'site').",
)
@click.option(
    "--keys",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Permission keys spreadsheet (CSV export) for the security key reference.",
)
@click.option(
    "--learning-paths",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Learning paths tree (learning path → course → module → page).",
)
@click.option(
    "--generate",
    "generate_sources",
    multiple=True,
    metavar="SOURCE",
    help="CRD file or folder, chart folder or .tgz, or an http(s) URL: generate a model and publish it.",
)
@click.option(
    "--docs-dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Where to generate the Markdown docs dir (default: generated_dir of mkdocs.yml, 'site_src').",
)
@_config_file_option("MkDocs configuration (default: ./mkdocs.yml, else the one shipped with meshdocs).")
@click.option("--strict", is_flag=True, help="Treat warnings as failures: exit 1 and publish nothing.")
@click.option("--include-ignored", is_flag=True, help="Also publish models and components marked ignored.")
@click.option(
    "--versions",
    type=click.Choice(["all", "newest"]),
    default=None,
    help="Publish every version of each model (all, the default) or only the newest.",
)
@click.option("--verbose", "-v", is_flag=True, help="Also print notices and MkDocs' progress.")
@click.option(
    "--full",
    is_flag=True,
    help="Render every page, even when the published site could be updated incrementally.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Processes rendering pages (default: every core).",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Also write the build report (pages, time per stage, problems per file) as JSON.",
)
def build(
    registries: tuple[Path, ...],
    catalog: Path | None,
    content: Path | None,
    site_dir: Path | None,
    keys: Path | None,
    learning_paths: Path | None,
    generate_sources: tuple[str, ...],
    docs_dir: Path | None,
    config_file: Path | None,
    strict: bool,
    include_ignored: bool,
    versions: str | None,
    verbose: bool,
    full: bool,
    jobs: int | None,
    report_file: Path | None,
) -> None:
    """Generate the docs and build the static site, swapping it in whole when it succeeded.

    When the published site in the site dir was built the same way (same nav, config, theme and
    versions), only pages whose Markdown changed are rendered; the rest is carried over.
    """
    from meshdocs.config import Overrides
    from meshdocs.session import BuildRequest, BuildSession

    cwd = Path.cwd()

    def here(path: Path | None) -> Path | None:
        return (cwd / path).resolve() if path else None

    _setup_logging(verbose)
    request = BuildRequest(
        config_file=config_file,
        overrides=Overrides(
            registries=tuple((cwd / r).resolve() for r in registries),
            catalog=here(catalog),
            content=here(content),
            docs_dir=here(docs_dir),
            keys=here(keys),
            learning_paths=here(learning_paths),
            generate=tuple(s if "://" in s else str((cwd / s).resolve()) for s in generate_sources),
            include_ignored=include_ignored,
            versions=versions,
        ),
        site_dir=site_dir,
        strict=strict,
        full=full,
        jobs=jobs,
        progress=False if verbose else None,  # None: on at a terminal
    )
    outcome = BuildSession(request).run()
    _print_report(outcome.report, verbose)
    if outcome.internal is not None:
        _internal_error(outcome.internal)
    if outcome.error or outcome.summary is None:
        _fail(outcome.error or "nothing was built")
    summary, report = outcome.summary, outcome.report
    for line in summary.lines():
        click.echo(line, err=True)
    if report_file is not None:
        try:
            report_file.write_text(summary.to_json(), encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write the build report to {report_file}: {exc.strerror or exc}")
    pages = summary.pages_by_kind
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(pages.items()))
    click.echo(
        f"Built {sum(pages.values()):,} pages ({kinds}) in {summary.seconds:.1f} s "
        f"with {report.errors} error(s), {report.warnings} warning(s) → {outcome.target}",
        err=True,
    )


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
def new(directory: Path) -> None:
    """Write a working meshdocs project into DIRECTORY (new or empty).

    mkdocs.yml with the plugin, docs/ for your pages, an example design in catalog/designs/, GitHub
    workflows that validate pull requests and publish to GitHub Pages, and a pre-commit configuration.
    """
    from meshdocs.writers.scaffold import ScaffoldError, new_project

    try:
        written = new_project(directory)
    except (ScaffoldError, OSError) as exc:
        _fail(str(exc))
    for rel in written:
        click.echo(f"  {directory / rel}")
    click.echo(f"Created {directory}: cd {directory} && meshdocs build (or meshdocs serve)", err=True)


@cli.command()
@_config_file_option("MkDocs configuration (default: ./mkdocs.yml).")
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", metavar="IP:PORT", help="Where to serve.")
def serve(config_file: Path | None, dev_addr: str) -> None:
    """Preview the site: rebuilt and reloaded in the browser when a design, model or page changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    path = config_file or Path("mkdocs.yml")
    if not path.is_file():
        _fail(f"{path} not found: run meshdocs serve in a project folder (meshdocs new DIR makes one)")
    _setup_logging(False)
    try:
        # Dirty: the plugin decides what each rebuild renders (only what changed), as `meshdocs build` does.
        mkdocs_serve(str(path), dev_addr=dev_addr, livereload=True, build_type="dirty")
    except (MkDocsException, OSError) as exc:
        _fail(f"serve failed: {exc}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    help="'github' prints GitHub Actions annotations.",
)
@_registries_option("Registry to check designs against (repeatable; default: the embedded catalog/models).")
@click.option("--verbose", "-v", is_flag=True, help="Also print notices (skipped files and the like).")
@click.option(
    "--strict", is_flag=True, help="Exit 1 on warnings too (what a pull request must fix before merging)."
)
def validate(
    paths: tuple[Path, ...], fmt: str, registries: tuple[Path, ...], verbose: bool, strict: bool
) -> None:
    """Check registry files, catalog entries, learning paths, keys CSVs and content pages.

    One line per problem, ``PATH:LINE: error|warning: field: message``; exit 1 on any error (an entry a
    build leaves out), and with --strict on any warning (an entry a build publishes as it can).
    """
    report = Report()
    validate_paths(list(paths), report, list(registries) or _default_registries())
    _print_report(report, verbose, fmt=fmt, stream_out=True)
    click.echo(f"{report.errors} error(s), {report.warnings} warning(s)", err=True)
    sys.exit(1 if report.errors or (strict and report.warnings) else 0)


def _internal_error(exc: BaseException) -> NoReturn:
    """Unexpected failures are bugs: one line for the user, the traceback only when asked for."""
    if os.environ.get("MESHDOCS_DEBUG"):
        raise exc
    _fail(
        f"internal error: {type(exc).__name__}: {exc} "
        "(nothing was published; set MESHDOCS_DEBUG=1 for details and please report it)"
    )


def _print_report(report: Report, verbose: bool, *, fmt: str = "text", stream_out: bool = False) -> None:
    for item in report.sorted():
        if item.severity is Severity.NOTICE and not verbose:
            continue
        line = item.format_github() if fmt == "github" else item.format()
        click.echo(line, err=not stream_out)


class _MkDocsFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<7} -  {record.getMessage()}"


def _setup_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if any(getattr(h, "_meshdocs", False) for h in logger.handlers):
        return
    handler: Any = logging.StreamHandler(sys.stderr)
    handler._meshdocs = True
    handler.setFormatter(_MkDocsFormatter())
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)


@cli.group()
def artifacthub() -> None:
    """Export the catalog as an Artifact Hub "Meshery designs" repository, and lint one."""


@artifacthub.command("export")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Folder to write the repository to (created; only files meshdocs wrote are replaced).",
)
@click.option("--catalog", type=click.Path(path_type=Path), metavar="DIR", help="Catalog of designs.")
@_registries_option("Registry the designs are checked against and take logos from (repeatable).")
@click.option(
    "--site-url",
    default=None,
    metavar="URL",
    help="Where the site is published, for links (default: site_url of mkdocs.yml).",
)
@_config_file_option("MkDocs configuration with the plugin's artifacthub settings.")
@click.option("--strict", is_flag=True, help="Exit 1 on any warning or error in the catalog.")
def artifacthub_export(
    out: Path,
    catalog: Path | None,
    registries: tuple[Path, ...],
    site_url: str | None,
    config_file: Path | None,
    strict: bool,
) -> None:
    """Write one package per design version: artifacthub-pkg.yml, design.yml, README.md, logo.svg."""
    from meshdocs.exports import export_artifacthub

    loaded = _loaded_config(config_file)
    options = loaded.options()
    report = Report()
    try:
        count = export_artifacthub(
            out=out,
            catalog=catalog or options.catalog,
            registries=list(registries) or options.registries,
            site_url=site_url if site_url is not None else loaded.site_url,
            config=loaded.plugin,
            report=report,
        )
    except (OSError, ValueError) as exc:
        _print_report(report, False)
        _fail(str(exc))
    _print_report(report, False)
    click.echo(
        f"Exported {count} package(s) to {out} with {report.errors} error(s), {report.warnings} warning(s)",
        err=True,
    )
    sys.exit(1 if strict and (report.errors or report.warnings) else 0)


@artifacthub.command("lint")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    help="'github' prints GitHub Actions annotations.",
)
def artifacthub_lint(path: Path, fmt: str) -> None:
    """Check a Meshery designs repository as Artifact Hub would; exit 1 on errors."""
    from meshdocs.checks.artifacthub_lint import lint_repository

    report = Report()
    count = lint_repository(path, report)
    _print_report(report, False, fmt=fmt, stream_out=True)
    click.echo(f"{count} package(s): {report.errors} error(s), {report.warnings} warning(s)", err=True)
    sys.exit(1 if report.errors else 0)


def _loaded_config(config_file: Path | None) -> Any:
    """The plugin's settings from mkdocs.yml (see meshdocs.config.read_config), or a one-line failure."""
    from meshdocs.config import ConfigError, read_config

    try:
        return read_config(config_file)
    except ConfigError as exc:
        _fail(str(exc))


def _default_registries() -> list[Path]:
    """The project's registry (its mkdocs.yml, else its catalog/models), else the embedded one."""
    from meshdocs.config import ConfigError, default_registries

    try:
        return default_registries()
    except ConfigError as exc:
        _fail(str(exc))


def _oci_client(ref: str, plain_http: bool, username: str | None, password_stdin: bool) -> Any:
    """The registry client every OCI command needs, with the password read from stdin when asked."""
    from meshdocs.oci.client import OciClient, Reference

    if password_stdin and not username:
        _fail("--password-stdin needs --username")
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else ""
    return OciClient(Reference.parse(ref), plain_http=plain_http, username=username or "", password=password)


def _oci_options(func: Any) -> Any:
    func = click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")(func)
    func = click.option("--username", "-u", default=None, help="Registry user name.")(func)
    return click.option("--plain-http", is_flag=True, help="Talk HTTP, not HTTPS (a local registry).")(func)


@cli.group()
def oci() -> None:
    """Push, pull and inspect designs and models as OCI artifacts."""


SIGNING_PASSWORD = "MESHDOCS_SIGNING_PASSWORD"
_KEY = click.Path(path_type=Path, dir_okay=False)

_VERIFY = click.option(
    "--verify",
    "key_path",
    type=_KEY,
    metavar="PUB",
    help="Refuse REF unless it is signed with the key of this cosign.pub (nothing is written then).",
)


def _signing_password(confirm: bool, stdin_taken: bool = False) -> bytes:
    """The private key's password: $MESHDOCS_SIGNING_PASSWORD, else $COSIGN_PASSWORD (as cosign reads it),
    else asked at the terminal."""
    for name in (SIGNING_PASSWORD, "COSIGN_PASSWORD"):
        if name in os.environ:
            return os.environ[name].encode("utf-8")
    if stdin_taken or not sys.stdin.isatty():
        _fail(f"no password for the signing key: set {SIGNING_PASSWORD} (no terminal to ask at)")
    text = click.prompt(
        "Password for the private key",
        hide_input=True,
        confirmation_prompt=confirm,
        default="",
        show_default=False,
        err=True,
    )
    return str(text).encode("utf-8")


def _private_key(path: Path, stdin_taken: bool) -> Any:
    """The signing key of a cosign.key file, or a one-line failure (a wrong password included)."""
    from meshdocs.oci.keys import SigningKeyError, load_private_key

    data = _read_key_file(path)
    try:
        return load_private_key(data, _signing_password(False, stdin_taken), str(path))
    except SigningKeyError as exc:
        _fail(str(exc))


def _public_key(path: Path) -> Any:
    from meshdocs.oci.keys import SigningKeyError, load_public_key

    try:
        return load_public_key(_read_key_file(path), str(path))
    except SigningKeyError as exc:
        _fail(str(exc))


def _read_key_file(path: Path) -> bytes:
    from meshdocs.oci.keys import MAX_KEY_FILE

    try:
        with path.open("rb") as handle:
            return handle.read(MAX_KEY_FILE + 1)
    except OSError as exc:
        _fail(f"cannot read the key {path}: {exc.strerror or exc}")


@oci.command("keygen")
@click.option(
    "--out",
    "out",
    default=".",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Folder for cosign.key and cosign.pub.",
)
@click.option("--force", is_flag=True, help="Replace cosign.key and cosign.pub if they exist.")
def oci_keygen(out: Path, force: bool) -> None:
    """Make an ECDSA P-256 signing key pair as cosign's own files: DIR/cosign.key and DIR/cosign.pub.

    The private key is encrypted with a password from $MESHDOCS_SIGNING_PASSWORD, or asked for twice.
    cosign reads both files (cosign sign --key cosign.key; cosign verify --key cosign.pub).
    """
    from meshdocs.oci.keys import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, generate_key_pair

    private_path, public_path = out / PRIVATE_KEY_FILE, out / PUBLIC_KEY_FILE
    existing = [str(p) for p in (private_path, public_path) if p.exists()]
    if existing and not force:
        _fail(f"{', '.join(existing)} already exist(s): pass --force to replace them")
    private, public = generate_key_pair(_signing_password(True))
    try:
        out.mkdir(parents=True, exist_ok=True)
        private_path.unlink(missing_ok=True)
        descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private)
        public_path.write_bytes(public)
    except OSError as exc:
        _fail(f"cannot write the key pair into {out}: {exc.strerror or exc}")
    click.echo(f"Private key written to {private_path} (keep it secret; mode 0600)", err=True)
    click.echo(f"Public key written to {public_path}", err=True)


@oci.command("sign")
@click.argument("ref")
@click.option("--key", "key_path", required=True, type=_KEY, metavar="KEY", help="cosign.key to sign with.")
@_oci_options
def oci_sign(ref: str, key_path: Path, plain_http: bool, username: str | None, password_stdin: bool) -> None:
    """Sign the artifact at REF with KEY, as cosign signs (REF:sha256-<digest>.sig)."""
    from meshdocs.oci.client import OciError
    from meshdocs.oci.signing import sign

    key = _private_key(key_path, password_stdin)
    try:
        signed = sign(_oci_client(ref, plain_http, username, password_stdin), key)
    except OciError as exc:
        _fail(str(exc))
    click.echo(signed.digest)
    state = "Signed" if signed.added else "Already signed by this key:"
    click.echo(f"{state} {ref} ({signed.digest}); signature at {signed.signature_ref}", err=True)


@oci.command("verify")
@click.argument("ref")
@click.option("--key", "key_path", required=True, type=_KEY, metavar="PUB", help="cosign.pub to check with.")
@_oci_options
def oci_verify(
    ref: str, key_path: Path, plain_http: bool, username: str | None, password_stdin: bool
) -> None:
    """Check that the artifact at REF carries a signature made with the private key of PUB."""
    from meshdocs.oci.client import OciError
    from meshdocs.oci.signing import verify

    key = _public_key(key_path)
    try:
        signed = verify(_oci_client(ref, plain_http, username, password_stdin), key)
    except OciError as exc:
        _fail(str(exc))
    click.echo(signed.digest)
    click.echo(f"Verified {ref} ({signed.digest}): signed with the key of {key_path}", err=True)


@oci.command("push")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("ref")
@click.option(
    "--sign", "key_path", type=_KEY, metavar="KEY", help="Sign what was pushed with this cosign.key."
)
@_oci_options
def oci_push(
    path: Path, ref: str, key_path: Path | None, plain_http: bool, username: str | None, password_stdin: bool
) -> None:
    """Push a catalog design folder or a registry model folder to REF (host/repository:tag)."""
    from meshdocs.oci.artifacts import ArtifactError, from_folder
    from meshdocs.oci.client import OciError
    from meshdocs.oci.signing import sign

    key = _private_key(key_path, password_stdin) if key_path else None  # a wrong password pushes nothing
    try:
        artifact = from_folder(path)
        client = _oci_client(ref, plain_http, username, password_stdin)
        digest = client.push(artifact)
        signed = sign(client, key, digest) if key is not None else None
    except (ArtifactError, OciError) as exc:
        _fail(str(exc))
    click.echo(digest)
    click.echo(f"Pushed {len(artifact.layers)} file(s) as {artifact.artifact_type} to {ref}", err=True)
    if signed is not None:
        click.echo(f"Signed {ref} ({digest}); signature at {signed.signature_ref}", err=True)


@oci.command("pull")
@click.argument("ref")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Folder to restore the files into.",
)
@_VERIFY
@_oci_options
def oci_pull(
    ref: str, out: Path, key_path: Path | None, plain_http: bool, username: str | None, password_stdin: bool
) -> None:
    """Pull REF and restore its folder, byte for byte, under DIR."""
    from meshdocs.oci.artifacts import ArtifactError, restore
    from meshdocs.oci.client import OciError

    key = _public_key(key_path) if key_path else None
    try:
        manifest, files = _pull(_oci_client(ref, plain_http, username, password_stdin), key)
        out.mkdir(parents=True, exist_ok=True)
        restore(files, out)
    except (ArtifactError, OciError, OSError) as exc:
        _fail(str(exc))
    click.echo(f"Pulled {len(files)} file(s) ({manifest.get('artifactType')}) into {out}", err=True)


def _pull(client: Any, key: Any, expected_type: str | None = None) -> Any:
    """What ``client`` points at; with a public ``key``, only once a signature by it is verified, and
    then the files of the manifest whose digest was verified (the tag is read once, never again)."""
    from meshdocs.oci.signing import verify

    if key is None:
        return client.pull(expected_type=expected_type)
    digest, manifest = client.resolve()
    verify(client, key, digest)
    return client.pull(expected_type=expected_type, manifest=manifest)


@oci.command("inspect")
@click.argument("ref")
@_oci_options
def oci_inspect(ref: str, plain_http: bool, username: str | None, password_stdin: bool) -> None:
    """Print REF's artifact type, annotations and layers as JSON."""
    from meshdocs.oci.client import OciError, describe, dumps

    try:
        click.echo(dumps(describe(_oci_client(ref, plain_http, username, password_stdin).manifest())))
    except OciError as exc:
        _fail(str(exc))


@cli.group()
def model() -> None:
    """Move a model as one file or one OCI artifact."""


@model.command("export")
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tar", "oci"]),
    default="tar",
    help="'tar': the model folder; 'oci': an OCI image layout in a tar.",
)
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), metavar="FILE")
@_registries_option("Registry to find the model in (repeatable; default: the embedded catalog/models).")
def model_export(name: str, fmt: str, out: Path, registries: tuple[Path, ...]) -> None:
    """Write model NAME (a folder of the registry) to FILE."""
    from meshdocs.oci.archive import export_layout, export_tar
    from meshdocs.oci.artifacts import ArtifactError, from_folder

    roots = list(registries) or _default_registries()
    folder = next((root / name for root in roots if (root / name).is_dir()), None)
    if folder is None or "/" in name or name in (".", ".."):
        _fail(f"model '{name}' not found in {', '.join(str(r) for r in roots)}")
    try:
        if fmt == "tar":
            count = export_tar(folder, name, out)
        else:
            artifact = from_folder(folder)
            export_layout(
                artifact, artifact.annotations.get("org.opencontainers.image.version", "latest"), out
            )
            count = len(artifact.layers)
    except (ArtifactError, OSError) as exc:
        _fail(str(exc))
    click.echo(f"Exported model '{name}' ({count} file(s)) to {out} as {fmt}", err=True)


@model.command("import")
@click.argument("source")
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Registry folder to land the model in.",
)
@_VERIFY
@_oci_options
def model_import(
    source: str,
    into: Path,
    key_path: Path | None,
    plain_http: bool,
    username: str | None,
    password_stdin: bool,
) -> None:
    """Import a model from a tar, an OCI layout tar, or a registry REF into DIR."""
    from meshdocs.oci.archive import LAYOUT, import_model, layout_model, read_archive
    from meshdocs.oci.artifacts import MODEL, ArtifactError, restore
    from meshdocs.oci.client import OciError

    key = _public_key(key_path) if key_path else None
    try:
        path = Path(source)
        if path.is_file() and key is not None:
            _fail(f"--verify checks a registry reference; {path} is a local archive with no signature")
        if path.is_file():
            files = read_archive(path)
            if LAYOUT in files:
                manifest, titled = layout_model(files)
                target = import_model(manifest, titled, into)
            else:
                if not any(re.search(r"(^|/)v1\.0\.0/model\.(json|ya?ml)$", name) for name in files):
                    _fail(f"{path} holds no model: expected <model>/<version>/v1.0.0/model.json inside")
                restore(sorted(files.items()), into)
                target = into
        elif (
            source.endswith((".tar", ".tgz", ".tar.gz"))
            or source.startswith((".", "/", "~"))
            or "/" not in source
        ):
            _fail(f"no such file: {source} (expected a model archive, or a registry reference host/repo:tag)")
        else:
            client = _oci_client(source, plain_http, username, password_stdin)
            manifest, titled = _pull(client, key, expected_type=MODEL)
            target = import_model(manifest, titled, into)
    except (ArtifactError, OciError, OSError) as exc:
        _fail(str(exc))
    click.echo(f"Imported the model into {target}", err=True)


@model.command("generate")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Registry folder to write <model>/<version>/v1.0.0/ into.",
)
@click.option(
    "--model", "name", default=None, help="Model name (default: the chart's name, else the API group)."
)
@click.option("--display-name", default=None, help="Model title (default: from the name).")
@click.option("--category", default=None, help="Registry category (default: Uncategorized).")
@click.option("--sub-category", default=None, help="Registry sub-category (default: Uncategorized).")
@click.option("--version", "version", default=None, help="Upstream version (default: the chart's version).")
def model_generate(
    sources: tuple[str, ...],
    out: Path,
    name: str | None,
    display_name: str | None,
    category: str | None,
    sub_category: str | None,
    version: str | None,
) -> None:
    """Generate a model from CRD files, manifests, chart folders, .tgz charts or http(s) URLs of them."""
    from meshdocs.loaders.fetch import FetchError
    from meshdocs.model_generator import generate_model

    report = Report()
    try:
        result = generate_model(
            list(sources),
            out,
            report,
            name=name,
            display_name=display_name,
            category=category,
            sub_category=sub_category,
            version=version,
        )
    except (FetchError, ValueError, OSError) as exc:
        _print_report(report, False)
        _fail(str(exc))
    _print_report(report, False)
    scan = result.scan
    ignored = ", ".join(f"{n} {k}" for k, n in scan.ignored.items()) or "none"
    click.echo(
        f"Generated model '{result.settings.name}' {result.settings.version}: "
        f"{len(scan.versions)} component(s); "
        f"{result.stats.written} file(s) written, {result.stats.unchanged} unchanged; ordinary resources "
        f"ignored: {ignored}; template blocks skipped: {len(scan.skipped)}",
        err=True,
    )


@cli.group()
def design() -> None:
    """Make designs from Kubernetes manifests, and pictures of them."""


@design.command("import")
@click.argument("sources", nargs=-1, required=True)
@_registries_option("Registry to resolve kinds against (repeatable; default: the project's, else embedded).")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Catalog entry folder to write (default: catalog/designs/<name>).",
)
@click.option("--name", default="", help="The design's name (default: its Namespace or first workload).")
def design_import(
    sources: tuple[str, ...], registries: tuple[Path, ...], out: Path | None, name: str
) -> None:
    """Write design.yml and a catalog.yml skeleton from manifests: files, folders, '-' or http(s) URLs.

    Every object becomes a component resolved against the registry; relationships are inferred from
    what the objects say (selectors, references by name, namespaces). Helm charts are refused: render
    them first with `helm template NAME CHART | meshdocs design import -`.
    """
    from meshdocs.design_import import DesignImportError, build, default_folder, read_resources, write_entry
    from meshdocs.loaders.registry import LoadOptions, load_registry

    report = Report()
    try:
        registry = load_registry(list(registries) or _default_registries(), Report(), LoadOptions())
        imported = build(read_resources(list(sources), report), registry, report, name)
        target = out or default_folder(imported)
        written = write_entry(imported, target)
    except (DesignImportError, OSError) as exc:
        _print_report(report, False)
        _fail(str(exc))
    _print_report(report, False)
    for path in written:
        click.echo(f"  {path}")
    rules: dict[str, int] = {}
    for rel in imported.relationships:
        rules[f"{rel.kind}/{rel.type}/{rel.sub_type}"] = (
            rules.get(f"{rel.kind}/{rel.type}/{rel.sub_type}", 0) + 1
        )
    summary = ", ".join(f"{n} {k}" for k, n in sorted(rules.items())) or "none"
    click.echo(
        f"Imported {len(imported.components)} component(s) into {target}; relationships inferred: {summary}. "
        f"Next: fill in catalog.yml, then meshdocs validate --strict {target}",
        err=True,
    )


@design.command("snapshot")
@click.argument("sources", nargs=-1, required=True)
@_registries_option("Registry for kinds and icons (repeatable; default: the project's, else embedded).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False), metavar="FILE")
@click.option("--title", default="", help="The picture's title (default: the design's name).")
def design_snapshot(sources: tuple[str, ...], registries: tuple[Path, ...], out: Path, title: str) -> None:
    """Draw the topology of a design file, or of manifests (as `design import` reads them), as one SVG."""
    from meshdocs.design_import import DesignImportError, snapshot
    from meshdocs.layout.dot import LayoutError
    from meshdocs.loaders.registry import LoadOptions, load_registry

    report = Report()
    try:
        registry = load_registry(list(registries) or _default_registries(), Report(), LoadOptions())
        svg = snapshot(list(sources), registry, report, title)
        out.write_text(svg + "\n", encoding="utf-8")
    except (DesignImportError, LayoutError, OSError) as exc:
        _print_report(report, False)
        _fail(str(exc))
    _print_report(report, False)
    click.echo(f"Wrote {out}", err=True)


@cli.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", help="Output format."
)
@click.option("--fail-on-breaking", is_flag=True, help="Exit 3 when any change is breaking.")
def diff(old: Path, new: Path, fmt: str, fail_on_breaking: bool) -> None:
    """Compare two registry folders, model folders or model-version folders (<model>/<version>).

    Components and relationships added or removed, and every schema change classified breaking or
    compatible with its dotted path. Exit 0, or 3 with --fail-on-breaking when something breaks.
    """
    from meshdocs.registry_diff import diff_registries, read_side, render

    report = Report()
    try:
        result = diff_registries(read_side(old, report), read_side(new, report))
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    click.echo(render(result, fmt))
    sys.exit(3 if fail_on_breaking and result.breaking else 0)
