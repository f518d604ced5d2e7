"""Word documents benchmark: a Notula with 60 sections, 200 recommendations, 100 action items and a
1,000-row Daftar Hadir, and the 2021 FGD's activity report with 40 documentation photos (web
copies of 1600 px), each beside a bare python-docx script writing the same paragraphs, rows and
pictures.

Run from the repository root:

    .venv/bin/python -m benchmarks.documents                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m benchmarks.documents

(As a module: run as a script, benchmarks/calendar.py would shadow the standard library's.)

The floor is what a plain python-docx script does with the document's own text, already in
memory: `add_paragraph` for every paragraph, `add_table` / `add_row` / `cell.text` for every
table row, then `save`. Sinergi's figure includes reading the minutes from the database. Peak
memory is measured with tracemalloc in separate runs (tracing slows everything down).
Targets: within 1.5x of the floor, under 300 MB peak. See benchmarks/README.md.

The activity report's data is the demo's (`seed_demo`, after the Notula's figures) plus 40 photos
on the private storage (a temporary directory under the test settings); its floor has the 40
JPEG files already in memory and calls `add_picture` for each, at the same width.
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
    """The document's paragraphs (style, text), pictures ("pic",) and tables (rows of cell
    texts), in order."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(io.BytesIO(data))
    paragraphs = iter(doc.paragraphs)
    tables = iter(doc.tables)
    out = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = next(paragraphs)
            if child.findall(".//" + qn("w:drawing")):
                out.append(("pic",))
            else:
                out.append(("p", p.style.name, p.text))
        elif child.tag == qn("w:tbl"):
            t = next(tables)
            out.append(("t", [[c.text for c in row.cells] for row in t.rows]))
    return out


def floor(parts: list, photos: list[bytes] = ()) -> bytes:
    """A bare python-docx script writing the same paragraphs, table rows and pictures (`photos`,
    in memory, at the text width)."""
    import docx
    from docx.shared import Cm

    doc = docx.Document()
    pictures = iter(photos)
    for part in parts:
        if part[0] == "pic":
            doc.add_picture(io.BytesIO(next(pictures)), width=Cm(16))
        elif part[0] == "p":
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


PHOTOS = 40
PHOTO_SIZE = (1600, 1067)


def photo_jpeg(n: int) -> bytes:
    """A 1600 px photo-like JPEG (a gradient with grain), a few hundred kB like a web copy."""
    from PIL import Image, ImageChops

    width, height = PHOTO_SIZE
    gradient = Image.linear_gradient("L").resize(PHOTO_SIZE)
    grain = Image.effect_noise(PHOTO_SIZE, 24 + n % 8)
    red = ImageChops.add(gradient, grain, scale=2.0)
    green = ImageChops.add(gradient.rotate(90 + n, expand=False), grain, scale=2.0)
    blue = grain
    out = io.BytesIO()
    Image.merge("RGB", (red, green, blue)).save(out, "JPEG", quality=82)
    return out.getvalue()


def seed_fgd_photos() -> list[bytes]:
    """The demo (the 2021 FGD and its approved minutes), and 40 photos chosen for its report."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from config.management.commands.seed_demo import FGD_TITLE
    from materials.models import DocumentationPhoto
    from meetings.models import Meeting

    call_command("seed_demo", stdout=io.StringIO())
    meeting = Meeting.objects.get(title=FGD_TITLE)
    days = list(meeting.days.order_by("date"))
    # The demo's own photos (a few chosen for the report) make way for exactly PHOTOS.
    DocumentationPhoto.objects.filter(meeting=meeting).delete()
    photos = []
    for n in range(PHOTOS):
        data = photo_jpeg(n)
        photo = DocumentationPhoto(
            meeting=meeting,
            day=days[n % len(days)],
            caption=f"Dokumentasi FGD Pengawasan P3MI, foto {n + 1}",
            in_report=True,
            order=n,
            mime="image/jpeg",
            width=PHOTO_SIZE[0],
            height=PHOTO_SIZE[1],
            size=len(data),
        )
        photo.original.save("original.jpg", ContentFile(data), save=False)
        photo.web.save("web.jpg", ContentFile(data), save=False)
        photo.save()
        photos.append(data)
    return photos


def compare(label: str, ours, floor_fn, n: int, describe: str, *, growth: bool = False) -> bool:
    """Time and peak memory of `ours` beside `floor_fn`; prints them and the verdict. `growth`:
    the memory target applies to what the document adds to the process (peak RSS minus the RSS
    before it ran), for a figure measured after other work has grown the process."""
    ours_ms = statistics.median(timings_ms(ours, n, warm_up=1))
    floor_ms = statistics.median(timings_ms(floor_fn, n, warm_up=1))
    ours_peak = peak_mb(ours)
    floor_peak = peak_mb(floor_fn)
    ours_rss, ours_base = peak_rss_mb(ours)
    floor_rss, floor_base = peak_rss_mb(floor_fn)
    ratio = ours_ms / floor_ms
    print(f"{label}: {describe}")
    print(f"{'':<28}{'median':>10}{'Python heap peak':>20}{'process peak RSS (before)':>30}")
    for name, ms, heap, rss, base in (
        ("Sinergi (with the queries)", ours_ms, ours_peak, ours_rss, ours_base),
        ("bare python-docx (floor)", floor_ms, floor_peak, floor_rss, floor_base),
    ):
        print(f"{name:<28}{ms:>8.0f}ms{heap:>17.1f} MB{rss:>18.1f} MB ({base:.0f} MB)")
    ok_ratio = ratio <= TARGET_RATIO
    peak = ours_rss if ours_rss == ours_rss else ours_peak  # RSS unless unavailable (NaN)
    what = "peak"
    if growth and ours_rss == ours_rss:
        peak, what = ours_rss - ours_base, "peak growth"
    ok_peak = peak <= TARGET_PEAK_MB
    print(
        f"ratio {ratio:.2f}x (target ≤ {TARGET_RATIO}x): {'ok' if ok_ratio else 'MISSED'}; "
        f"{what} {peak:.0f} MB (target < {TARGET_PEAK_MB:.0f} MB): {'ok' if ok_peak else 'MISSED'}"
    )
    return ok_ratio and ok_peak


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
    parser.add_argument(
        "--only",
        choices=("notula", "report"),
        help="one document only: its process peak is then its own (the report's target is absolute)",
    )
    args = parser.parse_args()

    with django_on_throwaway_database(BENCH_DB, SQLITE_FILE, args.keep) as where:
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from minutes.documents import notula
        from minutes.models import Minutes

        print(f"Database: {where}; median of {args.n} runs each")
        call_command("migrate", verbosity=0, interactive=False)
        if args.only == "report":
            return 0 if report_figures(args.n, growth=False) else 1
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
        notula_ok = compare(
            "Notula",
            ours,
            lambda: floor(parts),
            args.n,
            f"{paragraphs} paragraphs, {rows} table rows, {len(data) / 1024:.0f} kB, {len(captured)} queries",
        )
        if args.only == "notula":
            return 0 if notula_ok else 1
        print()
        report_ok = report_figures(args.n)
        return 0 if notula_ok and report_ok else 1


def report_figures(n: int, *, growth: bool = True) -> bool:
    """The 2021 FGD's activity report with 40 photos beside bare python-docx."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.management.commands.seed_demo import FGD_TITLE
    from meetings.models import Meeting
    from minutes.documents import activity_report
    from minutes.services import reports

    photos = seed_fgd_photos()

    def ours() -> bytes:
        meeting = Meeting.objects.get(title=FGD_TITLE)
        return activity_report.render(reports.report_for(meeting), language="id")

    data = ours()
    parts = content(data)
    assert sum(1 for p in parts if p[0] == "pic") == PHOTOS
    with CaptureQueriesContext(connection) as captured:
        ours()
    rows = sum(len(p[1]) for p in parts if p[0] == "t")
    paragraphs = sum(1 for p in parts if p[0] == "p")
    return compare(
        "Activity report (2021 FGD)",
        ours,
        lambda: floor(parts, photos),
        n,
        f"{paragraphs} paragraphs, {rows} table rows, {PHOTOS} photos, {len(data) / 2**20:.1f} MB, "
        f"{len(captured)} queries",
        # After the Notula the process already holds its 1,000 people: then what the report
        # adds is measured; alone (--only report) the whole process peak is.
        growth=growth,
    )


if __name__ == "__main__":
    sys.exit(main())
