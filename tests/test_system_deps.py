"""`make test` installs the Debian programs the suite runs (`make system-deps`), and only what is missing.

The list is tests/system-packages.txt; scripts/system-deps.sh installs from it and tests/programs.py looks
programs up in it, so a test can only ask for a program the installer knows.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from .conftest import REPO
from .programs import LIST, TARGET, find, listed, require

SCRIPT = REPO / "scripts" / "system-deps.sh"
BASH = "/bin/bash"


def run_script(
    list_path: Path, env: dict[str, str], prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, BASH, str(SCRIPT), str(list_path)], env=env, capture_output=True, text=True, timeout=60
    )


def test_every_listed_program_is_installed_by_make_test() -> None:
    missing = [p.program for p in listed().values() if find(p) is None]
    assert missing == [], f"not installed: {missing}; `{TARGET}` should have installed them"


def test_every_program_a_test_requires_is_in_the_list() -> None:
    asked = set()
    for test in (REPO / "tests").glob("*.py"):
        asked |= set(re.findall(r"\brequire\(\"([\w.-]+)\"\)", test.read_text(encoding="utf-8")))
    assert {"docker-registry", "htpasswd", "chromium", "node"} <= asked
    assert asked <= set(listed()), f"required but not listed in {LIST.name}: {asked - set(listed())}"


def test_make_test_reaches_the_installer_and_ci_calls_only_make_test() -> None:
    plan = subprocess.run(["make", "-n", "test"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "scripts/system-deps.sh tests/system-packages.txt" in plan
    ci = [
        line
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ci[-1] == "exec make test" and not any("apt" in line for line in ci)


def test_nothing_missing_installs_nothing_and_says_nothing(tmp_path: Path) -> None:
    """Present programs are never reinstalled: no apt-get (PATH holds none), no output."""
    listing = tmp_path / "list.txt"
    listing.write_text(f"# comment\n\n{BASH}  bash  the shell itself\n")
    done = run_script(listing, {"PATH": str(tmp_path / "empty")})
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_missing_program_without_apt_is_one_clear_line(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(f"{BASH}  bash  present\n/nonexistent/meshdocs-probe  meshdocs-probe  a test\n")
    done = run_script(listing, {"PATH": str(tmp_path / "empty")})
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("system-deps: apt-get is not available:")
    assert "'meshdocs-probe'" in done.stderr and "/nonexistent/meshdocs-probe" in done.stderr


def test_not_root_without_sudo_is_one_clear_line() -> None:
    """apt-get is there but we are not root and there is no sudo: say so before touching anything.

    As root, the script runs as ``nobody`` (setpriv), so its files live in a folder anyone may read.
    """
    with tempfile.TemporaryDirectory(prefix="meshdocs-system-deps-") as folder:
        shared = Path(folder)
        shared.chmod(0o755)
        bin_dir = shared / "bin"
        bin_dir.mkdir()
        (bin_dir / "apt-get").symlink_to("/bin/false")
        listing = shared / "list.txt"
        listing.write_text("/nonexistent/meshdocs-probe  meshdocs-probe  a test\n")
        listing.chmod(0o644)
        prefix: tuple[str, ...] = ()
        if os.geteuid() == 0:
            prefix = ("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
        done = run_script(listing, {"PATH": str(bin_dir)}, prefix)
    assert done.returncode == 1
    assert done.stderr == "system-deps: not root and no sudo: run as root to install 'meshdocs-probe'\n"
    policy = Path("/usr/sbin/policy-rc.d")
    assert not policy.exists() or "meshdocs system-deps" not in policy.read_text()


def test_a_list_line_without_a_package_is_refused(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("/nonexistent/meshdocs-probe\n")
    done = run_script(listing, {"PATH": str(tmp_path / "empty")})
    assert done.returncode == 1
    assert done.stderr == f"system-deps: {listing}: '/nonexistent/meshdocs-probe' names no Debian package\n"


def test_a_missing_program_fails_its_test_naming_the_make_target(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("/nonexistent/meshdocs-probe  meshdocs-probe  the probe tests\n")
    with pytest.raises(pytest.fail.Exception) as failed:
        require("meshdocs-probe", listing)
    message = str(failed.value)
    assert "/nonexistent/meshdocs-probe is not installed (Debian package meshdocs-probe" in message
    assert "`make system-deps` installs it" in message


def test_a_listed_program_is_found_where_the_tests_look(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(f"{BASH}  bash  the shell\nsh  dash  a bare name, on PATH\n")
    assert require("bash", listing) == BASH
    assert require("sh", listing).endswith("/sh")
