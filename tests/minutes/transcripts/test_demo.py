"""The demo imports the sample Zoom transcript into the upcoming socialization's draft minutes."""

import pytest
from django.urls import reverse

from accounts.models import User
from config.demo_transcripts import MEETING_TITLE, import_sample_transcript
from minutes.models import DraftPoint, Minutes, Point, TranscriptImport


@pytest.fixture
def demo(seeded_demo, db):
    return seeded_demo


def test_the_demo_has_drafts_from_the_sample_transcript(demo):
    minutes = Minutes.objects.get(meeting__title=MEETING_TITLE, state=Minutes.State.DRAFT)
    transcript = TranscriptImport.objects.get(minutes=minutes)
    assert (transcript.filename, transcript.format, transcript.cue_count) == (
        "zoom-sosialisasi-pengaduan-cpmi.transcript.vtt",
        "vtt",
        26,
    )
    drafts = list(transcript.drafts.select_related("section", "person").order_by("starts_at", "id"))
    assert [
        (d.section.title, d.person.full_name if d.person else d.speaker_label, d.cue_count) for d in drafts
    ] == [
        ("Pembukaan", "Dewi Anggraini", 3),
        ("Pembukaan", "Devriel Sogia", 4),
        ("Pembukaan", "Dewi Anggraini", 1),
        ("Hak dan kewajiban CPMI dalam penempatan", "Rendra Setiawan", 4),
        ("Hak dan kewajiban CPMI dalam penempatan", "Galaxy A52", 1),
        ("Hak dan kewajiban CPMI dalam penempatan", "Dewi Anggraini", 1),
        ("Hak dan kewajiban CPMI dalam penempatan", "Rendra Setiawan", 4),
        ("Tanya jawab", "Dewi Anggraini", 1),
        ("Tanya jawab", "Petugas UPT Makassar", 2),
        ("Tanya jawab", "Devriel Sogia", 2),
        ("Tanya jawab", "Rendra Setiawan", 1),
        ("Tanya jawab", "Dewi Anggraini", 2),
    ]
    assert Point.objects.filter(section__minutes=minutes).count() == 0
    # Seeding again (or importing the sample again) adds nothing.
    again = import_sample_transcript(author=None)
    assert (again.already_imported, again.created) == (True, 0)
    assert DraftPoint.objects.filter(transcript__minutes=minutes).count() == 12


def test_the_demo_secretary_opens_the_review_page(demo, client):
    minutes = Minutes.objects.get(meeting__title=MEETING_TITLE, state=Minutes.State.DRAFT)
    transcript = TranscriptImport.objects.get(minutes=minutes)
    client.force_login(User.objects.get(email="notulis@sinergi.test"))
    code = minutes.meeting.code
    page = client.get(reverse("minutes:transcripts", kwargs={"code": code}))
    assert page.status_code == 200
    assert "zoom-sosialisasi-pengaduan-cpmi.transcript.vtt" in page.content.decode()
    review = client.get(reverse("minutes:transcript_review", kwargs={"code": code, "pk": transcript.pk}))
    assert review.content.decode().count('data-state="pending"') == 12
