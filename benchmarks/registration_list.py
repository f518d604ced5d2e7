"""Registration list benchmark: the organizer's list of a meeting with 2,000 registrations.

Run from the repository root:

    .venv/bin/python benchmarks/registration_list.py                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/registration_list.py

With DATABASE_URL the script creates (and afterwards drops) a dedicated database
`sinergi_bench_list` on that server; the database named in the URL is only used to connect.
It logs an organizer in and times the first page of /meetings/<code>/registrations/ through
django.test.Client (target: median under 100 ms), a filtered page, and the two exports.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import time as dtime
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402  (needs ROOT on sys.path)
    RESULT_HEADER,
    django_on_throwaway_database,
    measure_page,
    result_columns,
)

BENCH_DB = "sinergi_bench_list"
SQLITE_FILE = ROOT / "var" / "bench-registration-list.sqlite3"
TARGET_MEDIAN_MS = 100.0
WARM_UP = 10


# Data -----------------------------------------------------------------------------------------


def seed(count: int):
    """One published hybrid meeting with `count` registrations; returns (organizer, meeting).

    Registrations spread over 60 organizations (one in seven typed by hand instead), every
    state, mode and source, and a second meeting holds as many again so filters must discriminate.
    """
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from directory.models import Organization
    from meetings.models import Meeting, MeetingDay
    from participants.models import Registration

    organizer = User.objects.create_user(
        "bench-organizer@example.test", "bench-pass-123", full_name="Bench Organizer", can_organize=True
    )
    today = timezone.localdate()
    states, modes = list(Registration.State.values), list(Registration.Mode.values)
    sources = list(Registration.Source.values)
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(
                name=f"UPT BP2MI Wilayah {i}", acronym=f"UPT{i}", kind=Organization.Kind.REGIONAL_UNIT
            )
            for i in range(60)
        )
        meetings = [
            Meeting.objects.create(
                title=f"FGD Pengawasan P3MI {n}",
                status=Meeting.Status.PUBLISHED,
                mode=Meeting.Mode.HYBRID,
                capacity_onsite=500,
                capacity_online=2000,
                starts_on=today + timedelta(days=30),
                ends_on=today + timedelta(days=30),
                created_by=organizer,
            )
            for n in range(2)
        ]
        for m in meetings:
            m.organizers.add(organizer)
            MeetingDay.objects.create(meeting=m, date=m.starts_on, start_time=dtime(9), end_time=dtime(16))
        Registration.objects.bulk_create(
            Registration(
                meeting=m,
                full_name=f"Peserta {k} {n:05d}",
                position="Analis Kebijakan Ahli Muda",
                email=f"peserta{k}.{n}@example.test",
                phone=f"+62812{n:08d}",
                organization=orgs[n % len(orgs)] if n % 7 else None,
                organization_name="" if n % 7 else f"Dinas Tenaga Kerja Kabupaten {n % 31}",
                mode=modes[n % len(modes)],
                state=states[n % len(states)],
                source=sources[n % len(sources)],
            )
            for k, m in enumerate(meetings)
            for n in range(count)
        )
    return organizer, meetings[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="timed requests of the list (default 100)")
    parser.add_argument("--registrations", type=int, default=2000, help="registrations (default 2000)")
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
        organizer, meeting = seed(args.registrations)
        print(
            f"Migrated and seeded {args.registrations} registrations (and as many in a second meeting) "
            f"in {time.perf_counter() - started:.1f} s"
        )

        client = Client()
        client.force_login(organizer)
        base = reverse("participants:registrations", kwargs={"code": meeting.code})
        export = reverse("participants:registrations_export", kwargs={"code": meeting.code, "fmt": "csv"})
        pages = [
            ("list, first page", base, args.n, True),
            ("list, filtered page 2", f"{base}?q=Peserta&mode=online&page=2", args.n, False),
            ("CSV export (all)", export, 10, False),
            ("Excel export (all)", export.replace("export.csv", "export.xlsx"), 10, False),
        ]
        print(f"\nAfter {WARM_UP} warm-up requests each; target: list median < {TARGET_MEDIAN_MS:.0f} ms\n")
        print(f"{'page':<24} {'n':>4} {RESULT_HEADER}")
        failed = False
        for name, url, n, targeted in pages:
            result = measure_page(client, url, n, WARM_UP)
            verdict = ""
            if targeted:
                verdict = "ok" if result["median"] < TARGET_MEDIAN_MS else "OVER"
                failed |= verdict != "ok"
            failed |= result["status"] != 200
            print(f"{name:<24} {n:>4} {result_columns(result, verdict)}")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
