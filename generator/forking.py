"""Forked worker processes, the one way meshdocs uses more than one core.

Both pools (component pages rendered from the model, and MkDocs' pages rendered from Markdown) fork:
workers inherit everything already loaded, nothing is pickled on the way in, and each hands back one
pickled payload through a pipe. A worker dies with its parent, so a killed build leaves no process
writing into a staging folder that has been swept away.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


class WorkerFailed(Exception):
    """A worker process ended without handing back its result."""


@dataclass
class Forked:
    """The outcome of :func:`fork_shares` in one process: which share it runs, and its pipe(s)."""

    share: int = 0  # 0 in the parent
    children: list[tuple[int, int]] = field(default_factory=list)  # parent only: (pid, read end)
    pipe: int = -1  # worker only: write end

    @property
    def is_worker(self) -> bool:
        return self.share != 0


def fork_shares(shares: int) -> Forked:
    """Fork ``shares - 1`` workers; returns in every process, telling it which share (1..) it is."""
    children: list[tuple[int, int]] = []
    for share in range(1, shares):
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _die_with(parent)
            os.close(read_end)
            for _pid, fd in children:
                os.close(fd)
            return Forked(share=share, pipe=write_end)
        os.close(write_end)
        children.append((pid, read_end))
    return Forked(children=children)


def send_and_exit(forked: Forked, payload: Any, code: int = 0) -> NoReturn:
    """In a worker: hand ``payload`` to the parent and end the process (no clean-up of the parent's)."""
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(forked.pipe, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(code)


def gather(forked: Forked) -> list[tuple[Any, int]]:
    """In the parent: each worker's payload (``None`` if none or unreadable) and exit status."""
    results: list[tuple[Any, int]] = []
    for pid, fd in forked.children:
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(pid, 0)
        try:
            payload = pickle.loads(data) if data else None
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            payload = None
        results.append((payload, os.waitstatus_to_exitcode(status)))
    forked.children = []
    return results


def fork_map(func: Callable[[int], T], count: int, jobs: int) -> list[T]:
    """``[func(i) for i in range(count)]`` on ``jobs`` processes (the parent is one), in order.

    Items are dealt round-robin, so shares stay even when item costs grow along the list.
    """
    jobs = max(1, min(jobs, count))
    forked = fork_shares(jobs)
    mine = range(forked.share, count, jobs)
    if forked.is_worker:
        try:
            results = [func(i) for i in mine]
        except BaseException as exc:  # reported by the parent, which fails the build
            send_and_exit(forked, ("error", f"{type(exc).__name__}: {exc}"), 1)
        send_and_exit(forked, ("ok", results))
    out: list[Any] = [None] * count
    for i in mine:
        out[i] = func(i)
    problems = []
    for share, (payload, status) in enumerate(gather(forked), start=1):
        if not isinstance(payload, tuple) or payload[0] != "ok" or status != 0:
            problems.append(payload[1] if isinstance(payload, tuple) else f"exit status {status}")
            continue
        for i, result in zip(range(share, count, jobs), payload[1], strict=True):
            out[i] = result
    if problems:
        raise WorkerFailed("a worker failed: " + "; ".join(problems))
    return out


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this worker when its parent dies (Linux), or exit if that already happened."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)
