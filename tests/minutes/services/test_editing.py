"""Editing the heading, sections and points: revisions, conflicts, no-change saves, locking."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from minutes.models import Minutes, Point, Revision
from minutes.services import editing
from minutes.services.points import add_point
from minutes.services.revisions import Conflict
from participants.models import Registration
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def revisions(obj, kind):
    return list(
        Revision.objects.filter(kind=kind, object_id=obj.pk)
        .order_by("number")
        .values_list("number", "change")
    )


def test_update_heading_saves_a_revision_with_author(draft, notulis):
    editing.update_heading(
        draft, author=notulis, base=1, chair_name="  Lismia   Elita ", signed_on=date(2031, 9, 22)
    )
    draft.refresh_from_db()
    assert (draft.chair_name, draft.signed_on, draft.revision) == ("Lismia   Elita", date(2031, 9, 22), 2)
    latest = Revision.objects.get(kind=Revision.Kind.HEADING, object_id=draft.pk, number=2)
    assert latest.author == notulis
    assert latest.data["chair_name"] == "Lismia   Elita"
    assert latest.data["signed_on"] == "2031-09-22"


def test_update_heading_refuses_bad_values_and_changes_nothing(draft, notulis):
    with pytest.raises(ValidationError):
        editing.update_heading(draft, author=notulis, base=1, signed_by="nobody")
    with pytest.raises(ValidationError):
        editing.update_heading(draft, author=notulis, base=1, signer_nip="1" * 31)
    with pytest.raises(ValidationError):
        editing.update_heading(draft, author=notulis, base=1, state="approved")
    draft.refresh_from_db()
    assert (draft.revision, draft.signer_nip, draft.state) == (1, "", Minutes.State.DRAFT)


def test_update_section_then_a_stale_save_conflicts_with_both_versions(item_section, notulis, chair):
    editing.update_section(item_section, author=notulis, base=0, summary="Paparan **data** penempatan.")
    with pytest.raises(Conflict) as caught:
        editing.update_section(item_section, author=chair, base=0, summary="Versi saya.")
    conflict = caught.value
    assert conflict.current.number == 1
    assert conflict.current.author == notulis
    assert conflict.current.data["summary"] == "Paparan **data** penempatan."
    assert conflict.mine["summary"] == "Versi saya."
    item_section.refresh_from_db()
    assert (item_section.summary, item_section.revision) == ("Paparan **data** penempatan.", 1)
    # Saving deliberately over the newer revision works.
    editing.update_section(item_section, author=chair, base=1, summary="Versi saya.")
    item_section.refresh_from_db()
    assert (item_section.summary, item_section.revision) == ("Versi saya.", 2)
    assert revisions(item_section, Revision.Kind.SECTION) == [(1, "changed"), (2, "changed")]


def test_a_save_that_changes_nothing_makes_no_revision_and_never_conflicts(item_section, notulis):
    editing.update_section(item_section, author=notulis, base=0, summary="Sama.")
    editing.update_section(item_section, author=notulis, base=0, summary="Sama.")
    item_section.refresh_from_db()
    assert item_section.revision == 1
    assert Revision.objects.filter(kind=Revision.Kind.SECTION, object_id=item_section.pk).count() == 1


def test_a_section_needs_a_title(item_section, notulis):
    with pytest.raises(ValidationError):
        editing.update_section(item_section, author=notulis, base=0, title="   ")
    item_section.refresh_from_db()
    assert item_section.title == "Paparan Kemnaker"


def test_update_point_changes_speaker_and_text(item_section, notulis, rendra, registrant):
    point = add_point(item_section, author=notulis, text="Data naik.", person=rendra)
    editing.update_point(point, author=notulis, base=1, text="Data pengaduan naik.", registration=registrant)
    point.refresh_from_db()
    assert (point.person, point.registration, point.speaker_name, point.speaker_affiliation) == (
        None,
        registrant,
        "Siti Nurhaliza",
        "Analis, BP3MI Jawa Timur",
    )
    assert point.text == "Data pengaduan naik."
    assert revisions(point, Revision.Kind.POINT) == [(1, "created"), (2, "changed")]


def test_update_point_refuses_empty_text_and_another_meetings_registrant(item_section, notulis):
    point = add_point(item_section, author=notulis, text="Data naik.", speaker_name="Peserta")
    with pytest.raises(ValidationError):
        editing.update_point(point, author=notulis, base=1, text=" \n ")
    stranger = Registration.objects.create(
        meeting=MeetingFactory(), full_name="Orang Lain", email="lain@example.test"
    )
    with pytest.raises(ValidationError):
        editing.update_point(point, author=notulis, base=1, text="Lain.", registration=stranger)
    point.refresh_from_db()
    assert (point.text, point.registration, point.revision) == ("Data naik.", None, 1)


def test_delete_point_keeps_a_deleted_revision_and_checks_the_base(item_section, notulis):
    point = add_point(item_section, author=notulis, text="Hapus saya.", speaker_name="Peserta")
    with pytest.raises(Conflict):
        editing.delete_point(point, author=notulis, base=0)
    assert Point.objects.filter(pk=point.pk).exists()
    editing.delete_point(point, author=notulis, base=1)
    assert not Point.objects.filter(pk=point.pk).exists()
    assert revisions(point, Revision.Kind.POINT) == [(1, "created"), (2, "deleted")]


def test_move_point_swaps_neighbours(item_section, notulis):
    first, second, third = (
        add_point(item_section, author=notulis, text=text, speaker_name="P") for text in ("a", "b", "c")
    )
    editing.move_point(third, author=notulis, direction="up")
    assert list(item_section.points.values_list("text", flat=True)) == ["a", "c", "b"]
    editing.move_point(first, author=notulis, direction="up")  # already first: nothing moves
    editing.move_point(first, author=notulis, direction="down")
    assert list(item_section.points.values_list("text", flat=True)) == ["c", "a", "b"]
    with pytest.raises(ValidationError):
        editing.move_point(second, author=notulis, direction="sideways")


@pytest.mark.parametrize("state", [Minutes.State.SUBMITTED, Minutes.State.APPROVED])
def test_nothing_changes_once_the_minutes_left_draft(draft, item_section, notulis, state):
    point = add_point(item_section, author=notulis, text="Tetap.", speaker_name="P")
    Minutes.objects.filter(pk=draft.pk).update(state=state)
    with pytest.raises(ValidationError):
        editing.update_heading(draft, author=notulis, base=None, chair_name="X")
    with pytest.raises(ValidationError):
        editing.update_section(item_section, author=notulis, base=None, summary="X")
    with pytest.raises(ValidationError):
        editing.update_point(point, author=notulis, base=None, text="X")
    with pytest.raises(ValidationError):
        editing.delete_point(point, author=notulis, base=None)
    draft.refresh_from_db()
    item_section.refresh_from_db()
    point.refresh_from_db()
    assert (draft.chair_name, item_section.summary, point.text) == ("", "", "Tetap.")
