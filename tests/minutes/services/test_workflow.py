"""The approval workflow: submit, return, approve (lock), correct as a new version, publish."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.audit import entries_for
from core.models import AuditEntry
from minutes.models import Minutes, Point, Recommendation, Revision, Section
from minutes.services import editing, workflow
from minutes.services import recommendations as recs
from minutes.services.points import add_point
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def actions(minutes):
    return list(entries_for(minutes).order_by("created_at", "id").values_list("action", flat=True))


def fresh(minutes):
    return Minutes.objects.get(pk=minutes.pk)


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.test")


@pytest.fixture
def submitted(draft, notulis):
    return workflow.submit(draft, by=notulis)


@pytest.fixture
def approved(submitted, chair):
    return workflow.approve(submitted, by=chair, signed_on=date(2031, 9, 22))


# Submit and return --------------------------------------------------------------------------------


def test_a_secretary_submits_the_draft(draft, notulis):
    workflow.submit(draft, by=notulis)
    minutes = fresh(draft)
    assert minutes.state == Minutes.State.SUBMITTED
    assert minutes.submitted_by == notulis
    assert minutes.submitted_at is not None
    entry = entries_for(minutes).get(action="minutes.submitted")
    assert (entry.actor, entry.data) == (notulis, {"version": 1})


def test_a_stranger_cannot_submit(draft, stranger):
    with pytest.raises(PermissionDenied):
        workflow.submit(draft, by=stranger)
    minutes = fresh(draft)
    assert (minutes.state, minutes.submitted_by, minutes.submitted_at) == (Minutes.State.DRAFT, None, None)
    assert "minutes.submitted" not in actions(minutes)


def test_submitted_minutes_cannot_be_submitted_again(submitted, notulis):
    with pytest.raises(ValidationError):
        workflow.submit(submitted, by=notulis)
    assert actions(submitted).count("minutes.submitted") == 1


def test_a_secretary_cannot_return_approve_or_publish(submitted, notulis):
    with pytest.raises(PermissionDenied):
        workflow.return_to_draft(submitted, by=notulis, reason="Kurang lengkap.")
    with pytest.raises(PermissionDenied):
        workflow.approve(submitted, by=notulis)
    assert fresh(submitted).state == Minutes.State.SUBMITTED
    Minutes.objects.filter(pk=submitted.pk).update(state=Minutes.State.APPROVED)
    with pytest.raises(PermissionDenied):
        workflow.publish(submitted, by=notulis, audience=Minutes.Audience.PUBLIC)
    with pytest.raises(PermissionDenied):
        workflow.correct(submitted, by=notulis, reason="Salah ketik.")
    minutes = fresh(submitted)
    assert (minutes.audience, minutes.published_at, minutes.approved_by) == (
        Minutes.Audience.STAFF,
        None,
        None,
    )
    assert Minutes.objects.filter(meeting=submitted.meeting).count() == 1
    assert actions(minutes) == ["minutes.prepared", "minutes.submitted"]


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_returning_needs_a_reason(submitted, chair, reason):
    with pytest.raises(ValidationError):
        workflow.return_to_draft(submitted, by=chair, reason=reason)
    assert fresh(submitted).state == Minutes.State.SUBMITTED
    assert "minutes.returned" not in actions(submitted)


def test_the_chair_returns_submitted_minutes_to_draft(submitted, chair, notulis, item_section):
    workflow.return_to_draft(submitted, by=chair, reason="  Lengkapi   kesimpulan. ")
    minutes = fresh(submitted)
    assert minutes.state == Minutes.State.DRAFT
    entry = entries_for(minutes).get(action="minutes.returned")
    assert (entry.actor, entry.data) == (chair, {"version": 1, "reason": "Lengkapi kesimpulan."})
    # Editable again, and can be submitted again.
    editing.update_section(item_section, author=notulis, base=0, conclusions="Disepakati.")
    workflow.submit(minutes, by=notulis)
    assert fresh(minutes).state == Minutes.State.SUBMITTED


def test_a_draft_cannot_be_returned(draft, chair):
    with pytest.raises(ValidationError):
        workflow.return_to_draft(draft, by=chair, reason="Kenapa?")
    assert fresh(draft).state == Minutes.State.DRAFT


# Approve ------------------------------------------------------------------------------------------


def test_approving_a_draft_is_refused(draft, chair):
    with pytest.raises(ValidationError):
        workflow.approve(draft, by=chair)
    minutes = fresh(draft)
    assert (minutes.state, minutes.approved_by, minutes.approved_at, minutes.signed_on) == (
        Minutes.State.DRAFT,
        None,
        None,
        None,
    )


def test_approval_locks_the_minutes_and_sets_the_signing_date(approved, chair, notulis, item_section):
    minutes = fresh(approved)
    assert minutes.state == Minutes.State.APPROVED
    assert minutes.is_locked
    assert (minutes.approved_by, minutes.signed_on) == (chair, date(2031, 9, 22))
    assert minutes.approved_at is not None
    entry = entries_for(minutes).get(action="minutes.approved")
    assert (entry.actor, entry.data) == (chair, {"version": 1, "supersedes": None})
    with pytest.raises(ValidationError):
        editing.update_heading(minutes, author=notulis, base=None, chair_name="X")
    with pytest.raises(ValidationError):
        editing.update_section(item_section, author=chair, base=None, summary="X")
    with pytest.raises(ValidationError):
        add_point(item_section, author=notulis, text="X", speaker_name="P")
    with pytest.raises(ValidationError):
        recs.add_recommendation(minutes, author=chair, text="X")
    with pytest.raises(ValidationError):
        recs.add_action(minutes, author=chair, text="X")
    with pytest.raises(ValidationError):
        workflow.approve(minutes, by=chair)
    item_section.refresh_from_db()
    assert (fresh(approved).chair_name, item_section.summary) == ("", "")
    assert not Point.objects.filter(section=item_section).exists()
    assert actions(minutes).count("minutes.approved") == 1


def test_approval_without_a_date_signs_on_the_meetings_today(submitted, chair):
    workflow.approve(submitted, by=chair)
    minutes = fresh(submitted)
    assert minutes.signed_on == timezone.localtime(minutes.approved_at, minutes.meeting.tz).date()


def test_approval_keeps_a_signing_date_from_the_heading(draft, chair, notulis):
    editing.update_heading(draft, author=notulis, base=1, signed_on=date(2031, 9, 21))
    workflow.submit(draft, by=notulis)
    workflow.approve(draft, by=chair)
    assert fresh(draft).signed_on == date(2031, 9, 21)


# Correct ------------------------------------------------------------------------------------------


@pytest.fixture
def filled(draft, item_section, notulis, kemnaker, rendra):
    """A draft with a point, a recommendation (addressed, themed, from a section) and an action."""
    add_point(item_section, author=notulis, text="Data naik.", person=rendra)
    add_point(item_section, author=notulis, text="Setuju.", speaker_name="Peserta")
    bp2mi = OrganizationFactory(name="BP2MI")
    recs.add_recommendation(
        draft,
        author=notulis,
        text="Perkuat pengawasan.",
        section=item_section,
        addressed_to=[kemnaker, bp2mi],
        themes=["Pengawasan", "Pelindungan"],
        priority=Recommendation.Priority.HIGH,
    )
    recs.add_recommendation(draft, author=notulis, text="Tanpa bagian.")
    recs.add_action(
        draft,
        author=notulis,
        text="Susun SOP.",
        owner_organization=kemnaker,
        due_on=date(2031, 10, 31),
        section=item_section,
    )
    editing.update_heading(draft, author=notulis, base=1, chair_name="Lismia Elita")
    return draft


def test_correcting_needs_a_reason_and_approved_minutes(draft, filled, chair, notulis):
    with pytest.raises(ValidationError):
        workflow.correct(draft, by=chair, reason="Salah ketik.")  # still a draft
    workflow.submit(draft, by=notulis)
    workflow.approve(draft, by=chair)
    with pytest.raises(ValidationError):
        workflow.correct(draft, by=chair, reason="  ")
    assert Minutes.objects.filter(meeting=draft.meeting).count() == 1
    assert "minutes.correction_opened" not in actions(draft)


def test_a_correction_copies_the_approved_version_into_a_new_draft(draft, filled, chair, notulis):
    workflow.submit(draft, by=notulis)
    workflow.approve(draft, by=chair)
    v1 = fresh(draft)
    before = {
        "sections": list(v1.sections.values_list("pk", "title", "summary", "revision")),
        "points": list(Point.objects.filter(section__minutes=v1).values_list("pk", "text", "revision")),
        "recs": list(v1.recommendations.values_list("pk", "key", "text", "revision")),
        "actions": list(v1.actions.values_list("pk", "key", "text", "revision")),
        "revisions": Revision.objects.filter(minutes=v1).count(),
    }

    v2 = workflow.correct(v1, by=chair, reason=" Nama  narasumber salah. ")
    v2 = fresh(v2)
    assert (v2.version, v2.state, v2.revision) == (2, Minutes.State.DRAFT, 1)
    assert (v2.correction_reason, v2.created_by, v2.chair_name) == (
        "Nama narasumber salah.",
        chair,
        "Lismia Elita",
    )
    assert (v2.signed_on, v2.signed_place) == (v1.signed_on, v1.signed_place)
    assert (v2.submitted_by, v2.approved_by, v2.audience) == (None, None, Minutes.Audience.STAFF)
    entry = entries_for(v2).get(action="minutes.correction_opened")
    assert (entry.actor, entry.data) == (chair, {"version": 2, "reason": "Nama narasumber salah."})

    # Sections, points, recommendations and actions copied, in order, with revision 1.
    old_sections = list(v1.sections.all())
    new_sections = list(v2.sections.all())
    assert [(s.kind, s.title, s.agenda_item_id, s.order) for s in new_sections] == [
        (s.kind, s.title, s.agenda_item_id, s.order) for s in old_sections
    ]
    assert {s.revision for s in new_sections} == {1}
    assert not {s.pk for s in new_sections} & {s.pk for s in old_sections}
    new_item = v2.sections.get(title="Paparan Kemnaker")
    assert list(new_item.points.values_list("text", "speaker_name", "person__full_name", "revision")) == [
        ("Data naik.", "Rendra Setiawan", "Rendra Setiawan", 1),
        ("Setuju.", "Peserta", None, 1),
    ]

    old_recs = list(v1.recommendations.all())
    new_recs = list(v2.recommendations.all())
    assert [(r.key, r.text, r.priority, r.order, r.revision) for r in new_recs] == [
        (r.key, r.text, r.priority, r.order, 1) for r in old_recs
    ]
    for old, new in zip(old_recs, new_recs, strict=True):
        assert set(new.addressed_to.all()) == set(old.addressed_to.all())
        assert set(new.themes.all()) == set(old.themes.all())
    assert new_recs[0].addressed_to.count() == 2
    assert new_recs[0].themes.count() == 2
    assert (new_recs[0].section, new_recs[1].section) == (new_item, None)

    (old_action,) = v1.actions.all()
    (new_action,) = v2.actions.all()
    assert (new_action.key, new_action.text, new_action.owner_organization, new_action.due_on) == (
        old_action.key,
        old_action.text,
        old_action.owner_organization,
        old_action.due_on,
    )
    assert (new_action.section, new_action.revision) == (new_item, 1)

    # Each copied part (and the heading) starts with revision 1 "created" in the new version.
    rows = Revision.objects.filter(minutes=v2)
    assert set(rows.values_list("number", "change")) == {(1, "created")}
    expected = {(Revision.Kind.HEADING, v2.pk)}
    expected |= {(Revision.Kind.SECTION, s.pk) for s in new_sections}
    expected |= {(Revision.Kind.POINT, p.pk) for p in Point.objects.filter(section__minutes=v2)}
    expected |= {(Revision.Kind.RECOMMENDATION, r.pk) for r in new_recs}
    expected |= {(Revision.Kind.ACTION, new_action.pk)}
    assert set(rows.values_list("kind", "object_id")) == expected
    assert rows.count() == len(expected)
    rec_revision = rows.get(kind=Revision.Kind.RECOMMENDATION, object_id=new_recs[0].pk)
    assert rec_revision.data["addressed_to"] == sorted(new_recs[0].addressed_to.values_list("pk", flat=True))
    assert rec_revision.data["themes"] == sorted(new_recs[0].themes.values_list("pk", flat=True))
    assert rec_revision.data["section_id"] == new_item.pk
    assert rows.get(kind=Revision.Kind.ACTION).data["due_on"] == "2031-10-31"
    assert rows.get(kind=Revision.Kind.HEADING).data["chair_name"] == "Lismia Elita"

    # The approved version is untouched.
    v1 = fresh(v1)
    assert v1.state == Minutes.State.APPROVED
    assert before == {
        "sections": list(v1.sections.values_list("pk", "title", "summary", "revision")),
        "points": list(Point.objects.filter(section__minutes=v1).values_list("pk", "text", "revision")),
        "recs": list(v1.recommendations.values_list("pk", "key", "text", "revision")),
        "actions": list(v1.actions.values_list("pk", "key", "text", "revision")),
        "revisions": Revision.objects.filter(minutes=v1).count(),
    }

    # The copy is an ordinary draft: editing it continues from revision 1.
    editing.update_section(new_item, author=notulis, base=1, summary="Koreksi.")
    recs.update_recommendation(new_recs[0], author=notulis, base=1, addressed_to=[])
    assert Section.objects.get(pk=new_item.pk).revision == 2
    assert Recommendation.objects.get(pk=new_recs[0].pk).revision == 2
    assert v1.recommendations.get(key=new_recs[0].key).addressed_to.count() == 2


def test_a_second_correction_while_one_is_open_is_refused(approved, chair, notulis):
    v2 = workflow.correct(approved, by=chair, reason="Salah ketik.")
    with pytest.raises(ValidationError):
        workflow.correct(approved, by=chair, reason="Lagi.")
    workflow.submit(v2, by=notulis)
    with pytest.raises(ValidationError):
        workflow.correct(approved, by=chair, reason="Lagi.")
    assert list(
        Minutes.objects.filter(meeting=approved.meeting).order_by("version").values_list("version")
    ) == [
        (1,),
        (2,),
    ]


def test_a_correction_cannot_be_opened_by_a_stranger(approved, stranger):
    with pytest.raises(PermissionDenied):
        workflow.correct(approved, by=stranger, reason="Salah ketik.")
    assert Minutes.objects.filter(meeting=approved.meeting).count() == 1


def test_approving_the_correction_supersedes_the_approved_version(approved, chair, notulis):
    v2 = workflow.correct(approved, by=chair, reason="Salah ketik.")
    workflow.submit(v2, by=notulis)
    workflow.approve(v2, by=chair)
    v1, v2 = fresh(approved), fresh(v2)
    assert (v1.state, v2.state) == (Minutes.State.SUPERSEDED, Minutes.State.APPROVED)
    assert v1.is_locked
    assert v2.is_locked
    assert (v2.audience, v2.published_at) == (Minutes.Audience.STAFF, None)
    entry = entries_for(v2).get(action="minutes.approved")
    assert entry.data == {"version": 2, "supersedes": 1}
    assert list(Minutes.objects.filter(meeting=v1.meeting).current()) == [v2]
    # The superseded version can be neither corrected nor published any more.
    with pytest.raises(ValidationError):
        workflow.correct(v1, by=chair, reason="Lagi.")
    with pytest.raises(ValidationError):
        workflow.publish(v1, by=chair, audience=Minutes.Audience.PUBLIC)
    with pytest.raises(ValidationError):
        workflow.unpublish(v1, by=chair)
    assert not entries_for(v1).filter(action="minutes.unpublished").exists()
    # A correction of the correction is version 3.
    assert workflow.correct(v2, by=chair, reason="Lagi.").version == 3


def test_an_approved_correction_takes_over_the_publication(approved, chair, notulis):
    workflow.publish(approved, by=chair, audience=Minutes.Audience.PUBLIC)
    published_at = fresh(approved).published_at
    v2 = workflow.correct(approved, by=chair, reason="Salah ketik.")
    assert fresh(v2).audience == Minutes.Audience.STAFF
    workflow.submit(v2, by=notulis)
    workflow.approve(v2, by=chair)
    v2 = fresh(v2)
    assert (v2.state, v2.audience, v2.published_at) == (
        Minutes.State.APPROVED,
        Minutes.Audience.PUBLIC,
        published_at,
    )
    assert fresh(approved).state == Minutes.State.SUPERSEDED


# Publish ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [Minutes.State.DRAFT, Minutes.State.SUBMITTED])
def test_only_approved_minutes_are_published(draft, chair, state):
    Minutes.objects.filter(pk=draft.pk).update(state=state)
    with pytest.raises(ValidationError):
        workflow.publish(draft, by=chair, audience=Minutes.Audience.PARTICIPANTS)
    minutes = fresh(draft)
    assert (minutes.audience, minutes.published_at) == (Minutes.Audience.STAFF, None)


@pytest.mark.parametrize("audience", [Minutes.Audience.STAFF, "", "everyone"])
def test_publishing_needs_participants_or_public(approved, chair, audience):
    with pytest.raises(ValidationError):
        workflow.publish(approved, by=chair, audience=audience)
    minutes = fresh(approved)
    assert (minutes.audience, minutes.published_at) == (Minutes.Audience.STAFF, None)
    assert "minutes.published" not in actions(minutes)


def test_publish_widen_and_unpublish(approved, chair, stranger):
    workflow.publish(approved, by=chair, audience=Minutes.Audience.PARTICIPANTS)
    minutes = fresh(approved)
    first_published = minutes.published_at
    assert minutes.audience == Minutes.Audience.PARTICIPANTS
    assert first_published is not None
    # The same audience again records nothing.
    workflow.publish(approved, by=chair, audience=Minutes.Audience.PARTICIPANTS)
    published = entries_for(minutes).filter(action="minutes.published")
    assert list(published.values_list("data", flat=True)) == [{"version": 1, "audience": "participants"}]

    workflow.publish(approved, by=chair, audience=Minutes.Audience.PUBLIC)
    minutes = fresh(approved)
    assert (minutes.audience, minutes.published_at) == (Minutes.Audience.PUBLIC, first_published)
    assert published.count() == 2

    with pytest.raises(PermissionDenied):
        workflow.unpublish(approved, by=stranger)
    assert fresh(approved).audience == Minutes.Audience.PUBLIC
    workflow.unpublish(approved, by=chair)
    workflow.unpublish(approved, by=chair)
    minutes = fresh(approved)
    assert minutes.audience == Minutes.Audience.STAFF
    assert minutes.state == Minutes.State.APPROVED
    assert actions(minutes).count("minutes.unpublished") == 1
    assert AuditEntry.objects.get(action="minutes.unpublished").actor == chair


def test_a_stranger_cannot_publish(approved, stranger):
    with pytest.raises(PermissionDenied):
        workflow.publish(approved, by=stranger, audience=Minutes.Audience.PUBLIC)
    assert fresh(approved).audience == Minutes.Audience.STAFF
