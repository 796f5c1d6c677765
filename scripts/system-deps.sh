#!/usr/bin/env bash
# Installs the Debian packages whose programs a list names and this machine lacks (`make system-deps`).
#
#   scripts/system-deps.sh [LIST]      LIST defaults to tests/system-packages.txt
#
# Only what is missing is installed; with everything present, nothing runs and nothing is printed. apt-get
# runs as root, through sudo when we are not root. Packages that ship a service (docker-registry starts a
# registry on :5000 on every interface) are installed with a policy-rc.d that forbids starting services, and
# any such service that starts anyway is stopped and disabled: the tests start their own servers, on
# 127.0.0.1, never these. Any failure is one line on stderr, naming what is missing and why, and exit 1.
#
# The check uses shell builtins only, so it runs (and fails clearly) even where PATH holds nothing.
set -uo pipefail

here="${BASH_SOURCE[0]%/*}"
[ "$here" = "${BASH_SOURCE[0]}" ] && here=.
list="${1:-$here/../tests/system-packages.txt}"
me="system-deps"

fail() {
    printf '%s: %s\n' "$me" "$*" >&2
    exit 1
}

[ -r "$list" ] || fail "cannot read the package list $list"

present() {
    case "$1" in
        */*) [ -x "$1" ] ;;
        *) command -v "$1" >/dev/null 2>&1 ;;
    esac
}

missing_programs=()
missing_packages=()
while read -r program package _; do
    case "$program" in '' | '#'*) continue ;; esac
    [ -n "$package" ] || fail "$list: '$program' names no Debian package"
    if ! present "$program"; then
        missing_programs+=("$program")
        case " ${missing_packages[*]} " in
            *" $package "*) ;;
            *) missing_packages+=("$package") ;;
        esac
    fi
done <"$list"

[ "${#missing_packages[@]}" -eq 0 ] && exit 0

wanted="${missing_packages[*]}"
command -v apt-get >/dev/null 2>&1 \
    || fail "apt-get is not available: install the Debian packages '$wanted' (for ${missing_programs[*]}) by other means"

sudo=()
if [ "$EUID" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "not root and no sudo: run as root to install '$wanted'"
    sudo=(sudo)
    # In CI nobody can answer a password prompt: fail at once instead of waiting.
    [ -n "${CI:-}" ] && sudo+=(-n)
fi

echo "$me: installing Debian packages: $wanted" >&2

log="$(mktemp "${TMPDIR:-/tmp}/system-deps.XXXXXX")"
policy=/usr/sbin/policy-rc.d
made_policy=""
cleanup() {
    if [ -n "$made_policy" ]; then
        "${sudo[@]}" rm -f "$policy"
    fi
    rm -f "$log"
}
trap cleanup EXIT

if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# meshdocs system-deps: no service starts while packages install\nexit 101\n' \
        | "${sudo[@]}" tee "$policy" >/dev/null && "${sudo[@]}" chmod 0755 "$policy" \
        || fail "cannot write $policy (services would start on install)"
    made_policy=1
fi

apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -q)
if ! { "${apt[@]}" update >>"$log" 2>&1 \
        && "${apt[@]}" install -y --no-install-recommends "${missing_packages[@]}" >>"$log" 2>&1; }; then
    reason="$(grep -E '^(E|Err):' "$log" | tail -n 1)"
    [ -n "$reason" ] || reason="$(tail -n 1 "$log")"
    fail "apt-get could not install '$wanted': ${reason:-no output}"
fi

# Services the packages may have started or enabled in spite of the policy: stop and disable them.
for package in "${missing_packages[@]}"; do
    [ -e "/etc/init.d/$package" ] || [ -e "/lib/systemd/system/$package.service" ] || continue
    if [ -d /run/systemd/system ]; then
        "${sudo[@]}" systemctl disable --now "$package.service" >/dev/null 2>&1
    fi
    if command -v service >/dev/null 2>&1; then
        "${sudo[@]}" service "$package" stop >/dev/null 2>&1
    fi
    if command -v update-rc.d >/dev/null 2>&1; then
        "${sudo[@]}" update-rc.d "$package" disable >/dev/null 2>&1
    fi
done

still=()
for program in "${missing_programs[@]}"; do
    present "$program" || still+=("$program")
done
[ "${#still[@]}" -eq 0 ] || fail "installed '$wanted' but ${still[*]} is still missing"
echo "$me: installed $wanted" >&2
