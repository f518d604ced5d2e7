"""Zoom report benchmark: a 2,000-row participants report (about 800 people) imported as attendance.

Run from the repository root:

    .venv/bin/python benchmarks/zoom_report.py                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/zoom_report.py

Seeds a held two-day hybrid meeting with a Zoom room and 800 confirmed online registrations, and
puts on the fake Zoom server (tests/zoomfake.py, the real zoomus client talking to it over HTTP)
a report of 2,000 joins of the first day: most people join two or three times, some from two
devices at once. Half the people carry their Zoom registrant id, a quarter are known by email
only, an eighth by name only ("Name - Agency"), and an eighth are devices nobody can match.
Times `import_report` (fetch every page, upsert, match, merge into attendance) on a fresh import
each run, and a re-import of the same report (every row known, nothing changes), with rows per
second and the number of queries (and of writes among them) and of API calls of each. The
re-import is checked to be idempotent: the stored rows and attendances (their ids included) are
the same before and after, and it reports no new row; the script exits non-zero otherwise.
Target: a fresh import under 3 s; the query count independent of the number of rows (but for
the bulk writes' batches).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock
import warnings
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not this folder itself (sys.path[0] when run as a script): its calendar.py would hide the
# standard library's, which requests needs.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

from benchmarks.common import django_on_throwaway_database  # noqa: E402  (needs ROOT on sys.path)

BENCH_DB = "sinergi_bench_zoom_report"
SQLITE_FILE = ROOT / "var" / "bench-zoom-report.sqlite3"
TARGET_MS = 3000.0
PEOPLE, ROWS = 800, 2000
ZOOM_ID = "81234567890"
AGENCIES = ["Kemnaker", "BP2MI", "Kemlu", "KKP", "Kemenhub", "Polri", "Imigrasi"]
FIRST_NAMES = ["Ani", "Bayu", "Cici", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kartika"]
LAST_NAMES = ["Pratama", "Wulandari", "Lestari", "Santoso", "Sartika", "Nugroho", "Siregar", "Wenda"]


def seed():
    """The meeting and its 800 registrations; returns (meeting, report rows)."""
    from django.db import transaction

    from meetings.models import Meeting, MeetingDay, OnlineRoom
    from participants.models import Registration

    with transaction.atomic():
        meeting = Meeting.objects.create(
            title="FGD Pengawasan P3MI: Sinergi dan Koordinasi Multi Stakeholder",
            status=Meeting.Status.HELD,
            mode=Meeting.Mode.HYBRID,
            starts_on=date(2031, 9, 22),
            ends_on=date(2031, 9, 23),
        )
        for n in range(2):
            MeetingDay.objects.create(
                meeting=meeting, date=date(2031, 9, 22 + n), start_time=dtime(9), end_time=dtime(15)
            )
        OnlineRoom.objects.create(meeting=meeting, provider="zoom", provider_id=ZOOM_ID)
        registrations = Registration.objects.bulk_create(
            Registration(
                meeting=meeting,
                full_name=f"{FIRST_NAMES[i % 11]} {LAST_NAMES[(i // 11) % 8]} {i:03d}",
                email=f"peserta{i:03d}@example.test",
                organization_name=AGENCIES[i % len(AGENCIES)],
                mode=Registration.Mode.ONLINE,
                state=Registration.State.CONFIRMED,
                zoom_registrant_id=f"reg-{i:03d}" if i % 2 == 0 else "",
            )
            for i in range(PEOPLE)
        )
    return meeting, report_rows(registrations)


def report_rows(registrations) -> list[dict]:
    """2,000 joins as Zoom's report lists them, in join order."""
    rng = random.Random(2031)
    start = datetime(2031, 9, 22, 2, 0, tzinfo=UTC)  # 09.00 WIB
    rows = []
    user_ids = iter(range(16778240, 16778240 + 10 * ROWS))
    person = 0
    while len(rows) < ROWS:
        i = person % PEOPLE
        registration = registrations[i]
        joins = 2 if person < PEOPLE else 1
        joins += 1 if rng.random() < 0.5 else 0
        moment = start + timedelta(minutes=rng.randint(0, 60))
        for _ in range(joins):
            if len(rows) >= ROWS:
                break
            stay = timedelta(minutes=rng.randint(5, 120))
            kind = i % 8
            if kind in (0, 2, 4, 6):
                name, email, registrant = registration.full_name, "", registration.zoom_registrant_id
            elif kind in (1, 3):
                name, email, registrant = "Laptop Kantor", registration.email.upper(), ""
            elif kind == 5:
                name, email, registrant = (
                    f"{registration.full_name} - {registration.organization_name}",
                    "",
                    "",
                )
            else:
                name, email, registrant = f"HP Peserta {i:03d}", "", ""
            rows.append(
                {
                    "id": "",
                    "user_id": str(next(user_ids)),
                    "name": name,
                    "user_email": email,
                    "join_time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "leave_time": (moment + stay).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "duration": int(stay.total_seconds()),
                    "registrant_id": registrant,
                    "status": "in_meeting",
                }
            )
            # The next join: after a break, or overlapping (a second device).
            moment += stay + timedelta(minutes=rng.randint(-20, 30))
        person += 1
    rows.sort(key=lambda row: row["join_time"])
    return rows


def point_at(fake) -> None:
    from django.conf import settings
    from django.core.cache import cache

    from tests.zoomfake import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET

    settings.ZOOM_ACCOUNT_ID, settings.ZOOM_CLIENT_ID = ACCOUNT_ID, CLIENT_ID
    settings.ZOOM_CLIENT_SECRET = CLIENT_SECRET
    settings.ZOOM_API_BASE_URL, settings.ZOOM_OAUTH_URL = fake.api_url, fake.oauth_url
    cache.clear()


def forget_import(meeting) -> None:
    from participants.models import Attendance, ZoomAttendanceRow

    ZoomAttendanceRow.objects.filter(meeting=meeting).delete()
    Attendance.objects.filter(registration__meeting=meeting, how="zoom").delete()


WRITES = ("INSERT", "UPDATE", "DELETE")


def timed_import(meeting, *, fresh: bool) -> tuple[float, int | None, int | None, int, object]:
    """(milliseconds, queries, writes among them, API calls, result) of one import."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.conferencing.zoom_api import ZoomApi
    from participants.services.zoom_attendance import import_report

    if fresh:
        forget_import(meeting)
    api = ZoomApi()  # the token is fetched (and cached) here, outside the timing
    with CaptureQueriesContext(connection) as queries:
        started = clock.perf_counter()
        result = import_report(meeting, api=api)
        elapsed = (clock.perf_counter() - started) * 1000
    writes = sum(1 for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES))
    return elapsed, len(queries), writes, api.calls, result


def stored(meeting) -> tuple[list, list]:
    """Every stored report row and Zoom attendance of the meeting, all fields and ids."""
    from participants.models import Attendance, ZoomAttendanceRow

    return (
        list(ZoomAttendanceRow.objects.filter(meeting=meeting).order_by("pk").values()),
        list(Attendance.objects.filter(registration__meeting=meeting, how="zoom").order_by("pk").values()),
    )


def timed_fetch(meeting) -> tuple[float, None, None, int, None]:
    """The HTTP part alone: every page of the report through zoomus, nothing stored."""
    from meetings.conferencing.zoom_api import ZoomApi
    from participants.services.zoom_attendance import fetch_report

    api = ZoomApi()
    started = clock.perf_counter()
    fetch_report(meeting, api=api)
    return (clock.perf_counter() - started) * 1000, None, None, api.calls, None


def measure_the_page(meeting) -> str:
    """The organizer's Zoom attendance page over the imported report: one GET after a warm-up."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User

    user = User.objects.create_user(
        "bench-organizer@example.test", "bench-pass-123", full_name="Penyelenggara"
    )
    meeting.organizers.add(user)
    client = Client()
    client.force_login(user)
    url = reverse("participants:zoom_attendance", kwargs={"code": meeting.code})
    client.get(url)
    times = []
    for _ in range(5):
        started = clock.perf_counter()
        response = client.get(url)
        times.append((clock.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return (
        f"{'page (' + str(response.status_code) + ')':<22} {statistics.median(times):>7.0f}ms "
        f"{min(times):>7.0f}ms {max(times):>7.0f}ms {'':>9} {len(queries):>8} {'':>7} {0:>10}  "
        f"{len(response.content) / 1024:.0f} kB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="timed imports of each kind (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    with django_on_throwaway_database(BENCH_DB, SQLITE_FILE, args.keep) as where:
        from django.conf import settings
        from django.core.management import call_command

        from participants.models import Attendance, ZoomAttendanceRow
        from tests.zoomfake import FakeZoom

        # openapi-core (in the fake) warns once about the spec's OAuth scheme; nothing to do here.
        warnings.filterwarnings("ignore", "Unsupported scheme type", UserWarning)
        print(f"Database: {where}; DEBUG={settings.DEBUG}")
        started = clock.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        meeting, rows = seed()
        fake = FakeZoom().start()
        try:
            point_at(fake)
            fake.reports[ZOOM_ID] = rows
            print(
                f"Migrated and seeded in {clock.perf_counter() - started:.1f} s: {PEOPLE} registrations, "
                f"a report of {len(rows)} rows; minimum {settings.ZOOM_MIN_ATTENDANCE_MINUTES} minutes"
            )
            timed_import(meeting, fresh=True)  # warm-up
            fetch = [timed_fetch(meeting) for _ in range(args.n)]
            fresh = [timed_import(meeting, fresh=True) for _ in range(args.n)]
            before = stored(meeting)
            again = [timed_import(meeting, fresh=False) for _ in range(args.n)]
            after = stored(meeting)
        finally:
            fake.stop()

        result = fresh[-1][4]
        print(
            f"\nOne import: {result.rows} rows, {result.matched} matched, {result.unmatched} unmatched; "
            f"{result.present} people attended online, {result.below_minimum} under the minimum"
        )
        print(
            f"Stored: {ZoomAttendanceRow.objects.filter(meeting=meeting).count()} rows, "
            f"{Attendance.objects.filter(registration__meeting=meeting, how='zoom').count()} Zoom attendances"
        )
        print(f"\n{args.n} imports of each kind after one warm-up; target median < {TARGET_MS:.0f} ms\n")
        print(
            f"{'import':<22} {'median':>9} {'min':>9} {'max':>9} {'rows/s':>9} {'queries':>8} "
            f"{'writes':>7} {'API calls':>10}  target"
        )
        runs_by_kind = (
            ("fetch only (HTTP)", fetch),
            ("fresh (2,000 new rows)", fresh),
            ("again (nothing new)", again),
        )
        for label, runs in runs_by_kind:
            times = sorted(run[0] for run in runs)
            median = statistics.median(times)
            verdict = "ok" if median < TARGET_MS else "OVER"
            _, queries, writes, calls, _ = runs[-1]
            print(
                f"{label:<22} {median:>7.0f}ms {times[0]:>7.0f}ms {times[-1]:>7.0f}ms "
                f"{len(rows) / (median / 1000):>9,.0f} {'-' if queries is None else queries:>8} "
                f"{'-' if writes is None else writes:>7} {calls:>10}  {verdict}"
            )
        print(measure_the_page(meeting))

        problems = []
        if result.rows != ROWS:
            problems.append(f"the fresh import read {result.rows} rows, not {ROWS}")
        if any(run[4].new for run in again):
            problems.append(f"a re-import found new rows: {[run[4].new for run in again]}")
        if any(vars(run[4]) != {**vars(result), "new": 0} for run in again):
            problems.append(f"a re-import's figures differ from the import's: {vars(again[-1][4])}")
        if after != before:
            changed = sum(a != b for a, b in zip(after[0], before[0], strict=False))
            problems.append(
                f"the re-imports changed what is stored: rows {len(before[0])} → {len(after[0])} "
                f"({changed} differ), attendances {len(before[1])} → {len(after[1])}"
            )
        print()
        for problem in problems:
            print(f"UNEXPECTED {problem}")
        if not problems:
            print(
                f"Idempotent: {args.n} re-imports, no new row; the {len(after[0])} stored rows and "
                f"{len(after[1])} Zoom attendances (ids included) are as before."
            )
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
