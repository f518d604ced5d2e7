"""Transcript benchmark: a 3-hour Zoom transcript of about 3,000 cues imported as draft points.

Run from the repository root:

    .venv/bin/python benchmarks/transcripts.py                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/transcripts.py

Seeds a meeting with one 3-hour day of 12 agenda items (a speaker each) and 300 registrants,
prepares its minutes, writes a WebVTT as Zoom does ("Name - Agency: text", offsets from the
recording's start; a sixth of the speech by unknown devices), then times `import_transcript`
(parse, match, place, insert) on a fresh import each run, the parse alone, and a re-import of
the same cues under another name (every draft recognised, nothing added). Target: the import
well under 2 s; a fixed number of queries (but for the bulk insert's batches).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time as clock
from datetime import date, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import django_on_throwaway_database, timings_ms  # noqa: E402  (needs ROOT on sys.path)

BENCH_DB = "sinergi_bench_transcripts"
SQLITE_FILE = ROOT / "var" / "bench-transcripts.sqlite3"
TARGET_MS = 2000.0
AGENCIES = ["Kemnaker", "BP2MI", "Kemlu", "Kemenhub", "Polri", "Imigrasi"]
WORDS = [
    "pelindungan",
    "pekerja",
    "migran",
    "penempatan",
    "pengaduan",
    "rujukan",
    "pengawasan",
    "terpadu",
    "data",
    "kasus",
    "alur",
    "layanan",
    "UPT",
    "daerah",
    "koordinasi",
    "kementerian",
    "regulasi",
    "sosialisasi",
    "calon",
    "PMI",
    "nonprosedural",
]


def seed():
    from django.db import transaction

    from accounts.models import User
    from directory.models import Organization, Person
    from meetings.models import AgendaItem, AgendaRole, Meeting, MeetingDay
    from minutes.services.preparation import prepare_minutes
    from participants.models import Registration

    with transaction.atomic():
        organizer = User.objects.create_user(
            "bench-organizer@example.test", "bench-pass-123", full_name="Bench Organizer", can_organize=True
        )
        orgs = [Organization.objects.create(name=f"Instansi {a}", acronym=a) for a in AGENCIES]
        meeting = Meeting.objects.create(
            title="FGD Benchmark",
            kind=Meeting.Kind.FGD,
            mode=Meeting.Mode.ONLINE,
            timezone="Asia/Jakarta",
            starts_on=date(2031, 9, 22),
            ends_on=date(2031, 9, 22),
        )
        meeting.organizers.add(organizer)
        day = MeetingDay.objects.create(
            meeting=meeting, date=date(2031, 9, 22), start_time=time(8), end_time=time(11, 30)
        )
        speakers = Person.objects.bulk_create(
            Person(full_name=f"Narasumber{i} Setiawan", position="Direktur", organization=orgs[i % len(orgs)])
            for i in range(12)
        )
        for i, person in enumerate(speakers):
            start = (8 * 60) + i * 15
            item = AgendaItem.objects.create(
                day=day,
                title=f"Sesi {i + 1}",
                order=i,
                start_time=time(start // 60, start % 60),
                end_time=time((start + 15) // 60, (start + 15) % 60),
            )
            AgendaRole.objects.create(agenda_item=item, person=person, role="speaker")
        Registration.objects.bulk_create(
            Registration(
                meeting=meeting,
                code=f"B{i:07d}",
                full_name=f"Peserta{i} Wulandari",
                email=f"p{i}@example.test",
                organization=orgs[i % len(orgs)],
                mode="online",
                state="confirmed",
            )
            for i in range(300)
        )
        minutes = prepare_minutes(meeting, author=organizer)
    return organizer, minutes, day


def zoom_vtt(cues: int = 3000, hours: float = 3.0) -> bytes:
    step = hours * 3600 * 1000 / cues
    lines = ["WEBVTT", ""]
    for n in range(cues):
        start = int(n * step)
        end = int(start + step * 0.95)
        block = n // 4  # a speaker holds the floor for about four cues
        if block % 6 == 5:
            label = "iPhone Ruang Rapat"
        elif block % 3 == 0:
            label = f"Narasumber{(n * 12) // cues} S - {AGENCIES[((n * 12) // cues) % len(AGENCIES)]}"
        else:
            k = (block * 7) % 300
            label = f"Peserta{k} W ({AGENCIES[k % len(AGENCIES)]})"
        words = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(12))
        lines += [str(n + 1), f"{_ts(start)} --> {_ts(end)}", f"{label}: {words}.", ""]
    return "\n".join(lines).encode()


def _ts(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="timed imports (default 5)")
    parser.add_argument("--cues", type=int, default=3000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    with django_on_throwaway_database(BENCH_DB, SQLITE_FILE, args.keep) as where:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from minutes.models import DraftPoint, TranscriptImport
        from minutes.services.transcripts import import_transcript
        from minutes.transcripts.parsing import parse

        call_command("migrate", verbosity=0)
        organizer, minutes, day = seed()
        data = zoom_vtt(args.cues)
        started = day.starts_at()

        def run(name="zoom.transcript.vtt"):
            return import_transcript(
                minutes,
                SimpleUploadedFile(name, data),
                author=organizer,
                day=day,
                recording_started_at=started,
            )

        parse_ms = timings_ms(lambda: parse(data), args.n, warm_up=1)
        import_ms = []
        for _ in range(args.n + 1):
            TranscriptImport.objects.filter(minutes=minutes).delete()
            t0 = clock.perf_counter()
            result = run()
            import_ms.append((clock.perf_counter() - t0) * 1000)
        import_ms = sorted(import_ms[1:])  # the first run warms the caches up
        TranscriptImport.objects.filter(minutes=minutes).delete()
        with CaptureQueriesContext(connection) as queries:
            result = run()
        inserts = sum(
            q["sql"].startswith('INSERT INTO "minutes_draftpoint"') for q in queries.captured_queries
        )
        # The same cues in another file (one more line at the end: another digest).
        t0 = clock.perf_counter()
        again = import_transcript(
            minutes,
            SimpleUploadedFile("lagi.vtt", data + b"\n"),
            author=organizer,
            day=day,
            recording_started_at=started,
        )
        reimport_ms = (clock.perf_counter() - t0) * 1000
        drafts = DraftPoint.objects.filter(transcript=result.transcript)
        matched = drafts.exclude(person=None, registration=None).count()
        sections = drafts.values("section").distinct().count()

        median = statistics.median(import_ms)
        print(f"Transcript import on {where}")
        print(f"  file: {len(data) / 1024:.0f} KiB, {result.transcript.cue_count} cues over 3 hours")
        print(
            f"  drafts: {result.created} in {sections} sections, {matched} matched to a speaker or registrant"
        )
        print(f"  parse only (webvtt-py): median {statistics.median(parse_ms):.0f} ms")
        print(
            f"  import (parse, match, place, insert): median {median:.0f} ms, max {import_ms[-1]:.0f} ms "
            f"over {args.n} runs — target under {TARGET_MS:.0f} ms: {'OK' if median < TARGET_MS else 'MISSED'}"
        )
        print(f"  queries of one import: {len(queries)} ({inserts} of them the drafts' bulk inserts)")
        print(
            f"  the same cues in another file: {reimport_ms:.0f} ms, {again.created} drafts added, "
            f"{again.skipped} recognised as already imported"
        )


if __name__ == "__main__":
    main()
