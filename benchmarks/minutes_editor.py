"""Minutes editor benchmark: response time and query count of the editor page of a 60-section minutes.

Run from the repository root:

    .venv/bin/python benchmarks/minutes_editor.py                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/minutes_editor.py

With DATABASE_URL the script creates (and afterwards drops) a dedicated database
`sinergi_bench_minutes_editor` on that server; the database named in the URL is only used to
connect. The page is requested as the meeting's secretary, editable (a draft); the script exits
non-zero unless it answers 200 with the editable editor (`data-autosave`). Target: median under
50 ms. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from datetime import date, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402  (needs ROOT on sys.path)
    RESULT_HEADER,
    django_on_throwaway_database,
    measure_page,
    result_columns,
)

BENCH_DB = "sinergi_bench_minutes_editor"
SQLITE_FILE = ROOT / "var" / "bench-minutes-editor.sqlite3"
TARGET_MEDIAN_MS = 50.0
WARM_UP = 20
ITEMS, RECOMMENDATIONS, ACTIONS = 58, 20, 10  # 58 items + opening + closing = 60 sections
ORGANIZATIONS, SPEAKERS = 23, 20

POINT = (
    "Perlu **tim pengawasan terpadu** lintas instansi dan *rujukan* yang jelas:\n\n"
    "- pengaduan di UPT ditangani dalam 14 hari\n- rujukan ke Kemlu dan Kemenhub\n\n"
    "1. pemetaan P3MI\n2. pemeriksaan bersama"
)


# Data -----------------------------------------------------------------------------------------


def seed():
    """A one-day meeting of 58 agenda items, its minutes filled in; returns (secretary, meeting).

    The same construction as benchmarks/documents.py, with fewer recommendations and action
    items and no attendance.
    """
    from django.db import transaction

    from accounts.models import User
    from directory.models import Organization, Person
    from meetings.models import AgendaItem, AgendaRole, Meeting, MeetingDay, MeetingHost
    from minutes.models import ActionItem, Point, Recommendation, Section
    from minutes.services.preparation import prepare_minutes

    with transaction.atomic():
        user = User.objects.create_user(
            "bench-secretary@example.test", "bench-pass-123", full_name="Notulis Uji"
        )
        parent = Organization.objects.create(
            name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI"
        )
        unit = Organization.objects.create(
            name="Direktorat Pelindungan Kawasan Asia dan Afrika", parent=parent
        )
        orgs = Organization.objects.bulk_create(
            Organization(name=f"BP3MI Provinsi Uji {i:02d}", acronym=f"U{i:02d}")
            for i in range(ORGANIZATIONS)
        )
        people = Person.objects.bulk_create(
            Person(full_name=f"Narasumber Uji {i}", position="Direktur", organization=orgs[i % ORGANIZATIONS])
            for i in range(SPEAKERS)
        )
        meeting = Meeting.objects.create(
            title="FGD Pengawasan P3MI: Sinergi dan Koordinasi Multi Stakeholder",
            theme="Peningkatan Sinergi dan Koordinasi Multi Stakeholder Melalui Pengawasan P3MI",
            status=Meeting.Status.HELD,
            venue_name="Kantor BP2MI",
            venue_room="Ruang Rapat Lantai 2",
            starts_on=date(2031, 9, 22),
            ends_on=date(2031, 9, 22),
        )
        meeting.secretaries.add(user)
        MeetingHost.objects.create(meeting=meeting, organization=unit)
        day = MeetingDay.objects.create(
            meeting=meeting, date=date(2031, 9, 22), start_time=dtime(7), end_time=dtime(19)
        )
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                day=day,
                start_time=dtime(7 + (n * 10) // 60, (n * 10) % 60),
                end_time=dtime(7 + (n * 10 + 10) // 60, (n * 10 + 10) % 60),
                title=f"Sesi {n + 1}: paparan dan diskusi pengawasan P3MI",
                order=n,
            )
            for n in range(ITEMS)
        )
        AgendaRole.objects.bulk_create(
            AgendaRole(agenda_item=item, person=people[i % SPEAKERS], order=1) for i, item in enumerate(items)
        )
        minutes = prepare_minutes(meeting, author=user)
        sections = list(minutes.sections.order_by("order"))
        for section in sections:
            section.summary = "Ringkasan diskusi sesi: **disepakati** perlunya koordinasi. " * 4
            section.conclusions = "Disepakati pembentukan tim pengawasan lintas instansi."
        Section.objects.bulk_update(sections, ["summary", "conclusions"])
        Point.objects.bulk_create(
            Point(
                section=s,
                speaker_name=f"Narasumber Uji {n}",
                speaker_affiliation="Direktur, BP3MI",
                text=POINT,
                order=n,
            )
            for s in sections
            for n in range(3)
        )
        recs = Recommendation.objects.bulk_create(
            Recommendation(
                minutes=minutes,
                section=sections[1 + i % ITEMS],
                text=f"Rekomendasi {i + 1}: membentuk **tim pengawasan** P3MI lintas instansi di tingkat provinsi.",
                instrument=["regulation", "decision", "sop", "programme", "other"][i % 5],
                order=i,
            )
            for i in range(RECOMMENDATIONS)
        )
        through = Recommendation.addressed_to.through
        through.objects.bulk_create(
            through(recommendation_id=r.pk, organization_id=org.pk)
            for i, r in enumerate(recs)
            for org in (orgs[i % ORGANIZATIONS], orgs[(i + 7) % ORGANIZATIONS])
        )
        ActionItem.objects.bulk_create(
            ActionItem(
                minutes=minutes,
                text=f"Tindak lanjut {i + 1}: menyusun draf SOP rujukan pengaduan.",
                owner_organization=orgs[i % ORGANIZATIONS],
                due_on=date(2031, 10, 1) + timedelta(days=i),
                order=i,
            )
            for i in range(ACTIONS)
        )
    return user, meeting


# Measurement ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="timed requests (default 200)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    with django_on_throwaway_database(BENCH_DB, SQLITE_FILE, args.keep) as where:
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from minutes.models import Minutes

        print(f"Database: {where}; DEBUG={settings.DEBUG}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        user, meeting = seed()
        minutes = Minutes.objects.get(meeting=meeting)
        print(
            f"Migrated and seeded in {time.perf_counter() - started:.1f} s: "
            f"{minutes.sections.count()} sections, "
            f"{sum(s.points.count() for s in minutes.sections.all())} points, "
            f"{minutes.recommendations.count()} recommendations, {minutes.actions.count()} action items "
            f"(minutes version {minutes.version}, {minutes.state})"
        )

        client = Client()
        client.force_login(user)
        url = reverse("minutes:editor", kwargs={"code": meeting.code})
        try:
            response = client.get(url)
        except Exception:
            print(f"GET {url} raised:\n{traceback.format_exc(limit=3)}")
            return 1
        if response.status_code != 200 or b"data-autosave" not in response.content:
            print(
                f"GET {url}: status {response.status_code}, data-autosave "
                f"{'present' if b'data-autosave' in response.content else 'missing'}: "
                "not the editable editor"
            )
            return 1

        print(
            f"\n{args.n} requests after {WARM_UP} warm-up requests; target median < {TARGET_MEDIAN_MS:.0f} ms\n"
        )
        result = measure_page(client, url, args.n, WARM_UP)
        verdict = "ok" if result["median"] < TARGET_MEDIAN_MS else "OVER"
        print(f"{'page':<16} {'url':<32} {RESULT_HEADER}")
        print(f"{'minutes editor':<16} {url:<32} {result_columns(result, verdict)}")
        return 0 if result["status"] == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
