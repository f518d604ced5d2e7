"""The minutes editor: the page, autosave of each part, conflicts, refusals, locking, the denied."""

from datetime import time

import pytest
from django.urls import reverse

from minutes.models import ActionItem, Minutes, Point, Recommendation, Revision
from minutes.services import editing, workflow
from minutes.services import recommendations as rec_service
from minutes.services.points import add_point
from tests.factories import (
    AgendaItemFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def url(name, meeting, **kwargs):
    return reverse(f"minutes:{name}", kwargs={"code": meeting.code, **kwargs})


def test_the_editor_offers_to_prepare_the_minutes_then_shows_every_section(client, fgd, notulis):
    client.force_login(notulis)
    page = client.get(url("editor", fgd)).content.decode()
    assert "prepare-minutes" in page
    response = client.post(url("prepare", fgd))
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=fgd)
    page = client.get(url("editor", fgd)).content.decode()
    for section in minutes.sections.all():
        assert f'id="section-{section.pk}"' in page
    assert "Rendra Setiawan" in page  # the speaker of the agenda item
    assert 'data-minutes-state="draft"' in page
    # Preparing again adds nothing.
    client.post(url("prepare", fgd))
    assert Minutes.objects.filter(meeting=fgd).count() == 1


def test_a_meeting_without_days_cannot_be_prepared(client, chair):
    meeting = MeetingFactory(organizers=[chair])
    client.force_login(chair)
    client.post(url("prepare", meeting))
    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_autosave_of_a_section_answers_the_status_and_the_new_base(client, item_section, notulis):
    client.force_login(notulis)
    response = client.post(
        url("section", item_section.minutes.meeting, pk=item_section.pk),
        {"base": "0", "title": item_section.title, "summary": "Data **naik**.", "conclusions": ""},
        **HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-saved" in body
    assert f'id="base-section-{item_section.pk}" hx-swap-oob="true"' in body
    assert 'value="1"' in body
    item_section.refresh_from_db()
    assert (item_section.summary, item_section.revision) == ("Data **naik**.", 1)
    revision = Revision.objects.get(kind="section", object_id=item_section.pk)
    assert revision.author == notulis


def test_a_stale_save_is_refused_with_both_versions_and_changes_nothing(client, item_section, notulis, chair):
    editing.update_section(item_section, author=chair, base=0, summary="Versi <b>ketua</b>.")
    client.force_login(notulis)
    data = {"base": "0", "title": item_section.title, "summary": "Versi notulis.", "conclusions": ""}
    target = url("section", item_section.minutes.meeting, pk=item_section.pk)
    response = client.post(target, data, **HX)
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#status-section-{item_section.pk}"
    body = response.content.decode()
    assert "Versi &lt;b&gt;ketua&lt;/b&gt;." in body
    assert "Versi notulis." in body
    assert "Lismia Elita" in body
    assert 'name="overwrite" value="1"' in body
    item_section.refresh_from_db()
    assert item_section.summary == "Versi <b>ketua</b>."
    # Choosing to save over theirs.
    response = client.post(target, {**data, "overwrite": "1"}, **HX)
    assert response.status_code == 200
    item_section.refresh_from_db()
    assert (item_section.summary, item_section.revision) == ("Versi notulis.", 2)


def test_without_javascript_a_conflict_is_a_page_that_keeps_my_text(client, item_section, notulis, chair):
    editing.update_section(item_section, author=chair, base=0, summary="Versi ketua.")
    client.force_login(notulis)
    response = client.post(
        url("section", item_section.minutes.meeting, pk=item_section.pk),
        {"base": "0", "title": item_section.title, "summary": "Versi saya.", "conclusions": ""},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'name="summary" value="Versi saya."' in body
    assert 'name="base" value="1"' in body


def test_a_refused_value_answers_422_in_the_users_language_and_changes_nothing(client, item_section, notulis):
    client.force_login(notulis)
    response = client.post(
        url("section", item_section.minutes.meeting, pk=item_section.pk),
        {"base": "0", "title": "   ", "summary": "x"},
        **HX,
    )
    assert response.status_code == 422
    assert "Bagian notula harus berjudul." in response.content.decode()
    item_section.refresh_from_db()
    assert item_section.revision == 0


def test_the_heading_saves_and_refuses_a_bad_date(client, draft, notulis):
    client.force_login(notulis)
    target = url("heading", draft.meeting)
    response = client.post(
        target, {"base": "1", "chair_name": "Lismia Elita", "signed_on": "2031-09-22"}, **HX
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.chair_name, str(draft.signed_on), draft.revision) == ("Lismia Elita", "2031-09-22", 2)
    response = client.post(target, {"base": "2", "signed_on": "22/09/2031"}, **HX)
    assert response.status_code == 422
    draft.refresh_from_db()
    assert draft.revision == 2


def test_points_are_added_edited_moved_and_deleted(client, item_section, notulis, rendra, registrant):
    meeting = item_section.minutes.meeting
    client.force_login(notulis)
    response = client.post(
        url("point_add", meeting, pk=item_section.pk),
        {"who": f"p:{rendra.pk}", "speaker": "x", "text": "Satu."},
        **HX,
    )
    assert response.status_code == 200
    first = Point.objects.get(section=item_section)
    assert (first.person, first.speaker_name) == (rendra, "Rendra Setiawan")
    assert f'id="point-{first.pk}"' in response.content.decode()
    # A typed name that is a registrant's is recognised without the picker.
    client.post(
        url("point_add", meeting, pk=item_section.pk), {"speaker": "siti nurhaliza", "text": "Dua."}, **HX
    )
    second = Point.objects.get(section=item_section, text="Dua.")
    assert second.registration == registrant
    # Any other name stays a name.
    client.post(
        url("point_add", meeting, pk=item_section.pk), {"speaker": "Peserta Zoom", "text": "Tiga."}, **HX
    )
    third = Point.objects.get(text="Tiga.")
    assert (third.person, third.registration, third.speaker_name) == (None, None, "Peserta Zoom")

    response = client.post(url("point", meeting, pk=third.pk), {"move": "up"}, **HX)
    body = response.content.decode()
    assert body.index(f'id="point-{third.pk}"') < body.index(f'id="point-{second.pk}"')
    response = client.post(
        url("point", meeting, pk=first.pk),
        {"base": "1", "who": f"p:{rendra.pk}", "speaker": "Rendra Setiawan", "text": "Satu, diubah."},
        **HX,
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert (first.text, first.revision) == ("Satu, diubah.", 2)
    response = client.post(url("point", meeting, pk=second.pk), {"delete": "1", "base": "1"}, **HX)
    assert response.status_code == 200
    assert response.content == b""
    assert not Point.objects.filter(pk=second.pk).exists()
    assert Revision.objects.filter(kind="point", object_id=second.pk, change="deleted").exists()


def test_an_empty_point_is_refused_in_the_status_of_the_add_form(client, item_section, notulis):
    client.force_login(notulis)
    response = client.post(
        url("point_add", item_section.minutes.meeting, pk=item_section.pk),
        {"part": f"new-point-{item_section.pk}", "speaker": "A", "text": "  "},
        **HX,
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#status-new-point-{item_section.pk}"
    assert not Point.objects.exists()


def test_recommendations_and_action_items_are_added_and_changed(
    client, draft, item_section, notulis, kemnaker, rendra
):
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    client.force_login(notulis)
    meeting = draft.meeting
    response = client.post(
        url("recommendation_add", meeting),
        {
            "text": "Bentuk **Tim Pengawasan** P3MI.",
            "rationale": "Pengawasan belum terpadu.",
            "instrument": "decision",
            "priority": "high",
            "section": str(item_section.pk),
            "addressed_to": [str(kemnaker.pk), str(bp2mi.pk)],
            "themes": "Pengawasan, pelindungan",
            "proposed_by_person": f"p:{rendra.pk}",
        },
        **HX,
    )
    assert response.status_code == 200
    rec = Recommendation.objects.get(minutes=draft)
    assert (rec.instrument, rec.priority, rec.section, rec.proposed_by_person) == (
        "decision",
        "high",
        item_section,
        rendra,
    )
    assert set(rec.addressed_to.all()) == {kemnaker, bp2mi}
    assert sorted(rec.themes.values_list("slug", flat=True)) == ["pelindungan", "pengawasan"]
    assert f'id="recommendation-{rec.pk}"' in response.content.decode()

    response = client.post(
        url("recommendation", meeting, pk=rec.pk),
        {
            "base": "1",
            "text": rec.text,
            "instrument": "regulation",
            "priority": "high",
            "addressed_to": [str(bp2mi.pk)],
        },
        **HX,
    )
    assert response.status_code == 200
    rec.refresh_from_db()
    assert (rec.instrument, list(rec.addressed_to.all()), rec.revision) == ("regulation", [bp2mi], 2)

    response = client.post(
        url("recommendation_add", meeting), {"text": "x", "addressed_to": ["999999"]}, **HX
    )
    assert response.status_code == 422
    assert Recommendation.objects.count() == 1

    response = client.post(
        url("action_add", meeting),
        {
            "text": "Susun SK Tim.",
            "owner_organization": str(bp2mi.pk),
            "due_on": "2031-10-30",
            "state": "open",
        },
        **HX,
    )
    assert response.status_code == 200
    action = ActionItem.objects.get(minutes=draft)
    assert (action.owner_organization, str(action.due_on)) == (bp2mi, "2031-10-30")
    response = client.post(
        url("action", meeting, pk=action.pk), {"base": "1", "text": "Susun SK Tim.", "state": "done"}, **HX
    )
    action.refresh_from_db()
    assert (action.state, action.owner_organization) == ("done", None)
    client.post(url("action", meeting, pk=action.pk), {"delete": "1", "base": "2"}, **HX)
    assert not ActionItem.objects.exists()


def test_hostile_text_is_inert_in_the_editor_and_once_locked(client, item_section, notulis, chair):
    add_point(
        item_section, author=notulis, text="<script>alert(1)</script> **tebal**", speaker_name='"><img src=x>'
    )
    editing.update_section(item_section, author=notulis, base=0, summary="<iframe src=x>")
    rec_service.add_recommendation(
        item_section.minutes,
        author=notulis,
        text="</textarea><script>alert(2)</script>",
        themes=['"><svg onload=x>'],
    )
    rec_service.add_action(item_section.minutes, author=notulis, text="</textarea><img src=x onerror=y>")
    client.force_login(notulis)
    page = client.get(url("editor", item_section.minutes.meeting)).content.decode()
    assert "<script>alert" not in page
    assert "<iframe" not in page
    assert '"><img' not in page
    assert "<svg" not in page
    assert "<img src=x" not in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(2)" in page
    workflow.submit(item_section.minutes, by=notulis)
    page = client.get(url("editor", item_section.minutes.meeting)).content.decode()
    assert "<script>alert" not in page
    assert "<iframe" not in page
    assert "<strong>tebal</strong>" in page
    assert "&lt;script&gt;" in page


def test_submitted_minutes_are_read_only_and_refuse_saves(client, item_section, notulis):
    workflow.submit(item_section.minutes, by=notulis)
    client.force_login(notulis)
    page = client.get(url("editor", item_section.minutes.meeting)).content.decode()
    assert "data-autosave" not in page
    response = client.post(
        url("section", item_section.minutes.meeting, pk=item_section.pk), {"base": "0", "summary": "x"}, **HX
    )
    assert response.status_code == 403
    item_section.refresh_from_db()
    assert item_section.summary == ""


def test_outsiders_get_404_and_anonymous_visitors_the_login_page(client, item_section, notulis):
    meeting = item_section.minutes.meeting
    other_secretary = UserFactory(email="other@example.test")
    MeetingFactory(secretaries=[other_secretary])
    add_point(item_section, author=notulis, text="Rahasia rapat.", speaker_name="Peserta")
    point = Point.objects.get()
    response = client.get(url("editor", meeting))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(other_secretary)
    for name, kwargs in [
        ("editor", {}),
        ("history", {}),
        ("section", {"pk": item_section.pk}),
        ("point", {"pk": point.pk}),
    ]:
        response = (
            client.get(url(name, meeting, **kwargs))
            if name in ("editor", "history")
            else client.post(url(name, meeting, **kwargs), {"base": "1", "text": "diganti"})
        )
        assert response.status_code == 404
        assert b"Rahasia" not in response.content
    point.refresh_from_db()
    assert point.text == "Rahasia rapat."


def test_a_part_of_another_meetings_minutes_is_404(client, item_section, notulis, chair):
    other = MeetingFactory(organizers=[chair], secretaries=[notulis])
    day = MeetingDayFactory(meeting=other)
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(10))
    client.force_login(notulis)
    client.post(url("prepare", other))
    response = client.post(url("section", other, pk=item_section.pk), {"base": "0", "summary": "x"}, **HX)
    assert response.status_code == 404


def test_the_editor_page_runs_a_fixed_number_of_queries(client, fgd, notulis, django_assert_num_queries):
    from minutes.services.preparation import prepare_minutes

    client.force_login(notulis)
    minutes = prepare_minutes(fgd, author=notulis)
    section = minutes.sections.get(title="Paparan Kemnaker")
    add_point(section, author=notulis, text="Satu.", speaker_name="A")

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("editor", fgd)).status_code == 200
        return len(captured)

    few = count()
    day = fgd.days.first()
    many = MeetingFactory(organizers=[], secretaries=[notulis])
    many_day = MeetingDayFactory(meeting=many, start_time=time(0), end_time=time(23))
    for n in range(60):
        AgendaItemFactory(
            day=many_day, start_time=time(n // 3), end_time=time(n // 3, 30), title=f"Sesi {n}", order=n
        )
    many_minutes = prepare_minutes(many, author=notulis)
    for s in many_minutes.sections.all()[:30]:
        add_point(s, author=notulis, text="Poin.", speaker_name="B")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("editor", many)).status_code == 200
    assert len(captured) == few
    assert day is not None
