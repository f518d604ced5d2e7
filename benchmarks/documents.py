"""Word documents benchmark: a Notula with 60 sections, 200 recommendations, 100 action items and a
1,000-row Daftar Hadir, beside a bare python-docx script writing the same paragraphs and rows.

Run from the repository root:

    .venv/bin/python benchmarks/documents.py                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/documents.py

The floor is what a plain python-docx script does with the document's own text, already in
memory: `add_paragraph` for every paragraph, `add_table` / `add_row` / `cell.text` for every
table row, then `save`. Sinergi's figure includes reading the minutes from the database. Peak
memory is measured with tracemalloc in separate runs (tracing slows everything down).
Targets: within 1.5x of the floor, under 300 MB peak. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tracemalloc
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import django_on_throwaway_database, timings_ms  # noqa: E402  (needs ROOT on sys.path)

BENCH_DB = "sinergi_bench_documents"
SQLITE_FILE = ROOT / "var" / "bench-documents.sqlite3"
TARGET_RATIO = 1.5
TARGET_PEAK_MB = 300.0
ITEMS, RECOMMENDATIONS, ACTIONS, PEOPLE = 58, 200, 100, 1000  # 58 items + opening + closing = 60 sections

POINT = (
    "Perlu **tim pengawasan terpadu** lintas instansi dan *rujukan* yang jelas:\n\n"
    "- pengaduan di UPT ditangani dalam 14 hari\n- rujukan ke Kemlu dan Kemenhub\n\n"
    "1. pemetaan P3MI\n2. pemeriksaan bersama"
)


def seed():
    """A one-day meeting of 58 agenda items, its minutes filled in, 1,000 people attending."""
    from zoneinfo import ZoneInfo

    from django.db import transaction

    from accounts.models import User
    from directory.models import Organization, Person
    from meetings.models import AgendaItem, AgendaRole, Meeting, MeetingDay, MeetingHost
    from minutes.models import ActionItem, Point, Recommendation, Section
    from minutes.services.preparation import prepare_minutes
    from participants.models import Attendance, Registration

    wib = ZoneInfo("Asia/Jakarta")
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
            Organization(name=f"BP3MI Provinsi Uji {i:02d}", acronym=f"U{i:02d}") for i in range(23)
        )
        people = Person.objects.bulk_create(
            Person(full_name=f"Narasumber Uji {i}", position="Direktur", organization=orgs[i % 23])
            for i in range(20)
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
            AgendaRole(agenda_item=item, person=people[i % 20], order=1) for i, item in enumerate(items)
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
            for org in (orgs[i % 23], orgs[(i + 7) % 23])
        )
        ActionItem.objects.bulk_create(
            ActionItem(
                minutes=minutes,
                text=f"Tindak lanjut {i + 1}: menyusun draf SOP rujukan pengaduan.",
                owner_organization=orgs[i % 23],
                due_on=date(2031, 10, 1) + timedelta(days=i),
                order=i,
            )
            for i in range(ACTIONS)
        )
        registrations = Registration.objects.bulk_create(
            Registration(
                meeting=meeting,
                code=f"B{i:07d}",
                full_name=f"Peserta Uji {i:04d}",
                position="Analis Pengaduan Ahli Muda",
                organization=orgs[i % 23],
                email=f"peserta{i}@example.test",
                mode="online" if i % 3 else "onsite",
                state="confirmed",
            )
            for i in range(PEOPLE)
        )
        seen = datetime(2031, 9, 22, 8, tzinfo=wib)
        Attendance.objects.bulk_create(
            Attendance(
                registration=r, day=day, how="zoom" if r.mode == "online" else "onsite", first_seen_at=seen
            )
            for r in registrations
        )
    return minutes


def content(data: bytes) -> list:
    """The document's paragraphs (style, text) and tables (rows of cell texts), in order."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(io.BytesIO(data))
    paragraphs = iter(doc.paragraphs)
    tables = iter(doc.tables)
    out = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = next(paragraphs)
            out.append(("p", p.style.name, p.text))
        elif child.tag == qn("w:tbl"):
            t = next(tables)
            out.append(("t", [[c.text for c in row.cells] for row in t.rows]))
    return out


def floor(parts: list) -> bytes:
    """A bare python-docx script writing the same paragraphs and table rows."""
    import docx

    doc = docx.Document()
    for part in parts:
        if part[0] == "p":
            doc.add_paragraph(part[2], style=part[1])
        else:
            rows = part[1]
            table = doc.add_table(rows=1, cols=len(rows[0]))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, rows[0], strict=True):
                cell.text = text
            for row in rows[1:]:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _vm(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb(fn) -> tuple[float, float]:
    """The process's peak resident memory while `fn` runs, in a forked child whose high-water
    mark is reset first (Linux: /proc/self/clear_refs); lxml's memory, which tracemalloc does
    not see, is counted; and the resident memory before it ran. NaN where that is not available."""
    import os

    if not Path("/proc/self/clear_refs").exists():
        return float("nan"), float("nan")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            from django.db import connections

            # The child must not share the parent's database connection.
            for conn in connections.all():
                conn.inc_thread_sharing()
                conn.connection = None
            Path("/proc/self/clear_refs").write_text("5")
            before = _vm("VmRSS")
            fn()
            os.write(write_end, f"{_vm('VmHWM')} {before}".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        value = pipe.read()
    os.waitpid(pid, 0)
    peak, before = value.split() if value else ("nan", "nan")
    return float(peak), float(before)


def peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="timed runs per figure (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    with django_on_throwaway_database(BENCH_DB, SQLITE_FILE, args.keep) as where:
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from minutes.documents import notula
        from minutes.models import Minutes

        print(f"Database: {where}; median of {args.n} runs each")
        call_command("migrate", verbosity=0, interactive=False)
        seed()

        def ours() -> bytes:
            minutes = Minutes.objects.select_related("meeting").get()
            return notula.render(minutes, language="id", with_attendance=True)

        data = ours()
        parts = content(data)
        rows = sum(len(p[1]) for p in parts if p[0] == "t")
        paragraphs = sum(1 for p in parts if p[0] == "p")
        with CaptureQueriesContext(connection) as captured:
            ours()
        ours_ms = statistics.median(timings_ms(ours, args.n, warm_up=1))
        floor_ms = statistics.median(timings_ms(lambda: floor(parts), args.n, warm_up=1))
        ours_peak = peak_mb(ours)
        floor_peak = peak_mb(lambda: floor(parts))
        ours_rss, ours_base = peak_rss_mb(ours)
        floor_rss, floor_base = peak_rss_mb(lambda: floor(parts))
        ratio = ours_ms / floor_ms
        print(
            f"Notula: {paragraphs} paragraphs, {rows} table rows, {len(data) / 1024:.0f} kB, {len(captured)} queries"
        )
        print(f"{'':<28}{'median':>10}{'Python heap peak':>20}{'process peak RSS (before)':>30}")
        for label, ms, heap, rss, base in (
            ("Sinergi (with the queries)", ours_ms, ours_peak, ours_rss, ours_base),
            ("bare python-docx (floor)", floor_ms, floor_peak, floor_rss, floor_base),
        ):
            print(f"{label:<28}{ms:>8.0f}ms{heap:>17.1f} MB{rss:>18.1f} MB ({base:.0f} MB)")
        ok_ratio = ratio <= TARGET_RATIO
        peak = ours_rss if ours_rss == ours_rss else ours_peak  # RSS unless unavailable (NaN)
        ok_peak = peak <= TARGET_PEAK_MB
        print(
            f"ratio {ratio:.2f}x (target ≤ {TARGET_RATIO}x): {'ok' if ok_ratio else 'MISSED'}; "
            f"peak {peak:.0f} MB (target < {TARGET_PEAK_MB:.0f} MB): {'ok' if ok_peak else 'MISSED'}"
        )
        return 0 if ok_ratio and ok_peak else 1


if __name__ == "__main__":
    sys.exit(main())
