"""Recommendations and action items: fields, themes, revisions, conflicts, refusals, locking."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from minutes.models import ActionItem, Minutes, Recommendation, Revision, Theme
from minutes.services import recommendations as recs
from minutes.services import workflow
from minutes.services.preparation import prepare_minutes
from minutes.services.revisions import Conflict
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def revisions(obj, kind):
    return list(
        Revision.objects.filter(kind=kind, object_id=obj.pk)
        .order_by("number")
        .values_list("number", "change")
    )


@pytest.fixture
def bp2mi(db):
    return OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")


@pytest.fixture
def rec(draft, notulis, kemnaker):
    return recs.add_recommendation(
        draft, author=notulis, text="Perkuat pengawasan P3MI.", addressed_to=[kemnaker], themes=["Pengawasan"]
    )


@pytest.fixture
def other_section(notulis):
    meeting = MeetingFactory(secretaries=[notulis])
    MeetingDayFactory(meeting=meeting)
    return prepare_minutes(meeting, author=notulis).sections.first()


# Recommendations ----------------------------------------------------------------------------------


def test_add_recommendation_stores_fields_links_and_a_created_revision(
    draft, item_section, notulis, kemnaker, bp2mi, rendra
):
    rec = recs.add_recommendation(
        draft,
        author=notulis,
        text="  Perkuat **pengawasan** P3MI. ",
        rationale="Pengaduan naik.",
        instrument=Recommendation.Instrument.REGULATION,
        priority=Recommendation.Priority.HIGH,
        addressed_to=[bp2mi, kemnaker, kemnaker],
        themes=["Pengawasan", "pengawasan", " Pelindungan "],
        section=item_section,
        proposed_by_person=rendra,
        proposed_by_organization=kemnaker,
    )
    rec = Recommendation.objects.get(pk=rec.pk)
    assert (rec.minutes, rec.section, rec.order, rec.revision) == (draft, item_section, 0, 1)
    assert (rec.text, rec.rationale, rec.instrument, rec.priority) == (
        "Perkuat **pengawasan** P3MI.",
        "Pengaduan naik.",
        "regulation",
        "high",
    )
    assert (rec.proposed_by_person, rec.proposed_by_organization) == (rendra, kemnaker)
    assert set(rec.addressed_to.all()) == {kemnaker, bp2mi}
    # "Pengawasan" and "pengawasan" are one theme.
    assert sorted(rec.themes.values_list("slug", flat=True)) == ["pelindungan", "pengawasan"]
    assert Theme.objects.count() == 2
    assert Theme.objects.get(slug="pengawasan").name == "Pengawasan"

    revision = Revision.objects.get(kind=Revision.Kind.RECOMMENDATION, object_id=rec.pk)
    assert (revision.number, revision.change, revision.author, revision.minutes) == (
        1,
        "created",
        notulis,
        draft,
    )
    assert revision.data["addressed_to"] == sorted([kemnaker.pk, bp2mi.pk])
    assert revision.data["themes"] == sorted(rec.themes.values_list("pk", flat=True))
    assert revision.data["text"] == "Perkuat **pengawasan** P3MI."
    assert revision.data["section_id"] == item_section.pk

    second = recs.add_recommendation(draft, author=notulis, text="Kedua.", themes=["PENGAWASAN"])
    assert second.order == 1
    assert (second.instrument, second.priority) == ("other", "medium")
    assert list(second.themes.all()) == [Theme.objects.get(slug="pengawasan")]
    assert Theme.objects.count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "  \n "},
        {"text": "Ok.", "instrument": "law"},
        {"text": "Ok.", "priority": "urgent"},
        {"text": "Ok.", "themes": ["!!!"]},
    ],
)
def test_add_recommendation_refuses_bad_values_and_creates_nothing(draft, notulis, fields):
    with pytest.raises(ValidationError):
        recs.add_recommendation(draft, author=notulis, **fields)
    assert not Recommendation.objects.exists()
    assert not Theme.objects.exists()
    assert not Revision.objects.filter(kind=Revision.Kind.RECOMMENDATION).exists()


def test_add_recommendation_refuses_a_section_of_other_minutes(draft, notulis, other_section):
    with pytest.raises(ValidationError):
        recs.add_recommendation(
            draft, author=notulis, text="Salah tempat.", section=other_section, themes=["Baru"]
        )
    assert not Recommendation.objects.exists()
    assert not Theme.objects.exists()
    assert not Revision.objects.filter(kind=Revision.Kind.RECOMMENDATION).exists()


def test_update_recommendation_saves_fields_and_links_as_a_revision(rec, notulis, chair, bp2mi):
    recs.update_recommendation(
        rec, author=chair, base=1, text="Perkuat pengawasan.", addressed_to=[bp2mi], themes=["Pelindungan"]
    )
    rec = Recommendation.objects.get(pk=rec.pk)
    assert (rec.text, rec.revision) == ("Perkuat pengawasan.", 2)
    assert list(rec.addressed_to.all()) == [bp2mi]
    assert list(rec.themes.values_list("slug", flat=True)) == ["pelindungan"]
    assert revisions(rec, Revision.Kind.RECOMMENDATION) == [(1, "created"), (2, "changed")]
    latest = Revision.objects.get(kind=Revision.Kind.RECOMMENDATION, object_id=rec.pk, number=2)
    assert latest.author == chair
    assert latest.data["addressed_to"] == [bp2mi.pk]


def test_a_stale_update_conflicts_and_changes_nothing(rec, notulis, chair, kemnaker, bp2mi):
    recs.update_recommendation(rec, author=notulis, base=1, rationale="Alasan.")
    with pytest.raises(Conflict) as caught:
        recs.update_recommendation(
            rec,
            author=chair,
            base=1,
            text="Versi saya.",
            priority=Recommendation.Priority.LOW,
            addressed_to=[bp2mi],
            themes=["Pelindungan"],
        )
    conflict = caught.value
    assert conflict.current.number == 2
    assert conflict.current.author == notulis
    assert conflict.mine["text"] == "Versi saya."
    assert conflict.mine["addressed_to"] == [bp2mi.pk]
    rec = Recommendation.objects.get(pk=rec.pk)
    assert (rec.text, rec.rationale, rec.priority, rec.revision) == (
        "Perkuat pengawasan P3MI.",
        "Alasan.",
        "medium",
        2,
    )
    assert list(rec.addressed_to.all()) == [kemnaker]
    assert list(rec.themes.values_list("slug", flat=True)) == ["pengawasan"]
    assert not Theme.objects.filter(slug="pelindungan").exists()
    assert revisions(rec, Revision.Kind.RECOMMENDATION) == [(1, "created"), (2, "changed")]


def test_an_update_that_changes_nothing_makes_no_revision_and_never_conflicts(rec, notulis, kemnaker):
    recs.update_recommendation(
        rec,
        author=notulis,
        base=0,
        text="Perkuat pengawasan P3MI.",
        addressed_to=[kemnaker],
        themes=["PENGAWASAN"],
    )
    rec.refresh_from_db()
    assert rec.revision == 1
    assert revisions(rec, Revision.Kind.RECOMMENDATION) == [(1, "created")]


def test_changing_only_the_addressees_makes_a_revision(rec, notulis, kemnaker, bp2mi):
    recs.update_recommendation(rec, author=notulis, base=1, addressed_to=[kemnaker, bp2mi])
    rec.refresh_from_db()
    assert rec.revision == 2
    assert set(rec.addressed_to.all()) == {kemnaker, bp2mi}
    latest = Revision.objects.get(kind=Revision.Kind.RECOMMENDATION, object_id=rec.pk, number=2)
    assert latest.data["addressed_to"] == sorted([kemnaker.pk, bp2mi.pk])
    recs.update_recommendation(rec, author=notulis, base=2, themes=[])
    rec.refresh_from_db()
    assert (rec.revision, rec.themes.count()) == (3, 0)


def test_update_recommendation_refuses_bad_values_and_changes_nothing(rec, notulis, other_section):
    for fields in (
        {"text": " "},
        {"instrument": "law"},
        {"priority": "urgent"},
        {"section": other_section},
        {"minutes": None},
    ):
        with pytest.raises(ValidationError):
            recs.update_recommendation(rec, author=notulis, base=1, **fields)
    rec.refresh_from_db()
    assert (rec.text, rec.instrument, rec.priority, rec.section, rec.revision) == (
        "Perkuat pengawasan P3MI.",
        "other",
        "medium",
        None,
        1,
    )


def test_delete_recommendation_checks_the_base_and_leaves_a_deleted_revision(rec, notulis, kemnaker):
    with pytest.raises(Conflict):
        recs.delete_recommendation(rec, author=notulis, base=0)
    assert Recommendation.objects.filter(pk=rec.pk).exists()
    pk = rec.pk
    recs.delete_recommendation(rec, author=notulis, base=1)
    assert not Recommendation.objects.filter(pk=pk).exists()
    rec.pk = pk
    assert revisions(rec, Revision.Kind.RECOMMENDATION) == [(1, "created"), (2, "deleted")]
    deleted = Revision.objects.get(kind=Revision.Kind.RECOMMENDATION, object_id=pk, number=2)
    assert deleted.data["text"] == "Perkuat pengawasan P3MI."
    assert deleted.data["addressed_to"] == [kemnaker.pk]
    # The theme is shared: it stays.
    assert Theme.objects.filter(slug="pengawasan").exists()


# Action items -------------------------------------------------------------------------------------


def test_add_action_stores_owner_due_date_state_and_a_created_revision(
    draft, item_section, notulis, rendra, kemnaker
):
    action = recs.add_action(
        draft,
        author=notulis,
        text=" Susun SOP pengawasan. ",
        owner_person=rendra,
        owner_organization=kemnaker,
        due_on=date(2031, 10, 31),
        state=ActionItem.State.DONE,
        section=item_section,
    )
    action = ActionItem.objects.get(pk=action.pk)
    assert (action.minutes, action.section, action.order, action.revision) == (draft, item_section, 0, 1)
    assert (action.text, action.owner_person, action.owner_organization) == (
        "Susun SOP pengawasan.",
        rendra,
        kemnaker,
    )
    assert (action.due_on, action.state) == (date(2031, 10, 31), "done")
    revision = Revision.objects.get(kind=Revision.Kind.ACTION, object_id=action.pk)
    assert (revision.number, revision.change, revision.author) == (1, "created", notulis)
    assert revision.data["due_on"] == "2031-10-31"
    assert revision.data["owner_organization_id"] == kemnaker.pk
    second = recs.add_action(draft, author=notulis, text="Kedua.")
    assert (second.order, second.state, second.due_on) == (1, "open", None)


@pytest.mark.parametrize(
    "fields",
    [
        {"text": " "},
        {"text": "Ok.", "state": "closed"},
        {"text": "Ok.", "due_on": "2031-10-31"},
    ],
)
def test_add_action_refuses_bad_values_and_creates_nothing(draft, notulis, fields):
    with pytest.raises(ValidationError):
        recs.add_action(draft, author=notulis, **fields)
    assert not ActionItem.objects.exists()
    assert not Revision.objects.filter(kind=Revision.Kind.ACTION).exists()


def test_add_action_refuses_a_section_of_other_minutes(draft, notulis, other_section):
    with pytest.raises(ValidationError):
        recs.add_action(draft, author=notulis, text="Salah tempat.", section=other_section)
    assert not ActionItem.objects.exists()


def test_update_action_saves_a_revision_conflicts_when_stale_and_skips_no_change(draft, notulis, chair):
    action = recs.add_action(draft, author=notulis, text="Susun SOP.")
    recs.update_action(action, author=notulis, base=1, state=ActionItem.State.DONE, due_on=date(2031, 11, 1))
    action.refresh_from_db()
    assert (action.state, action.due_on, action.revision) == ("done", date(2031, 11, 1), 2)
    with pytest.raises(Conflict):
        recs.update_action(action, author=chair, base=1, text="Versi saya.", state=ActionItem.State.DROPPED)
    with pytest.raises(ValidationError):
        recs.update_action(action, author=chair, base=2, state="closed")
    # The same values again: no revision, no conflict even on a stale base.
    recs.update_action(action, author=chair, base=0, state=ActionItem.State.DONE)
    action.refresh_from_db()
    assert (action.text, action.state, action.revision) == ("Susun SOP.", "done", 2)
    assert revisions(action, Revision.Kind.ACTION) == [(1, "created"), (2, "changed")]


def test_delete_action_checks_the_base_and_leaves_a_deleted_revision(draft, notulis):
    action = recs.add_action(draft, author=notulis, text="Hapus saya.")
    with pytest.raises(Conflict):
        recs.delete_action(action, author=notulis, base=0)
    assert ActionItem.objects.filter(pk=action.pk).exists()
    pk = action.pk
    recs.delete_action(action, author=notulis, base=1)
    assert not ActionItem.objects.filter(pk=pk).exists()
    action.pk = pk
    assert revisions(action, Revision.Kind.ACTION) == [(1, "created"), (2, "deleted")]


# Once submitted -----------------------------------------------------------------------------------


def test_nothing_is_added_or_changed_once_the_minutes_are_submitted(draft, rec, notulis, bp2mi):
    action = recs.add_action(draft, author=notulis, text="Tetap.")
    workflow.submit(draft, by=notulis)
    with pytest.raises(ValidationError):
        recs.add_recommendation(draft, author=notulis, text="Baru.", themes=["Baru"])
    with pytest.raises(ValidationError):
        recs.update_recommendation(rec, author=notulis, base=None, text="X", addressed_to=[bp2mi])
    with pytest.raises(ValidationError):
        recs.delete_recommendation(rec, author=notulis, base=None)
    with pytest.raises(ValidationError):
        recs.add_action(draft, author=notulis, text="Baru.")
    with pytest.raises(ValidationError):
        recs.update_action(action, author=notulis, base=None, text="X")
    with pytest.raises(ValidationError):
        recs.delete_action(action, author=notulis, base=None)
    assert Minutes.objects.get(pk=draft.pk).state == Minutes.State.SUBMITTED
    assert list(Recommendation.objects.values_list("text", flat=True)) == ["Perkuat pengawasan P3MI."]
    assert list(ActionItem.objects.values_list("text", flat=True)) == ["Tetap."]
    rec.refresh_from_db()
    assert rec.revision == 1
    assert rec.addressed_to.count() == 1
    assert not Theme.objects.filter(slug="baru").exists()
    assert Revision.objects.filter(kind__in=[Revision.Kind.RECOMMENDATION, Revision.Kind.ACTION]).count() == 2


def test_a_datetime_is_not_taken_for_a_due_date(draft, notulis):
    from datetime import UTC, datetime

    with pytest.raises(ValidationError):
        recs.add_action(
            draft, author=notulis, text="Susun SK.", due_on=datetime(2031, 10, 31, 23, 30, tzinfo=UTC)
        )
    assert not ActionItem.objects.exists()
