"""The upload and review pages through the client: who may use them, and what they change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minutes.models import DraftPoint, Minutes, Point, TranscriptImport
from minutes.services.preparation import prepare_minutes
from minutes.services.transcripts import import_transcript
from tests.conftest import login
from tests.factories import MeetingDayFactory, MeetingFactory, UserFactory

from .conftest import PLAIN, ZOOM_VTT, upload

pytestmark = pytest.mark.django_db


def page_url(meeting):
    return reverse("minutes:transcripts", kwargs={"code": meeting.code})


def review_url(meeting, transcript):
    return reverse("minutes:transcript_review", kwargs={"code": meeting.code, "pk": transcript.pk})


@pytest.fixture
def transcript(minutes, organizer):
    return import_transcript(minutes, upload(ZOOM_VTT), author=organizer).transcript


def test_a_secretary_uploads_a_zoom_file_and_reviews_it(client, meeting, minutes, secretary):
    login(client, secretary)
    response = client.get(page_url(meeting))
    assert response.status_code == 200
    assert "Unggah transkrip" in response.content.decode()
    response = client.post(
        page_url(meeting),
        {"file": upload(ZOOM_VTT), "format": "", "day": meeting.day.pk, "start_time": "09:00"},
        follow=True,
    )
    transcript = TranscriptImport.objects.get()
    assert response.redirect_chain == [(review_url(meeting, transcript), 302)]
    html = response.content.decode()
    assert "7 draf poin menunggu ditinjau." in html
    sections = [
        s
        for s in ("Kata Pembukaan", "Pembukaan", "Paparan Kemnaker", "Diskusi", "Penutup")
        if f">{s}</h2>" in html
    ]
    assert sections == ["Pembukaan", "Paparan Kemnaker", "Diskusi", "Penutup"]
    for shown in ("Rendra Setiawan", "iPhone Galaxy", "tidak dikenali", "<time>09.10.04</time>"):
        assert shown in html
    assert Point.objects.count() == 0


def test_plain_text_needs_a_section_and_the_error_shows_on_the_form(client, meeting, minutes, secretary):
    login(client, secretary)
    response = client.post(
        page_url(meeting), {"file": upload(PLAIN, name="catatan.txt"), "day": meeting.day.pk}
    )
    assert response.status_code == 200
    assert "Transkrip teks biasa tidak memuat waktu: pilih mata acara tempatnya." in response.content.decode()
    assert TranscriptImport.objects.count() == 0


def test_a_malformed_file_shows_a_clear_error_and_changes_nothing(client, meeting, minutes, secretary):
    login(client, secretary)
    broken = upload("WEBVTT\n\n1\n00:00:05 --> 00:00:09.480\nAni: halo\n")
    response = client.post(page_url(meeting), {"file": broken, "day": meeting.day.pk})
    assert response.status_code == 200
    assert (
        "Berkas ini bukan transkrip WebVTT yang sah: baris “00:00:05 --&gt; 00:00:09.480” tidak dapat dibaca."
        in (response.content.decode())
    )
    assert TranscriptImport.objects.count() == DraftPoint.objects.count() == 0


def test_the_same_file_twice_says_so(client, meeting, transcript, secretary):
    login(client, secretary)
    response = client.post(page_url(meeting), {"file": upload(ZOOM_VTT), "day": meeting.day.pk}, follow=True)
    assert "Berkas ini sudah pernah diimpor: tidak ada yang ditambahkan." in response.content.decode()
    assert DraftPoint.objects.count() == 7


def test_accept_discard_and_merge_without_javascript(client, meeting, transcript, secretary):
    login(client, secretary)
    drafts = list(transcript.drafts.order_by("starts_at", "id"))
    url = review_url(meeting, transcript)
    assert client.post(url, {"accept": drafts[2].pk}).status_code == 302
    assert client.post(url, {"discard": drafts[4].pk}).status_code == 302
    response = client.post(url, {"merge": "1", "drafts": [drafts[0].pk, drafts[1].pk]}, follow=True)
    assert "2 draf digabungkan menjadi satu poin notula." in response.content.decode()
    assert list(Point.objects.order_by("section__order", "order").values_list("speaker_name", "source")) == [
        ("Lismia Elita", "transcript"),
        ("Rendra Setiawan", "transcript"),
    ]
    states = list(transcript.drafts.order_by("starts_at", "id").values_list("state", flat=True))
    assert states == ["accepted", "merged", "accepted", "pending", "discarded", "pending", "pending"]
    # Merging drafts of two sections is refused with the reason, nothing changes.
    response = client.post(url, {"merge": "1", "drafts": [drafts[3].pk, drafts[5].pk]}, follow=True)
    assert "Hanya draf dari mata acara yang sama yang dapat digabungkan." in response.content.decode()
    assert Point.objects.count() == 2


def test_accept_with_htmx_returns_the_row(client, meeting, transcript, secretary):
    login(client, secretary)
    draft = transcript.drafts.order_by("starts_at", "id")[2]
    response = client.post(review_url(meeting, transcript), {"accept": draft.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<tr id="draft-{draft.pk}" data-state="accepted">')
    assert "Diterima" in html
    assert Point.objects.get().text == draft.text


def test_edit_then_accept(client, meeting, minutes, transcript, secretary):
    login(client, secretary)
    draft = transcript.drafts.order_by("starts_at", "id")[4]
    url = reverse(
        "minutes:draft_edit", kwargs={"code": meeting.code, "pk": transcript.pk, "draft_id": draft.pk}
    )
    assert client.get(url).status_code == 200
    diskusi = minutes.sections.get(title="Diskusi")
    response = client.post(url, {"text": "", "section": diskusi.pk})
    assert "Bidang ini tidak boleh kosong." in response.content.decode()
    assert DraftPoint.objects.get(pk=draft.pk).text == "Suaranya putus-putus, Pak."
    response = client.post(url, {"text": "Gangguan audio.", "section": diskusi.pk, "accept": "1"})
    assert response.status_code == 302
    point = Point.objects.get()
    assert (point.section_id, point.text, point.speaker_name) == (
        diskusi.pk,
        "Gangguan audio.",
        "iPhone Galaxy",
    )


def test_another_meetings_secretary_and_outsiders_get_404(client, meeting, transcript):
    other_secretary = UserFactory(email="lain@example.test")
    other = MeetingFactory(secretaries=[other_secretary])
    MeetingDayFactory(meeting=other)
    prepare_minutes(other, author=other_secretary)
    draft = transcript.drafts.first()
    urls = [
        page_url(meeting),
        review_url(meeting, transcript),
        reverse(
            "minutes:draft_edit", kwargs={"code": meeting.code, "pk": transcript.pk, "draft_id": draft.pk}
        ),
    ]
    for user in (other_secretary, UserFactory(email="siapa@example.test")):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url, {"accept": draft.pk}).status_code == 404
    # Their own meeting's code does not open this meeting's import either.
    login(client, other_secretary)
    assert client.get(review_url(other, transcript)).status_code == 404
    assert client.post(review_url(other, transcript), {"accept": draft.pk}).status_code == 404
    client.logout()
    assert client.get(urls[1]).status_code == 302
    assert Point.objects.count() == 0
    assert DraftPoint.objects.filter(state="pending").count() == 7


def test_a_submitted_version_is_read_only(client, meeting, minutes, transcript, secretary):
    Minutes.objects.filter(pk=minutes.pk).update(state=Minutes.State.SUBMITTED)
    login(client, secretary)
    response = client.get(review_url(meeting, transcript))
    assert response.status_code == 200
    assert "Notula ini bukan draf lagi: draf tidak dapat diterima lagi." in response.content.decode()
    assert 'name="accept"' not in response.content.decode()
    draft = transcript.drafts.first()
    assert client.post(review_url(meeting, transcript), {"accept": draft.pk}).status_code == 403
    assert client.post(page_url(meeting), {"file": upload(PLAIN), "day": meeting.day.pk}).status_code == 403
    assert Point.objects.count() == 0


def test_a_too_large_upload_is_refused_from_its_length(client, meeting, minutes, secretary):
    login(client, secretary)
    response = client.post(
        page_url(meeting),
        {"file": upload(b"WEBVTT\n\n" + b"a" * (5 * 1024 * 1024 + 70 * 1024)), "day": meeting.day.pk},
    )
    assert response.status_code == 413
    assert "Transkrip paling besar 5 MB." in response.content.decode()
    assert TranscriptImport.objects.count() == 0


def test_uploads_are_rate_limited(client, meeting, minutes, secretary, monkeypatch):
    monkeypatch.setattr("minutes.views.transcripts.UPLOADS_PER_MINUTE", 2)
    login(client, secretary)
    codes = [
        client.post(page_url(meeting), {"file": upload(f"Ani: halo {n}"), "day": meeting.day.pk}).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_the_review_page_takes_a_fixed_number_of_queries(
    client, meeting, minutes, transcript, secretary, organizer
):
    login(client, secretary)
    url = review_url(meeting, transcript)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    many = "WEBVTT\n\n" + "".join(
        f"{n}\n00:{n // 60:02d}:{n % 60:02d}.000 --> 00:{n // 60:02d}:{n % 60:02d}.900\n"
        f"{'Rendra S - Kemnaker' if n % 2 else 'Siti N (BP2MI)'}: kalimat {n}\n\n"
        for n in range(1, 300)
    )
    big = import_transcript(minutes, upload(many, name="besar.vtt"), author=organizer).transcript
    with CaptureQueriesContext(connection) as lots:
        response = client.get(review_url(meeting, big))
    assert response.content.decode().count('data-state="pending"') == 299
    assert len(lots) == len(few)


def test_a_meeting_without_days_says_so(client, secretary):
    bare = MeetingFactory(secretaries=[secretary])
    login(client, secretary)
    response = client.get(page_url(bare))
    assert "Rapat ini belum memiliki hari: tambahkan dulu pada agenda." in response.content.decode()
    assert 'id="transcript-upload-form"' not in response.content.decode()
