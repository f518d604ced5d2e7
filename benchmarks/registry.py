"""Registry and statistics benchmark: the recommendations registry and the dashboard over 5,000 recommendations.

Run from the repository root:

    .venv/bin/python benchmarks/registry.py                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/registry.py

With DATABASE_URL the script creates (and afterwards drops) a dedicated database
`sinergi_bench_registry` on that server; the database named in the URL is only used to connect.
It seeds 200 meetings with approved minutes and 5,000 recommendations (addressees, themes,
follow-up rows with states and due dates, some overdue, a few merged pairs) and confirmed
registrations with attendance, then times `policy:registry` (plain, searched, filtered by state,
overdue only, page 10) and `policy:dashboard` through django.test.Client, signed in as a policy
analyst and as the organizer of 20 of the meetings. Target: median under 100 ms. For a page over
the target it prints the slowest SQL of one request (all pages with --slowest). On PostgreSQL
the tables are analyzed after seeding (--analyze never: planner statistics as right after a bulk
load); --jit off runs without PostgreSQL's JIT. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import traceback
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not this folder itself (sys.path[0] when run as a script): its calendar.py would hide the
# standard library's calendar module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402  (needs ROOT on sys.path)
    RESULT_HEADER,
    django_on_throwaway_database,
    p95,
    result_columns,
    timings_ms,
)

BENCH_DB = "sinergi_bench_registry"
SQLITE_FILE = ROOT / "var" / "bench-registry.sqlite3"
TARGET_MEDIAN_MS = 100.0
WARM_UP = 3
ORGANIZATIONS, PEOPLE, SECTIONS = 40, 60, 5
ORGANIZED = 20  # meetings of the organizer
MERGED_PAIRS = 30
REGISTRATIONS, CONFIRMED = 60, 50  # per meeting
THEMES = [
    ("Pengawasan", "pengawasan"),
    ("Pelindungan", "pelindungan"),
    ("Penempatan", "penempatan"),
    ("Pelatihan vokasi", "pelatihan-vokasi"),
    ("Pengaduan", "pengaduan"),
    ("Data dan informasi", "data-informasi"),
    ("Reintegrasi", "reintegrasi"),
    ("Kerja sama luar negeri", "kerja-sama"),
]
TEXTS = [
    "Membentuk **tim pengawasan terpadu** P3MI lintas instansi di tingkat provinsi {n}.",
    "Menyusun *SOP rujukan* pengaduan pekerja migran antara UPT dan dinas {n}.",
    "Memperkuat pelindungan PMI sejak sebelum bekerja melalui sosialisasi di desa {n}.",
    "Meningkatkan pelatihan vokasi calon PMI bersama BLK daerah {n}.",
    "Mengintegrasikan data penempatan antar kementerian dan lembaga {n}.",
]
RATIONALE = (
    "Hasil diskusi menunjukkan lemahnya koordinasi pengawasan terhadap P3MI dan tingginya "
    "pengaduan penempatan nonprosedural; perlu langkah bersama yang terukur."
)


# Data -----------------------------------------------------------------------------------------


def seed(meeting_count: int, recommendation_count: int):
    """Meetings with approved minutes, recommendations, follow-up, registrations and attendance.

    Returns (analyst, organizer, figures), `figures` a dict of what was created.
    """
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from directory.models import Organization, Person
    from meetings.models import AgendaItem, Meeting, MeetingDay, new_meeting_code
    from minutes.models import Minutes, Recommendation, Section, Theme
    from participants.models import Attendance, Registration
    from policy.models import State, Tracking

    rng = random.Random(20261204)
    today = timezone.localdate()
    now = timezone.now()
    tz = timezone.get_current_timezone()
    analyst = User.objects.create_user(
        "bench-analyst@example.test", "bench-pass-123", full_name="Analis Kebijakan", is_policy_analyst=True
    )
    organizer = User.objects.create_user(
        "bench-organizer@example.test", "bench-pass-123", full_name="Bench Organizer", can_organize=True
    )
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(name=f"Instansi Uji {i:02d}", acronym=f"IU{i:02d}", kind=Organization.Kind.MINISTRY)
            for i in range(ORGANIZATIONS)
        )
        people = Person.objects.bulk_create(
            Person(full_name=f"Narasumber {i}", position="Direktur", organization=orgs[i % ORGANIZATIONS])
            for i in range(PEOPLE)
        )
        themes = Theme.objects.bulk_create(Theme(name=name, slug=slug) for name, slug in THEMES)

        # Meetings every few days over the last two years, all held; the newest yesterday.
        codes = set()
        while len(codes) < meeting_count:
            codes.add(new_meeting_code())
        span = 730
        meetings = Meeting.objects.bulk_create(
            Meeting(
                code=code,
                title=f"FGD Pengawasan P3MI {i:03d}: Sinergi Multi Stakeholder",
                status=Meeting.Status.CLOSED if i < meeting_count - 20 else Meeting.Status.HELD,
                venue_name="Kantor BP2MI",
                capacity_onsite=100,
                capacity_online=300,
                starts_on=today
                - timedelta(days=1 + (span * (meeting_count - 1 - i)) // max(1, meeting_count - 1)),
                ends_on=today
                - timedelta(days=1 + (span * (meeting_count - 1 - i)) // max(1, meeting_count - 1)),
                created_by=organizer,
            )
            for i, code in enumerate(sorted(codes))
        )
        organized = meetings[:: max(1, meeting_count // ORGANIZED)][:ORGANIZED]
        through = Meeting.organizers.through
        through.objects.bulk_create(through(meeting_id=m.pk, user_id=organizer.pk) for m in organized)
        days = MeetingDay.objects.bulk_create(
            MeetingDay(meeting=m, date=m.starts_on, start_time=dtime(8), end_time=dtime(16)) for m in meetings
        )
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                day=day,
                start_time=dtime(9 + n),
                end_time=dtime(10 + n),
                title=f"Sesi {n + 1}: paparan dan diskusi",
                order=n,
            )
            for day in days
            for n in range(SECTIONS)
        )
        approved_at = now - timedelta(days=1)
        minutes = Minutes.objects.bulk_create(
            Minutes(meeting=m, version=1, state=Minutes.State.APPROVED, approved_at=approved_at)
            for m in meetings
        )
        sections = Section.objects.bulk_create(
            Section(
                minutes=mn,
                agenda_item=items[k * SECTIONS + n],
                day=days[k],
                title=items[k * SECTIONS + n].title,
                order=n + 1,
            )
            for k, mn in enumerate(minutes)
            for n in range(SECTIONS)
        )

        # Recommendations, spread evenly over the minutes.
        instruments = list(Recommendation.Instrument.values)
        priorities = list(Recommendation.Priority.values)
        recs = Recommendation.objects.bulk_create(
            Recommendation(
                minutes=minutes[i % meeting_count],
                section=sections[(i % meeting_count) * SECTIONS + (i // meeting_count) % SECTIONS],
                text=rng.choice(TEXTS).format(n=i),
                rationale=RATIONALE if rng.random() < 0.4 else "",
                instrument=instruments[i % len(instruments)],
                priority=priorities[(i // 3) % len(priorities)],
                proposed_by_person=people[i % PEOPLE] if i % 3 == 0 else None,
                proposed_by_organization=orgs[i % ORGANIZATIONS] if i % 4 == 0 else None,
                order=i // meeting_count,
            )
            for i in range(recommendation_count)
        )
        addressed = Recommendation.addressed_to.through
        addressed.objects.bulk_create(
            addressed(recommendation_id=r.pk, organization_id=org.pk)
            for r in recs
            for org in rng.sample(orgs, 1 + r.pk % 3)
        )
        tagged = Recommendation.themes.through
        tagged.objects.bulk_create(
            tagged(recommendation_id=r.pk, theme_id=t.pk)
            for r in recs
            for t in rng.sample(themes, 1 + r.pk % 2)
        )

        # Follow-up rows for about 60% of them; open ones have a due date, a third of them past.
        weighted = (
            [State.PROPOSED] * 2
            + [State.ACCEPTED] * 3
            + [State.IN_PROGRESS] * 3
            + [State.IMPLEMENTED] * 2
            + [State.REJECTED, State.SUPERSEDED]
        )
        tracked = [r for r in recs if rng.random() < 0.6]
        rows = []
        for r in tracked:
            state = rng.choice(weighted)
            due = None
            if state in (State.ACCEPTED, State.IN_PROGRESS) or (
                state == State.PROPOSED and rng.random() < 0.3
            ):
                due = today + timedelta(
                    days=rng.randint(-200, -1) if rng.random() < 0.33 else rng.randint(1, 300)
                )
            rows.append(Tracking(key=r.key, state=state, due_on=due, updated_at=now))
        # Merged pairs: an older recommendation made again at a newer meeting; half the newer
        # ones in the latest meetings, so the registry's first page shows "also made at".
        tracked_keys = {r.key for r in tracked}
        untracked = [r for r in recs if r.key not in tracked_keys]
        by_meeting = sorted(untracked, key=lambda r: -r.minutes.meeting.starts_on.toordinal())
        targets = by_meeting[: MERGED_PAIRS // 2] + rng.sample(
            by_meeting[MERGED_PAIRS // 2 :], MERGED_PAIRS // 2
        )
        target_rows = [
            Tracking(key=r.key, state=State.ACCEPTED, due_on=today + timedelta(days=90)) for r in targets
        ]
        rows += target_rows
        Tracking.objects.bulk_create(rows)
        target_rows = list(Tracking.objects.filter(key__in=[t.key for t in targets]))
        used = tracked_keys | {t.key for t in targets}
        older = [r for r in reversed(by_meeting) if r.key not in used]
        Tracking.objects.bulk_create(
            Tracking(key=older[n].key, merged_into=t, merged_by=analyst, merged_at=now, updated_at=now)
            for n, t in enumerate(target_rows)
        )

        # Registrations (CONFIRMED of REGISTRATIONS per meeting) and attendance of most of the confirmed.
        others = [Registration.State.WAITLISTED, Registration.State.CANCELLED, Registration.State.PENDING]
        states = [Registration.State.CONFIRMED] * CONFIRMED + [
            others[n % len(others)] for n in range(REGISTRATIONS - CONFIRMED)
        ]
        registrations = Registration.objects.bulk_create(
            Registration(
                meeting=m,
                code=f"R{k:03d}{n:04d}",
                full_name=f"Peserta {k:03d} {n:02d}",
                position="Analis Kebijakan Ahli Muda",
                email=f"peserta{k}.{n}@example.test",
                organization=orgs[(k + n) % ORGANIZATIONS] if n % 6 else None,
                organization_name="" if n % 6 else f"Dinas Tenaga Kerja Kabupaten {n % 17}",
                mode=Registration.Mode.ONSITE if n % 3 else Registration.Mode.ONLINE,
                state=states[n % len(states)],
            )
            for k, m in enumerate(meetings)
            for n in range(REGISTRATIONS)
        )
        day_of = {d.meeting_id: d for d in days}
        attendances = Attendance.objects.bulk_create(
            Attendance(
                registration=r,
                day=day_of[r.meeting_id],
                how=Attendance.How.ONSITE if r.mode == Registration.Mode.ONSITE else Attendance.How.ZOOM,
                first_seen_at=datetime.combine(day_of[r.meeting_id].date, dtime(8, 30), tz),
            )
            for r in registrations
            if r.state == Registration.State.CONFIRMED and rng.random() < 0.8
        )
    figures = {
        "meetings": len(meetings),
        "recommendations": len(recs),
        "tracking": len(rows) + len(target_rows),
        "merged": len(target_rows),
        "registrations": len(registrations),
        "attendance": len(attendances),
        "organized": len(organized),
    }
    return analyst, organizer, figures


def analyze(mode: str) -> str:
    """Refresh the planner's statistics after the bulk load, as `mode` says; returns what was done.

    "auto": on PostgreSQL only, where autovacuum analyzes freshly loaded tables within a minute
    or so in a running deployment (without statistics its plans for these queries are much
    worse); nothing runs ANALYZE on an SQLite database unless someone does.
    """
    from django.db import connection

    run = mode == "always" or (mode == "auto" and connection.vendor == "postgresql")
    if run:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return "statistics: ANALYZE after seeding" if run else "statistics: none (no ANALYZE)"


def postgres_jit(setting: str) -> str:
    """On PostgreSQL, the server's JIT setting or, with "off", JIT turned off for the benchmark
    database (ALTER DATABASE, then a fresh connection); returns what is in force."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    if setting == "off":
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{connection.settings_dict["NAME"]}" SET jit = off')
        connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW jit_above_cost")
        above = cursor.fetchone()[0]
    return f"; jit={jit} (jit_above_cost {above})"


# Measurement ----------------------------------------------------------------------------------


def measure(client, url: str, n: int) -> dict:
    """Status, size, median and p95 of `n` timed GETs after the warm-ups, and the queries of one more.

    As common.measure_page, and it keeps the captured queries (with their times) and the wall
    time of the captured request.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        client.get(url)
    except Exception:
        return {"status": "error", "error": traceback.format_exc(limit=3)}
    timings = timings_ms(lambda: client.get(url), n, WARM_UP)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        captured_ms = (time.perf_counter() - started) * 1000
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "median": statistics.median(timings),
        "p95": p95(timings),
        "queries": len(queries),
        "captured": list(queries.captured_queries),
        "captured_ms": captured_ms,
    }


def slowest(result: dict, count: int, width: int) -> list[str]:
    """The `count` slowest queries of the captured request, with their times."""
    captured = result["captured"]
    total = sum(float(q["time"]) for q in captured) * 1000
    lines = [
        f"    SQL in the captured request: {total:.1f} ms of {result['captured_ms']:.1f} ms "
        f"({len(captured)} queries); the slowest {min(count, len(captured))}:"
    ]
    ranked = sorted(captured, key=lambda q: -float(q["time"]))[:count]
    for q in ranked:
        sql = " ".join(q["sql"].split())
        if width and len(sql) > width:
            sql = sql[:width] + f" ... [{len(sql)} chars]"
        lines.append(f"    {float(q['time']) * 1000:8.1f} ms  {sql}")
    return lines


def matching(user, query: dict) -> int:
    """How many recommendations the registry lists for `query` (counted through its own form)."""
    from django.http import QueryDict

    from policy.forms.registry import RegistryFilterForm
    from policy.permissions import visible_recommendations

    data = QueryDict(mutable=True)
    data.update(query)
    visible = visible_recommendations(user)
    return RegistryFilterForm(data, visible=visible).apply(visible).count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--meetings", type=int, default=200, help="meetings (default 200)")
    parser.add_argument("--recommendations", type=int, default=5000, help="recommendations (default 5000)")
    parser.add_argument(
        "--slowest",
        action="store_true",
        help="print the slowest SQL of every page, not only those over target",
    )
    parser.add_argument("--sql-width", type=int, default=600, help="characters of SQL shown (0: all)")
    parser.add_argument(
        "--analyze",
        choices=("auto", "always", "never"),
        default="auto",
        help="run ANALYZE after seeding: auto (default) on PostgreSQL only, always, never",
    )
    parser.add_argument(
        "--jit",
        choices=("server", "off"),
        default="server",
        help="PostgreSQL only: keep the server's JIT setting (default) or turn JIT off",
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    with django_on_throwaway_database(BENCH_DB, SQLITE_FILE, args.keep) as where:
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        print(f"Database: {where}; DEBUG={settings.DEBUG}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.perf_counter()
        analyst, organizer, made = seed(args.meetings, args.recommendations)
        print(
            f"Migrated in {migrated - started:.1f} s, seeded in {time.perf_counter() - migrated:.1f} s: "
            f"{made['meetings']} meetings with approved minutes, {made['recommendations']} recommendations, "
            f"{made['tracking']} follow-up rows ({made['merged']} merged pairs), "
            f"{made['registrations']} registrations, {made['attendance']} attendances; "
            f"the organizer organizes {made['organized']} meetings; {analyze(args.analyze)}"
            f"{postgres_jit(args.jit)}"
        )

        registry = reverse("policy:registry")
        dashboard = reverse("policy:dashboard")
        variants = [
            ("registry", registry, {}),
            ("registry ?q=pengawasan", registry, {"q": "pengawasan"}),
            ("registry ?state=accepted", registry, {"state": "accepted"}),
            ("registry ?overdue=on", registry, {"overdue": "on"}),
            ("registry ?page=10", registry, {"page": "10"}),
            ("dashboard", dashboard, None),
        ]
        print(
            f"\n{args.n} requests per page after {WARM_UP} warm-up requests; "
            f"target median < {TARGET_MEDIAN_MS:.0f} ms\n"
        )
        print(f"{'user':<10} {'page':<26} {'rows':>5} {'sql':>7} {RESULT_HEADER}")
        failed = False
        missed: dict[str, list[str]] = {}
        details = []
        for who, user in (("analyst", analyst), ("organizer", organizer)):
            client = Client()
            client.force_login(user)
            for name, path, query in variants:
                url = path
                if query:
                    url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
                rows = (
                    ""
                    if query is None
                    else str(matching(user, {k: v for k, v in query.items() if k != "page"}))
                )
                result = measure(client, url, args.n)
                if result["status"] == "error":
                    print(f"{who:<10} {name:<26} {rows:>5} {'':>7} {'error':>6}\n{result['error']}")
                    failed = True
                    continue
                met = result["median"] < TARGET_MEDIAN_MS
                verdict = "ok" if met else "OVER"
                if result["status"] != 200:
                    verdict, failed = "no target (not 200)", True
                page = name.split()[0]
                if not met:
                    missed.setdefault(page, []).append(f"{who} {name}")
                sql_ms = sum(float(q["time"]) for q in result["captured"]) * 1000
                print(f"{who:<10} {name:<26} {rows:>5} {sql_ms:>5.0f}ms {result_columns(result, verdict)}")
                if args.slowest or not met:
                    details.append((f"{who}, {name} ({url})", result))

        print(f"\nTarget: median under {TARGET_MEDIAN_MS:.0f} ms for the registry and the dashboard")
        for page in ("registry", "dashboard"):
            if page in missed:
                print(f"  {page}: NOT met ({', '.join(missed[page])})")
            else:
                print(f"  {page}: met")
        for title, result in details:
            print(f"\n{title}:")
            print("\n".join(slowest(result, 3, args.sql_width)))
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
