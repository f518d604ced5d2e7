"""Shared setup of the benchmark scripts: a throwaway database, Django, timing loops and table columns.

Nothing here imports Django at module level: the scripts import this module before Django reads
its settings (DATABASE_URL is pointed at the benchmark database first).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# Header and row of the per-page tables (pages.py, registration_list.py), after the page columns.
RESULT_HEADER = f"{'status':>6} {'median':>9} {'p95':>9} {'queries':>8} {'size':>8}  target"


# Database setup (before Django reads its settings) --------------------------------------------


def postgres_admin(url: str):
    """An autocommit connection to the server and database named in a PostgreSQL URL."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=parts.path.lstrip("/") or "postgres",
        autocommit=True,
    )


def prepare_database(bench_db: str, sqlite_file: Path) -> tuple[str, Callable[[], None]]:
    """Point DATABASE_URL at a fresh benchmark database; returns (description, cleanup).

    With a PostgreSQL DATABASE_URL, the database `bench_db` on that server (a leftover one is
    dropped first); without one, the SQLite file `sqlite_file`.
    """
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith(("postgres://", "postgresql://")):
        with postgres_admin(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_db}"))

        def drop():
            from django.db import connections

            connections.close_all()
            with postgres_admin(url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')

        return f"PostgreSQL ({parts.hostname}, database {bench_db})", drop
    if url:
        sys.exit("DATABASE_URL must be a PostgreSQL URL (or unset for a throwaway SQLite file).")
    sqlite_file.parent.mkdir(exist_ok=True)
    remove_sqlite(sqlite_file)
    os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    return f"SQLite ({sqlite_file.relative_to(ROOT)})", lambda: remove_sqlite(sqlite_file)


def remove_sqlite(sqlite_file: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)


@contextlib.contextmanager
def django_on_throwaway_database(bench_db: str, sqlite_file: Path, keep: bool) -> Iterator[str]:
    """Test settings on a fresh benchmark database, Django set up; yields the database's description.

    The database is dropped (or the SQLite file removed) on the way out, unless `keep`.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    where, cleanup = prepare_database(bench_db, sqlite_file)
    try:
        import django

        django.setup()
        yield where
    finally:
        if keep:
            print(f"\nKept the benchmark database: {os.environ['DATABASE_URL']}")
        else:
            cleanup()


# Measurement ----------------------------------------------------------------------------------


def timings_ms(fn: Callable[[], object], n: int, warm_up: int = 0) -> list[float]:
    """Wall times of `n` calls of `fn` in milliseconds, sorted, after `warm_up` untimed calls."""
    for _ in range(warm_up):
        fn()
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return timings


def p95(sorted_timings: list[float]) -> float:
    return sorted_timings[max(0, round(0.95 * len(sorted_timings)) - 1)]


def measure_page(client, url: str, n: int, warm_up: int) -> dict:
    """Status, size, median and p95 of `n` timed GETs of `url`, and the query count of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = timings_ms(lambda: client.get(url), n, warm_up)
    # Counted apart from the timed runs: capturing queries turns on the debug cursor.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "median": statistics.median(timings),
        "p95": p95(timings),
        "queries": len(queries),
    }


def result_columns(result: dict, verdict: str) -> str:
    """The columns under RESULT_HEADER for a result of `measure_page`."""
    return (
        f"{result['status']:>6} {result['median']:>7.1f}ms "
        f"{result['p95']:>7.1f}ms {result['queries']:>8} {result['bytes'] / 1024:>6.1f}kB  {verdict}"
    )
