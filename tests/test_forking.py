"""One forking helper for both pools: results in order as a loop gives them, failures said, no leftovers."""

from __future__ import annotations

import os

import pytest

from meshdocs.forking import WorkerFailed, fork_map, fork_shares, gather, send_and_exit


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize(("count", "jobs"), [(0, 4), (1, 4), (7, 3), (50, 4), (5, 1)])
def test_fork_map_gives_what_a_loop_gives_in_the_same_order(count: int, jobs: int) -> None:
    def square(i: int) -> tuple[int, int]:
        return i * i, os.getpid()

    results = fork_map(square, count, jobs)
    assert [r[0] for r in results] == [i * i for i in range(count)]
    assert len({r[1] for r in results}) == min(jobs, count)  # every process took a share
    assert _no_children_left()


def test_a_failing_worker_fails_the_map_with_its_reason() -> None:
    parent = os.getpid()

    def fails_in_a_worker(i: int) -> int:
        if os.getpid() != parent and i == 3:
            raise ValueError("item 3 is broken")
        return i

    with pytest.raises(WorkerFailed, match="ValueError: item 3 is broken"):
        fork_map(fails_in_a_worker, 8, 4)
    assert _no_children_left()


def test_a_worker_that_dies_without_a_word_is_reported() -> None:
    forked = fork_shares(2)
    if forked.is_worker:
        os._exit(3)
    [(payload, status)] = gather(forked)
    assert payload is None and status == 3
    assert _no_children_left()


def test_workers_hand_back_any_picklable_payload() -> None:
    forked = fork_shares(3)
    if forked.is_worker:
        send_and_exit(forked, {"share": forked.share, "pid": os.getpid()})
    results = gather(forked)
    assert [(p["share"], status) for p, status in results] == [(1, 0), (2, 0)]
    assert len({p["pid"] for p, _ in results}) == 2
