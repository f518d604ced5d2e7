"""Importing a transcript: parsing, placement on the agenda, matching speakers, re-imports."""

import math
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEntry
from minutes.models import DraftPoint, Minutes, Point, TranscriptImport
from minutes.services.transcripts import import_transcript

from .conftest import PLAIN, ZOOM_SRT, ZOOM_VTT, upload

pytestmark = pytest.mark.django_db


def rows(transcript):
    return [
        (d.section.title, d.speaker_label, d.person_id, d.registration_id, d.cue_count, d.text)
        for d in transcript.drafts.select_related("section").order_by("starts_at", "id")
    ]


def test_a_zoom_transcript_is_placed_by_time_grouped_by_speaker_and_matched(minutes, meeting, organizer):
    result = import_transcript(minutes, upload(ZOOM_VTT), author=organizer, day=meeting.day)
    siti = meeting.registrations.get()
    assert (result.created, result.skipped, result.already_imported) == (7, 0, False)
    assert rows(result.transcript) == [
        (
            "Pembukaan",
            "Lismia Elita",
            None,
            None,
            2,
            "Selamat pagi Bapak Ibu sekalian, kita mulai FGD hari ini. Terima kasih atas kehadirannya.",
        ),
        # Starts at 09.09.55, before the boundary of 09.10: goes by its start, then the next cue
        # (09.10.04) is in the next item and starts a new draft.
        (
            "Pembukaan",
            "Rendra S - Kemnaker",
            meeting.rendra.pk,
            None,
            1,
            "Baik, terima kasih. Saya akan memaparkan data penempatan.",
        ),
        (
            "Paparan Kemnaker",
            "Rendra S - Kemnaker",
            meeting.rendra.pk,
            None,
            1,
            "Ada peningkatan pengaduan PMI nonprosedural sepanjang tahun ini.",
        ),
        (
            "Paparan Kemnaker",
            "Siti N (BP2MI)",
            None,
            siti.pk,
            1,
            "Izin menambahkan, perlu tim pengawasan terpadu lintas kementerian.",
        ),
        ("Paparan Kemnaker", "iPhone Galaxy", None, None, 1, "Suaranya putus-putus, Pak."),
        (
            "Diskusi",
            "Rendra S - Kemnaker",
            meeting.rendra.pk,
            None,
            2,
            "Untuk rujukan kasus, kami usulkan alur yang jelas. Antara BP2MI, Kemnaker, Kemlu, dan Kemenhub.",
        ),
        ("Penutup", "Lismia Elita", None, None, 1, "Demikian, terima kasih. Kita tutup."),
    ]
    transcript = result.transcript
    assert (transcript.format, transcript.cue_count, transcript.filename) == (
        "vtt",
        9,
        "GMT20310922-020000_Recording.transcript.vtt",
    )
    assert transcript.recording_started_at == datetime(2031, 9, 22, 9, tzinfo=meeting.tz)
    first = transcript.drafts.order_by("starts_at").first()
    assert first.starts_at == datetime(2031, 9, 22, 9, 0, 5, 120000, tzinfo=meeting.tz)
    assert first.ends_at == datetime(2031, 9, 22, 9, 0, 14, 10000, tzinfo=meeting.tz)
    # Nothing enters the minutes unaccepted.
    assert Point.objects.count() == 0
    entry = AuditEntry.objects.get(action="minutes.transcript_imported")
    assert entry.data == {"filename": transcript.filename, "cues": 9, "drafts": 7, "skipped": 0}


def test_the_recording_start_moves_every_cue(minutes, meeting, organizer):
    started = datetime(2031, 9, 22, 9, 20, tzinfo=meeting.tz)
    result = import_transcript(
        minutes, upload(ZOOM_VTT), author=organizer, day=meeting.day, recording_started_at=started
    )
    sections = [t for t, *_ in rows(result.transcript)]
    assert sections == ["Diskusi", "Diskusi", "Penutup", "Penutup", "Penutup", "Penutup", "Penutup"]
    # Diskusi's first draft joins Lismia's two opening cues; then Rendra's cue before 09.30.
    assert result.created == 7


def test_the_same_file_again_adds_nothing(minutes, meeting, organizer):
    first = import_transcript(minutes, upload(ZOOM_VTT), author=organizer)
    again = import_transcript(minutes, upload(ZOOM_VTT, name="lagi.vtt"), author=organizer)
    assert (again.transcript.pk, again.created, again.already_imported) == (first.transcript.pk, 0, True)
    assert TranscriptImport.objects.count() == 1
    assert DraftPoint.objects.count() == 7


def test_the_same_cues_in_another_file_add_only_what_is_new(minutes, meeting, organizer):
    import_transcript(minutes, upload(ZOOM_VTT), author=organizer)
    longer = ZOOM_VTT + "\n10\n00:31:10.000 --> 00:31:12.000\nRendra S - Kemnaker: Terima kasih.\n"
    result = import_transcript(minutes, upload(longer, name="lengkap.vtt"), author=organizer)
    assert (result.created, result.skipped) == (1, 7)
    assert [d.text for d in result.transcript.drafts.all()] == ["Terima kasih."]
    assert DraftPoint.objects.count() == 8


def test_a_malformed_file_is_refused_with_a_clear_message_and_nothing_changes(minutes, organizer):
    broken = "WEBVTT\n\n1\n00:00:05.120 --> 00:0x:09.480\nLismia Elita: Selamat pagi.\n"
    with pytest.raises(ValidationError) as caught:
        import_transcript(minutes, upload(broken), author=organizer)
    assert caught.value.messages[0].startswith(
        "Berkas ini bukan transkrip WebVTT yang sah: baris “00:00:05.120 --> 00:0x:09.480” tidak dapat dibaca."
    )
    assert caught.value.messages[0].endswith("Tidak ada yang diimpor.")
    assert (TranscriptImport.objects.count(), DraftPoint.objects.count()) == (0, 0)
    assert not AuditEntry.objects.filter(action="minutes.transcript_imported").exists()


def test_a_file_that_is_not_text_or_empty_or_too_big_is_refused(minutes, organizer, monkeypatch):
    with pytest.raises(ValidationError) as caught:
        import_transcript(minutes, upload(b"\x89PNG\r\n\x1a\n\xff\xfe\xfd"), author=organizer)
    assert caught.value.messages == [
        "Berkas ini bukan teks yang dapat dibaca: simpan sebagai UTF-8 (atau UTF-16) lalu unggah lagi."
    ]
    with pytest.raises(ValidationError) as caught:
        import_transcript(minutes, upload("WEBVTT\n\n"), author=organizer)
    assert caught.value.messages == ["Berkas ini tidak memuat ucapan untuk diimpor. Tidak ada yang diimpor."]
    monkeypatch.setattr("minutes.transcripts.parsing.MAX_CUES", 3)
    with pytest.raises(ValidationError) as caught:
        import_transcript(minutes, upload(ZOOM_VTT), author=organizer)
    assert caught.value.messages == ["Transkrip memuat lebih dari 3 potongan: bagi menjadi beberapa berkas."]
    big = upload(b"WEBVTT\n\n" + b"x" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        import_transcript(minutes, big, author=organizer)
    assert caught.value.messages == ["Berkas lebih besar dari 5 MB: bagi menjadi beberapa berkas."]
    assert TranscriptImport.objects.count() == 0


def test_utf16_and_srt_and_a_bom_are_read(minutes, organizer):
    srt = import_transcript(
        minutes, upload(ZOOM_SRT, name="rekaman.srt", encoding="utf-16"), author=organizer
    )
    assert srt.transcript.format == "srt"
    assert [(t, s, x) for t, s, _p, _r, _c, x in rows(srt.transcript)] == [
        ("Pembukaan", "Lismia Elita", "Selamat pagi."),
        ("Paparan Kemnaker", "Rendra S - Kemnaker", "Ada peningkatan pengaduan."),
    ]
    bom = import_transcript(minutes, upload(b"\xef\xbb\xbf" + ZOOM_VTT.encode()), author=organizer)
    assert (bom.transcript.format, bom.created, bom.skipped) == ("vtt", 7, 0)


def test_plain_text_goes_to_the_chosen_section(minutes, meeting, organizer):
    diskusi = minutes.sections.get(title="Diskusi")
    with pytest.raises(ValidationError) as caught:
        import_transcript(minutes, upload(PLAIN, name="catatan.txt"), author=organizer)
    assert caught.value.message_dict == {
        "section": ["Transkrip teks biasa tidak memuat waktu: pilih mata acara tempatnya."]
    }
    result = import_transcript(minutes, upload(PLAIN, name="catatan.txt"), author=organizer, section=diskusi)
    assert result.transcript.format == "plain"
    assert rows(result.transcript) == [
        ("Diskusi", "Lismia Elita", None, None, 1, "Selamat pagi."),
        (
            "Diskusi",
            "Rendra S - Kemnaker",
            meeting.rendra.pk,
            None,
            2,
            "Data penempatan naik. dan pengaduan juga naik.",
        ),
        ("Diskusi", "Siti N (BP2MI)", None, meeting.registrations.get().pk, 1, "Perlu tim terpadu."),
    ]


def test_only_a_draft_version_takes_a_transcript(minutes, organizer):
    Minutes.objects.filter(pk=minutes.pk).update(state=Minutes.State.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        import_transcript(minutes, upload(ZOOM_VTT), author=organizer)
    assert caught.value.messages == ["Notula ini bukan draf lagi: tidak dapat diubah."]
    assert TranscriptImport.objects.count() == 0


def test_the_import_takes_a_fixed_number_of_queries(minutes, organizer):
    many = "WEBVTT\n\n" + "".join(
        f"{n}\n00:{n // 60:02d}:{n % 60:02d}.000 --> 00:{n // 60:02d}:{n % 60:02d}.900\n"
        f"{'Rendra S - Kemnaker' if n % 2 else 'Siti N (BP2MI)'}: kalimat {n}\n\n"
        for n in range(1, 1200)
    )
    with CaptureQueriesContext(connection) as small:
        import_transcript(minutes, upload(ZOOM_VTT), author=organizer)
    with CaptureQueriesContext(connection) as large:
        result = import_transcript(minutes, upload(many, name="besar.vtt"), author=organizer)
    assert result.created == 1199

    def inserts(context):
        return [
            q for q in context.captured_queries if q["sql"].startswith('INSERT INTO "minutes_draftpoint"')
        ]

    # The same queries whatever the size, but for the drafts' bulk inserts (a batch is as large
    # as the database takes: 500 rows, fewer on SQLite).
    fields = [f for f in DraftPoint._meta.concrete_fields if not f.primary_key]
    batch = min(500, connection.ops.bulk_batch_size(fields, [DraftPoint()] * 1199))
    assert len(inserts(small)) == 1
    assert len(inserts(large)) == math.ceil(1199 / batch)
    assert len(large) - len(inserts(large)) == len(small) - 1 <= 13
