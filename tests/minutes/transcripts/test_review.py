"""Reviewing drafts: accept, edit then accept, merge, discard; nothing enters unaccepted."""

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from minutes.models import DraftPoint, Minutes, Point, Revision
from minutes.services import transcripts as service

from .conftest import ZOOM_VTT, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts(minutes, meeting, organizer):
    transcript = service.import_transcript(minutes, upload(ZOOM_VTT), author=organizer).transcript
    return list(transcript.drafts.select_related("section").order_by("starts_at", "id"))


def test_accepting_a_draft_adds_a_point_from_the_transcript(drafts, meeting, secretary):
    rendra = drafts[2]
    point = service.accept_draft(rendra, author=secretary)
    assert (
        point.section.title,
        point.speaker_name,
        point.speaker_affiliation,
        point.person_id,
        point.source,
    ) == (
        "Paparan Kemnaker",
        "Rendra Setiawan",
        "Direktur, Kementerian Ketenagakerjaan",
        meeting.rendra.pk,
        Point.Source.TRANSCRIPT,
    )
    assert point.text == "Ada peningkatan pengaduan PMI nonprosedural sepanjang tahun ini."
    rendra.refresh_from_db()
    assert (rendra.state, rendra.point_id) == (DraftPoint.State.ACCEPTED, point.pk)
    assert Revision.objects.filter(kind="point", object_id=point.pk).count() == 1
    assert list(Point.objects.all()) == [point]
    entry = AuditEntry.objects.get(action="minutes.draft_accepted")
    assert entry.data == {"point": point.pk, "section": "Paparan Kemnaker", "speaker": "Rendra Setiawan"}
    with pytest.raises(ValidationError) as caught:
        service.accept_draft(rendra, author=secretary)
    assert caught.value.messages == ["Draf ini sudah ditinjau."]
    assert Point.objects.count() == 1


def test_an_unknown_speaker_keeps_the_label_and_a_registrant_is_named(drafts, secretary):
    unknown = service.accept_draft(drafts[4], author=secretary)
    assert (unknown.speaker_name, unknown.person_id, unknown.registration_id) == ("iPhone Galaxy", None, None)
    siti = service.accept_draft(drafts[3], author=secretary)
    assert (siti.speaker_name, siti.speaker_affiliation) == (
        "Siti Nurhaliza",
        "Analis, Badan Pelindungan Pekerja Migran Indonesia",
    )


def test_a_draft_edited_then_accepted_keeps_the_correction(drafts, minutes, secretary):
    diskusi = minutes.sections.get(title="Diskusi")
    edited = service.update_draft(
        drafts[1], author=secretary, text="Pemaparan **data penempatan**.", section=diskusi
    )
    assert (edited.state, edited.section_id, edited.text) == (
        "pending",
        diskusi.pk,
        "Pemaparan **data penempatan**.",
    )
    assert Point.objects.count() == 0
    point = service.accept_draft(edited, author=secretary)
    assert (point.section_id, point.text) == (diskusi.pk, "Pemaparan **data penempatan**.")
    with pytest.raises(ValidationError) as caught:
        service.update_draft(drafts[2], author=secretary, text="  ")
    assert caught.value.message_dict == {"text": ["Tuliskan apa yang disampaikan."]}
    assert [
        e.action for e in AuditEntry.objects.filter(action__startswith="minutes.draft").order_by("pk")
    ] == [
        "minutes.draft_edited",
        "minutes.draft_accepted",
    ]


def test_drafts_of_one_section_merge_into_one_point(drafts, secretary):
    rendra, siti, unknown = drafts[2], drafts[3], drafts[4]
    point = service.merge_drafts([siti, rendra], author=secretary)
    assert (point.speaker_name, point.section.title) == ("Rendra Setiawan", "Paparan Kemnaker")
    assert point.text == (
        "Ada peningkatan pengaduan PMI nonprosedural sepanjang tahun ini.\n\n"
        "**Siti Nurhaliza**: Izin menambahkan, perlu tim pengawasan terpadu lintas kementerian."
    )
    states = dict(DraftPoint.objects.filter(pk__in=[rendra.pk, siti.pk]).values_list("pk", "state"))
    assert states == {rendra.pk: "accepted", siti.pk: "merged"}
    assert Point.objects.count() == 1
    assert AuditEntry.objects.get(action="minutes.drafts_merged").data == {
        "point": point.pk,
        "count": 2,
        "section": "Paparan Kemnaker",
    }
    with pytest.raises(ValidationError) as caught:
        service.merge_drafts([unknown, drafts[0]], author=secretary)
    assert caught.value.messages == ["Hanya draf dari mata acara yang sama yang dapat digabungkan."]
    with pytest.raises(ValidationError):
        service.merge_drafts([unknown], author=secretary)
    assert Point.objects.count() == 1


def test_a_discarded_draft_never_enters_the_minutes(drafts, secretary):
    service.discard_draft(drafts[4], author=secretary)
    assert DraftPoint.objects.get(pk=drafts[4].pk).state == "discarded"
    with pytest.raises(ValidationError):
        service.accept_draft(drafts[4], author=secretary)
    assert Point.objects.count() == 0
    assert AuditEntry.objects.get(action="minutes.draft_discarded").data == {
        "draft": drafts[4].pk,
        "speaker": "iPhone Galaxy",
    }


def test_nothing_is_accepted_once_the_minutes_are_submitted(drafts, minutes, secretary):
    Minutes.objects.filter(pk=minutes.pk).update(state=Minutes.State.SUBMITTED)
    for action in (
        lambda: service.accept_draft(drafts[0], author=secretary),
        lambda: service.discard_draft(drafts[0], author=secretary),
        lambda: service.merge_drafts(drafts[2:4], author=secretary),
        lambda: service.update_draft(drafts[0], author=secretary, text="x"),
    ):
        with pytest.raises(ValidationError):
            action()
    assert Point.objects.count() == 0
    assert set(DraftPoint.objects.values_list("state", flat=True)) == {"pending"}
