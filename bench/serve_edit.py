"""Time ``meshdocs serve``: from saving an input file to the served page showing the change.

run.py uses this after the rebuilds of a row (``--no-serve`` skips it): it writes the row's MkDocs
configuration (:func:`write_site_config`), starts ``meshdocs serve`` on a free port of 127.0.0.1
(:class:`Server`), waits for the initial build (the first page served), then saves one edited file at a time
and polls the page that shows it every 0.05 s until it does (:meth:`Server.time_edit`). Standard library only;
the project's ``mkdocs.yml`` is read by the build's interpreter (PyYAML comes with MkDocs).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLL = 0.05  # seconds between two requests for the page
# No proxy for 127.0.0.1, whatever the environment says.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Read with the build's interpreter: the project's mkdocs.yml as JSON (which is YAML too).
_YAML_TO_JSON = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], 'rb'))))"


class ServeError(Exception):
    """meshdocs serve did not come up, or went away."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_site_config(
    python: str,
    path: Path,
    *,
    registries: list[Path],
    catalog: Path,
    learning_paths: Path,
    generated_dir: Path,
    site_dir: Path,
    versions: str,
) -> Path:
    """The project's mkdocs.yml with absolute paths and the plugin's inputs pointing at the row's copies.

    Like tests/conftest.py's write_config: content and the keys file are read in place (nothing edits
    them); the registries, the catalog and the learning paths are the row's copies, as in its builds.
    """
    source = REPO / "mkdocs.yml"
    out = subprocess.run([python, "-c", _YAML_TO_JSON, str(source)], capture_output=True, text=True)
    if out.returncode != 0:
        raise ServeError(f"could not read {source}: {out.stderr.strip()[-300:]}")
    config = json.loads(out.stdout)
    config["docs_dir"] = str(REPO / config["docs_dir"])
    config["site_dir"] = str(site_dir)
    theme = config.get("theme") or {}
    if theme.get("custom_dir"):
        theme["custom_dir"] = str(REPO / theme["custom_dir"])
    found = False
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "meshdocs" in plugin:
            opts = plugin["meshdocs"] = dict(plugin["meshdocs"] or {})
            for key in ("content", "keys_file"):
                if opts.get(key):
                    opts[key] = str(REPO / opts[key])
            opts["registry"] = [str(r) for r in registries]
            opts["catalog"] = str(catalog)
            opts["learning_paths"] = str(learning_paths)
            opts["generated_dir"] = str(generated_dir)
            opts["versions"] = versions
            found = True
    if not found:
        raise ServeError(f"{source} has no meshdocs plugin entry")
    path.write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    return path


def fetch(url: str, timeout: float) -> tuple[int | None, str]:
    """Status and text of one GET; ``None`` when nothing answered (not listening yet, reset, timeout)."""
    try:
        with _OPENER.open(url, timeout=max(timeout, 0.1)) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return None, ""


class Server:
    """One ``meshdocs serve`` in its own process group, its output in ``log``."""

    def __init__(self, cmd: list[str], cwd: Path, log: Path, tmp: Path) -> None:
        self.cmd, self.cwd, self.log, self.tmp = cmd, cwd, log, tmp
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.peak_rss_mb: float | None = None
        self.exit: int | None = None  # set when serve exited by itself, before it was stopped

    def start(self) -> None:
        # MkDocs serves from a temporary site dir it removes on Ctrl-C; TMPDIR keeps it in the row's work
        # folder, so nothing is left in /tmp even when serve has to be killed.
        self.tmp.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TMPDIR=str(self.tmp))
        with self.log.open("wb") as out:
            self.started = time.perf_counter()
            self.proc = subprocess.Popen(
                self.cmd, cwd=self.cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def _alive(self) -> None:
        assert self.proc is not None
        code = self.proc.poll()
        if code is not None:
            self.exit = code
            raise ServeError(f"meshdocs serve exited {code} ({self.tail()})")

    def tail(self, lines: int = 5) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return " | ".join(line.strip() for line in text[-lines:])

    def wait_served(self, url: str, timeout: float) -> float:
        """Seconds from start until ``url`` answers 200: serve has done its initial build."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            self._alive()
            status, _text = fetch(url, deadline - time.perf_counter())
            if status == 200:
                return time.perf_counter() - self.started
            time.sleep(POLL)
        raise ServeError(f"{url} not served within {timeout:.0f} s ({self.tail()})")

    def time_edit(
        self, path: Path, content: str, url: str, texts: tuple[str, ...], timeout: float
    ) -> tuple[float | None, str]:
        """Save ``content`` to ``path``; seconds until ``url`` shows any of ``texts``, or why not."""
        status, before = fetch(url, timeout)
        if status != 200:
            return None, f"{url} answered {status} before the edit"
        if any(t in before for t in texts):
            return None, f"{url} already showed the edited text before the edit"
        path.write_text(content, encoding="utf-8")
        saved = time.perf_counter()
        deadline = saved + timeout
        while time.perf_counter() < deadline:
            self._alive()
            # A request made while serve rebuilds waits for the rebuild (MkDocs holds it), so the first
            # answer with the text comes once the whole site is rebuilt.
            status, text = fetch(url, deadline - time.perf_counter())
            if status == 200 and any(t in text for t in texts):
                return time.perf_counter() - saved, ""
            time.sleep(POLL)
        return None, f"not shown at {url} within {timeout:.0f} s"

    def stop(self) -> None:
        """Ctrl-C to the process group (serve removes its temporary site), then kill what is left."""
        proc = self.proc
        if proc is None:
            return
        self.peak_rss_mb = _peak_rss_mb(proc.pid)
        if proc.poll() is None:
            for sig, wait in ((signal.SIGINT, 30), (signal.SIGKILL, 10)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue


def _peak_rss_mb(pid: int) -> float | None:
    """VmHWM of the serve process (MkDocs serves and rebuilds in that one process)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return None


def page_url(base: str, page: str) -> str:
    """The URL of a site-relative ``.../index.html`` (directory URLs, as the project's mkdocs.yml has)."""
    if page.endswith("index.html"):
        page = page[: -len("index.html")]
    return base + page
