"""Preparing minutes from the agenda, adding points and the revision check (the foundation the
editor, the transcript import and the documents build on)."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from minutes.models import Minutes, Point, Revision, Section
from minutes.services.points import add_point
from minutes.services.preparation import prepare_minutes
from minutes.services.revisions import Conflict, check_base, save_revision
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizerFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    organizer = OrganizerFactory(full_name="Rina Suryani")
    meeting = MeetingFactory(organizers=[organizer], timezone="Asia/Jakarta")
    day1 = MeetingDayFactory(meeting=meeting)
    day2 = MeetingDayFactory(meeting=meeting)
    first = AgendaItemFactory(day=day1, start_time=time(9), end_time=time(10), title="Paparan BP2MI")
    AgendaItemFactory(day=day2, start_time=time(13), end_time=time(14, 30), title="Diskusi")
    speaker = PersonFactory(full_name="Rendra Setiawan", position="Direktur", organization__name="Kemnaker")
    AgendaRoleFactory(agenda_item=first, person=speaker, role="speaker")
    meeting.organizer = organizer
    return meeting


def test_prepared_from_the_agenda_with_opening_items_and_closing(meeting):
    minutes = prepare_minutes(meeting, author=meeting.organizer)
    sections = list(minutes.sections.order_by("order"))
    assert [s.kind for s in sections] == ["opening", "item", "item", "closing"]
    assert [s.title for s in sections] == ["Kata Pembukaan", "Paparan BP2MI", "Diskusi", "Penutup"]
    assert sections[1].roles == [
        {
            "role": "speaker",
            "person_id": sections[1].roles[0]["person_id"],
            "name": "Rendra Setiawan",
            "position": "Direktur",
            "organization": "Kemnaker",
        }
    ]
    assert sections[2].starts_at.astimezone(meeting.tz).hour == 13
    assert minutes.state == Minutes.State.DRAFT
    assert minutes.revision == 1
    assert minutes.recorder_name == "Rina Suryani"
    assert AuditEntry.objects.filter(action="minutes.prepared").count() == 1
    # Preparing again returns the same version and adds nothing.
    assert prepare_minutes(meeting, author=meeting.organizer).pk == minutes.pk
    assert Section.objects.filter(minutes=minutes).count() == 4


def test_a_point_is_saved_as_a_revision_and_a_stale_save_is_a_conflict(meeting):
    minutes = prepare_minutes(meeting, author=meeting.organizer)
    section = minutes.sections.get(kind="item", title="Paparan BP2MI")
    speaker = section.agenda_item.roles.get().person
    point = add_point(section, author=meeting.organizer, text="Perlu **tim terpadu**.\x07", person=speaker)
    assert (point.speaker_name, point.speaker_affiliation) == ("Rendra Setiawan", "Direktur, Kemnaker")
    assert point.text == "Perlu **tim terpadu**."
    assert point.revision == 1
    revision = Revision.objects.get(kind="point", object_id=point.pk)
    assert revision.data["text"] == "Perlu **tim terpadu**."
    assert revision.change == "created"

    check_base(point, 1, {"text": "mine"})  # up to date: no conflict
    point.text = "Diubah oleh notulis lain."
    point.save()
    save_revision(point, author=meeting.organizer)
    with pytest.raises(Conflict) as caught:
        check_base(point, 1, {"text": "mine"})
    assert caught.value.current.number == 2
    assert caught.value.current.data["text"] == "Diubah oleh notulis lain."
    assert caught.value.mine == {"text": "mine"}


def test_no_point_without_text_and_none_once_submitted(meeting):
    minutes = prepare_minutes(meeting, author=meeting.organizer)
    section = minutes.sections.first()
    with pytest.raises(ValidationError):
        add_point(section, author=meeting.organizer, text=" \x00 ")
    Minutes.objects.filter(pk=minutes.pk).update(state=Minutes.State.SUBMITTED)
    with pytest.raises(ValidationError):
        add_point(section, author=meeting.organizer, text="Terlambat", speaker_name="Peserta")
    assert not Point.objects.exists()
