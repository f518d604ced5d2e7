"""Helpers for concurrency tests: run calls on parallel database connections, watch an invariant."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest
from django.db import connection, connections

from tests.factories import OrganizationFactory

THREAD_TIMEOUT = 60  # seconds; a thread still running after this is a hang, not a slow machine


@dataclass
class Concurrent:
    results: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def failures(self) -> list[BaseException]:
        return [e for e in self.errors if e is not None]


def run_at_once(fn: Callable, calls: Sequence[tuple]) -> Concurrent:
    """Call fn(*args) for every args in calls, each on its own thread and database connection.

    Every thread opens its connection first and then waits at a barrier, so the calls race for
    the database rather than for a connection. Each thread closes its connection at the end.
    """
    n = len(calls)
    barrier = threading.Barrier(n)
    outcome = Concurrent(results=[None] * n, errors=[None] * n)

    def worker(i: int, args: tuple) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=THREAD_TIMEOUT)
            outcome.results[i] = fn(*args)
        except BaseException as exc:  # reported to the test, which asserts there is none
            outcome.errors[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, args), daemon=True) for i, args in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=THREAD_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a concurrent call did not finish in time"
    return outcome


class Watcher:
    """Samples a number on its own connection while something runs; keeps the highest seen."""

    def __init__(self, measure: Callable[[], int]):
        self.measure = measure
        self.highest = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self.highest = max(self.highest, self.measure())
                self.samples += 1
        finally:
            connections.close_all()

    def __enter__(self) -> Watcher:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=THREAD_TIMEOUT)
        self.highest = max(self.highest, self.measure())


@pytest.fixture
def postgres_only(transactional_db):
    """Real row locks and parallel connections need PostgreSQL; SQLite tests share one in-memory DB."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency tests need PostgreSQL (set DATABASE_URL=postgres://...); "
            f"this run uses {connection.vendor}"
        )


# Two ministries invited in the agency-invitation tests.
@pytest.fixture
def kemlu(db):
    return OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")


@pytest.fixture
def kkp(db):
    return OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
