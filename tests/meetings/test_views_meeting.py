"""Meeting pages through the real stack: list, create, edit, overview, staff, room, lifecycle, public."""

import re
from datetime import UTC, date, datetime, time

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import AuditEntry
from meetings.models import Meeting, MeetingDay, OnlineRoom
from tests.conftest import login
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    MeetingHostFactory,
    OnlineRoomFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    move_days_to_the_past,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("meetings:list")
CREATE_URL = reverse("meetings:create")


def actions(meeting):
    return list(
        AuditEntry.objects.filter(object_id=str(meeting.pk), action__startswith="meeting.")
        .exclude(action__startswith="meeting.reminders_")  # written by participants' receivers
        .order_by("id")
        .values_list("action", flat=True)
    )


def field_errors(response, name, form="form"):
    return list(response.context[form].errors.get(name, []))


def create_data(**overrides):
    data = {
        "title": "FGD Pengawasan P3MI",
        "theme": "Pengawasan perusahaan penempatan",
        "kind": "fgd",
        "mode": "hybrid",
        "description": "",
        "background": "",
        "timezone": "Asia/Jakarta",
        "venue_name": "Gedung BP2MI",
        "venue_address": "Jl. MT Haryono Kav. 52, Jakarta",
        "venue_room": "Ruang Rapat Lt. 2",
        "capacity_onsite": "50",
        "capacity_online": "300",
        "registration_opens_at": "2031-09-01T08:00",
        "registration_closes_at": "2031-09-21T16:00",
        "days-TOTAL_FORMS": "3",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "14",
        "days-0-date": "2031-09-22",
        "days-0-start_time": "09:00",
        "days-0-end_time": "15:00",
        "days-1-date": "2031-09-23",
        "days-1-start_time": "09:00",
        "days-1-end_time": "12:00",
        "days-2-date": "",
        "days-2-start_time": "",
        "days-2-end_time": "",
    }
    data.update(overrides)
    return data


def edit_data(meeting, **overrides):
    data = {
        "title": meeting.title,
        "theme": meeting.theme,
        "kind": meeting.kind,
        "mode": meeting.mode,
        "description": meeting.description,
        "background": meeting.background,
        "timezone": meeting.timezone,
        "venue_name": meeting.venue_name,
        "venue_address": meeting.venue_address,
        "venue_room": meeting.venue_room,
        "capacity_onsite": meeting.capacity_onsite or "",
        "capacity_online": meeting.capacity_online or "",
        "registration_opens_at": "",
        "registration_closes_at": "",
    }
    data.update(overrides)
    return data


# List -----------------------------------------------------------------------------------------


def test_meeting_list_anonymous_redirects_to_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_meeting_list_user_who_may_not_organize_gets_403(client, plain_user, meeting):
    response = login(client, plain_user).get(LIST_URL)
    assert response.status_code == 403
    assert meeting.title not in response.content.decode()


def test_meeting_list_shows_only_meetings_the_user_organizes(client, organizer, other_organizer, meeting):
    MeetingFactory(title="Rapat Orang Lain", organizers=[other_organizer])
    response = login(client, organizer).get(LIST_URL)
    assert response.status_code == 200
    assert list(response.context["meetings"]) == [meeting]
    assert "Rapat Orang Lain" not in response.content.decode()


def test_meeting_list_filters_by_status(client, organizer, meeting):
    published = MeetingFactory(organizers=[organizer], status=Meeting.Status.PUBLISHED)
    response = login(client, organizer).get(LIST_URL, {"status": "published"})
    assert list(response.context["meetings"]) == [published]


def test_meeting_list_filters_by_kind(client, organizer, meeting):
    webinar = MeetingFactory(organizers=[organizer], kind=Meeting.Kind.WEBINAR)
    response = login(client, organizer).get(LIST_URL, {"kind": "webinar"})
    assert list(response.context["meetings"]) == [webinar]


def test_meeting_list_filters_by_start_date_range(client, organizer):
    early = MeetingDayFactory(meeting=MeetingFactory(organizers=[organizer]), date=date(2031, 1, 10)).meeting
    middle = MeetingDayFactory(meeting=MeetingFactory(organizers=[organizer]), date=date(2031, 5, 10)).meeting
    MeetingDayFactory(meeting=MeetingFactory(organizers=[organizer]), date=date(2031, 9, 10))
    response = login(client, organizer).get(
        LIST_URL, {"starts_from": "2031-01-01", "starts_to": "2031-06-30"}
    )
    assert list(response.context["meetings"]) == [middle, early]


def test_meeting_list_searches_title_theme_and_code(client, organizer, meeting):
    other = MeetingFactory(organizers=[organizer], title="Sosialisasi", theme="Perlindungan ABK")
    login(client, organizer)
    assert list(client.get(LIST_URL, {"q": "p3mi"}).context["meetings"]) == [meeting]
    assert list(client.get(LIST_URL, {"q": "abk"}).context["meetings"]) == [other]
    assert list(client.get(LIST_URL, {"q": other.code}).context["meetings"]) == [other]


def test_meeting_list_paginates_by_25_and_keeps_filters(client, organizer):
    for _n in range(30):
        MeetingFactory(organizers=[organizer], kind=Meeting.Kind.WEBINAR)
    login(client, organizer)
    first = client.get(LIST_URL, {"kind": "webinar"})
    assert len(first.context["meetings"]) == 25
    assert "?kind=webinar&amp;page=2" in first.content.decode()
    second = client.get(LIST_URL, {"kind": "webinar", "page": 2})
    assert len(second.context["meetings"]) == 5


def test_meeting_list_invalid_date_filter_shows_error_and_ignores_it(client, organizer, meeting):
    response = login(client, organizer).get(LIST_URL, {"starts_from": "not-a-date"})
    assert response.status_code == 200
    assert list(response.context["meetings"]) == [meeting]
    assert field_errors(response, "starts_from", "filter_form") != []


# Create ---------------------------------------------------------------------------------------


def test_meeting_create_anonymous_redirects_to_login(client):
    response = client.get(CREATE_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_meeting_create_user_who_may_not_organize_gets_403(client, plain_user):
    response = login(client, plain_user).post(CREATE_URL, create_data())
    assert response.status_code == 403
    assert Meeting.objects.count() == 0


def test_meeting_create_form_offers_zone_labels(client, organizer):
    response = login(client, organizer).get(CREATE_URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "WIB — " in body
    assert "WITA — " in body
    assert "WIT — " in body
    assert 'type="datetime-local"' in body


def test_meeting_create_saves_meeting_days_and_redirects_to_detail(client, organizer):
    response = login(client, organizer).post(CREATE_URL, create_data(), follow=True)
    meeting = Meeting.objects.get()
    assert response.redirect_chain == [(meeting.urls.detail, 302)]
    assert meeting.title == "FGD Pengawasan P3MI"
    assert meeting.status == Meeting.Status.DRAFT
    assert list(meeting.organizers.all()) == [organizer]
    assert list(meeting.days.values_list("date", "start_time", "end_time")) == [
        (date(2031, 9, 22), time(9), time(15)),
        (date(2031, 9, 23), time(9), time(12)),
    ]
    assert actions(meeting) == ["meeting.created"]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_meeting_create_reads_registration_times_in_the_chosen_zone(client, organizer):
    data = create_data(timezone="Asia/Jayapura", registration_closes_at="2031-09-21T16:00")
    login(client, organizer).post(CREATE_URL, data)
    meeting = Meeting.objects.get()
    # 16.00 WIT is 07.00 UTC.
    assert meeting.registration_closes_at == datetime(2031, 9, 21, 7, 0, tzinfo=UTC)
    assert meeting.registration_opens_at == datetime(2031, 8, 31, 23, 0, tzinfo=UTC)


def assert_nothing_saved():
    assert Meeting.objects.count() == 0
    assert MeetingDay.objects.count() == 0


def test_meeting_create_day_ending_before_start_shows_error_on_end_time(client, organizer):
    data = create_data(**{"days-0-start_time": "15:00", "days-0-end_time": "09:00"})
    response = login(client, organizer).post(CREATE_URL, data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["end_time"] == [
        _("The end time must be after the start time.")
    ]
    assert "is-invalid" in response.content.decode()
    assert_nothing_saved()


def test_meeting_create_duplicate_dates_show_error_on_the_second(client, organizer):
    data = create_data(**{"days-1-date": "2031-09-22"})
    response = login(client, organizer).post(CREATE_URL, data)
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert forms[0].errors == {}
    assert forms[1].errors["date"] == [_("This date is already listed.")]
    assert_nothing_saved()


def test_meeting_create_without_days_is_refused(client, organizer):
    empty = {f"days-{i}-{f}": "" for i in range(3) for f in ("date", "start_time", "end_time")}
    response = login(client, organizer).post(CREATE_URL, create_data(**empty))
    assert response.status_code == 200
    assert list(response.context["formset"].non_form_errors()) == [_("Add at least one day.")]
    assert _("Add at least one day.") in response.content.decode()
    assert_nothing_saved()


def test_meeting_create_registration_closing_before_opening_is_refused(client, organizer):
    data = create_data(registration_opens_at="2031-09-10T08:00", registration_closes_at="2031-09-01T08:00")
    response = login(client, organizer).post(CREATE_URL, data)
    assert response.status_code == 200
    assert field_errors(response, "registration_closes_at") == [_("Registration must close after it opens.")]
    assert_nothing_saved()


def test_meeting_create_registration_closing_after_last_day_ends_is_refused(client, organizer):
    # The last day ends 23 September 12.00 WIB.
    data = create_data(registration_closes_at="2031-09-23T12:30")
    response = login(client, organizer).post(CREATE_URL, data)
    assert response.status_code == 200
    assert field_errors(response, "registration_closes_at") == [
        _("Registration must close before the meeting ends.")
    ]
    assert _("Registration must close before the meeting ends.") in response.content.decode()
    assert_nothing_saved()


def test_meeting_create_registration_window_uses_chosen_zone_for_the_end(client, organizer):
    # 11.30 WIT is before the 12.00 WIT end; the same wall time is accepted in any zone.
    data = create_data(timezone="Asia/Jayapura", registration_closes_at="2031-09-23T11:30")
    response = login(client, organizer).post(CREATE_URL, data)
    assert response.status_code == 302
    assert Meeting.objects.get().registration_closes_at == datetime(2031, 9, 23, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("mode", "missing", "field"),
    [
        ("onsite", "capacity_onsite", "capacity_onsite"),
        ("hybrid", "capacity_onsite", "capacity_onsite"),
        ("online", "capacity_online", "capacity_online"),
        ("hybrid", "capacity_online", "capacity_online"),
    ],
)
def test_meeting_create_requires_capacity_of_each_part(client, organizer, mode, missing, field):
    response = login(client, organizer).post(CREATE_URL, create_data(mode=mode, **{missing: ""}))
    assert response.status_code == 200
    assert field_errors(response, field) == [_("Give the capacity for this part of the meeting.")]
    assert_nothing_saved()


def test_meeting_create_clears_capacity_of_a_part_the_meeting_lacks(client, organizer):
    login(client, organizer).post(CREATE_URL, create_data(mode="online", capacity_onsite="50"))
    meeting = Meeting.objects.get()
    assert (meeting.capacity_onsite, meeting.capacity_online) == (None, 300)


def test_meeting_create_zero_capacity_is_refused(client, organizer):
    response = login(client, organizer).post(CREATE_URL, create_data(capacity_online="0"))
    assert response.status_code == 200
    assert field_errors(response, "capacity_online") != []
    assert_nothing_saved()


def test_meeting_create_missing_title_is_refused(client, organizer):
    response = login(client, organizer).post(CREATE_URL, create_data(title=""))
    assert response.status_code == 200
    assert field_errors(response, "title") != []
    assert_nothing_saved()


# Edit -----------------------------------------------------------------------------------------


def test_meeting_edit_anonymous_redirects_to_login(client, meeting):
    response = client.get(meeting.urls.edit)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_meeting_edit_other_organizer_gets_404_without_title(client, other_organizer, meeting):
    response = login(client, other_organizer).get(meeting.urls.edit)
    assert response.status_code == 404
    assert meeting.title not in response.content.decode()


def test_meeting_edit_secretary_gets_403_and_nothing_changes(client, secretary, meeting):
    response = login(client, secretary).post(meeting.urls.edit, edit_data(meeting, title="Diubah"))
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "FGD Pengawasan P3MI"


def test_meeting_edit_saves_changes_through_the_service(client, organizer, meeting):
    response = login(client, organizer).post(meeting.urls.edit, edit_data(meeting, title="FGD Baru"))
    assert response.status_code == 302
    assert response.url == meeting.urls.detail
    meeting.refresh_from_db()
    assert meeting.title == "FGD Baru"
    assert actions(meeting) == ["meeting.updated"]


def test_meeting_edit_shows_registration_time_in_meeting_zone(client, organizer, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        timezone="Asia/Makassar", registration_closes_at=datetime(2031, 9, 20, 8, 0, tzinfo=UTC)
    )
    response = login(client, organizer).get(meeting.urls.edit)
    assert 'value="2031-09-20T16:00"' in response.content.decode()


def test_meeting_edit_registration_closing_after_the_meeting_is_refused(client, organizer, meeting):
    data = edit_data(meeting, registration_closes_at="2031-09-23T13:00")
    response = login(client, organizer).post(meeting.urls.edit, data)
    assert response.status_code == 200
    assert field_errors(response, "registration_closes_at") == [
        _("Registration must close before the meeting ends.")
    ]
    meeting.refresh_from_db()
    assert meeting.registration_closes_at is None
    assert actions(meeting) == []


# Detail ---------------------------------------------------------------------------------------


def test_meeting_detail_anonymous_redirects_to_login(client, meeting):
    response = client.get(meeting.urls.detail)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_meeting_detail_other_organizer_gets_404_without_title(client, other_organizer, meeting):
    response = login(client, other_organizer).get(meeting.urls.detail)
    assert response.status_code == 404
    assert meeting.title not in response.content.decode()


def test_meeting_detail_for_organizer_shows_days_actions_and_log(client, organizer, meeting):
    from meetings import services

    services.update_meeting(meeting, actor=organizer, theme="Tema baru")
    response = login(client, organizer).get(meeting.urls.detail)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Senin, 22 September 2031" in body
    assert "09.00–15.00 WIB" in body
    assert [action[0] for action in response.context["actions"]] == ["publish"]
    assert f'action="{meeting.urls.publish}"' in body
    assert meeting.urls.cancel in body
    assert meeting.urls.edit in body
    assert meeting.urls.agenda in body
    assert meeting.urls.staff in body
    assert [e.action for e in response.context["audit_entries"]] == ["meeting.updated"]


def test_meeting_detail_for_secretary_hides_organizer_actions(client, secretary, meeting):
    response = login(client, secretary).get(meeting.urls.detail)
    body = response.content.decode()
    assert response.status_code == 200
    assert meeting.title in body
    assert meeting.urls.publish not in body
    assert meeting.urls.edit not in body
    assert "audit_entries" not in response.context


def test_meeting_detail_published_offers_unpublish_and_mark_held(client, organizer, published_meeting):
    response = login(client, organizer).get(published_meeting.urls.detail)
    assert [action[0] for action in response.context["actions"]] == ["unpublish", "mark_held"]
    assert response.context["can_cancel"] is True


# Staff ----------------------------------------------------------------------------------------


def staff_url(meeting):
    return meeting.urls.staff


def test_meeting_staff_secretary_gets_403_and_nothing_changes(client, secretary, organizer, meeting):
    response = login(client, secretary).post(
        staff_url(meeting), {"organizers": [secretary.pk], "secretaries": []}
    )
    assert response.status_code == 403
    assert list(meeting.organizers.all()) == [organizer]


def test_meeting_staff_other_organizer_gets_404(client, other_organizer, meeting):
    response = login(client, other_organizer).get(staff_url(meeting))
    assert response.status_code == 404
    assert meeting.title not in response.content.decode()


def test_meeting_staff_sets_organizers_and_secretaries(client, organizer, secretary, meeting):
    colleague = UserFactory(email="rekan@example.test", full_name="Rekan Kerja")
    response = login(client, organizer).post(
        staff_url(meeting), {"organizers": [organizer.pk, colleague.pk], "secretaries": [secretary.pk]}
    )
    assert response.status_code == 302
    assert set(meeting.organizers.all()) == {organizer, colleague}
    assert list(meeting.secretaries.all()) == [secretary]
    assert actions(meeting) == ["meeting.staff_changed"]


def test_meeting_staff_without_organizer_is_refused(client, organizer, meeting):
    response = login(client, organizer).post(staff_url(meeting), {"organizers": [], "secretaries": []})
    assert response.status_code == 200
    assert field_errors(response, "organizers") == [_("A meeting needs at least one organizer.")]
    assert list(meeting.organizers.all()) == [organizer]


def test_meeting_staff_lists_only_active_users(client, organizer, meeting):
    UserFactory(email="gone@example.test", is_active=False)
    response = login(client, organizer).get(staff_url(meeting))
    assert "gone@example.test" not in response.content.decode()
    assert "secretary@example.test" in response.content.decode()


def test_meeting_staff_is_a_list_of_checkboxes_without_ctrl_advice(client, organizer, secretary, meeting):
    response = login(client, organizer).get(staff_url(meeting))
    form = response.content.decode().split("<main", 1)[1]
    assert re.findall(r'<input type="checkbox" name="secretaries" value="(\d+)"[^>]*checked', form) == [
        str(secretary.pk)
    ]
    assert "<select" not in form
    assert "Ctrl" not in form


# Online room ----------------------------------------------------------------------------------


def room_url(meeting):
    return reverse("meetings:online_room", kwargs={"code": meeting.code})


def test_online_room_sets_manual_link(client, organizer, meeting):
    data = {
        "join_url": "https://zoom.example.test/j/123",
        "passcode": "abc",
        "instructions": "Masuk 10 menit lebih awal",
    }
    response = login(client, organizer).post(room_url(meeting), data)
    assert response.status_code == 302
    room = OnlineRoom.objects.get(meeting=meeting)
    assert (room.join_url, room.passcode, room.provider) == (
        "https://zoom.example.test/j/123",
        "abc",
        "manual",
    )


def test_online_room_is_private_unless_opened_to_the_public(client, organizer, meeting):
    login(client, organizer).post(room_url(meeting), {"join_url": "https://zoom.example.test/j/123"})
    assert OnlineRoom.objects.get(meeting=meeting).open_to_public is False

    client.post(room_url(meeting), {"join_url": "https://zoom.example.test/j/123", "open_to_public": "on"})

    assert OnlineRoom.objects.get(meeting=meeting).open_to_public is True
    actions = list(
        AuditEntry.objects.filter(object_id=str(meeting.pk), action__startswith="meeting.online_room")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["meeting.online_room_set", "meeting.online_room_set", "meeting.online_room_opened"]
    client.post(room_url(meeting), {"join_url": "https://zoom.example.test/j/123"})
    assert OnlineRoom.objects.get(meeting=meeting).open_to_public is False
    assert AuditEntry.objects.filter(action="meeting.online_room_made_private").count() == 1


def test_online_room_invalid_link_is_refused(client, organizer, meeting):
    response = login(client, organizer).post(room_url(meeting), {"join_url": "not a link"})
    assert response.status_code == 200
    assert field_errors(response, "join_url") != []
    assert OnlineRoom.objects.count() == 0


def test_online_room_secretary_gets_403(client, secretary, meeting):
    response = login(client, secretary).post(room_url(meeting), {"join_url": "https://zoom.example.test/j/1"})
    assert response.status_code == 403
    assert OnlineRoom.objects.count() == 0


def test_online_room_for_on_site_meeting_redirects(client, organizer, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(mode=Meeting.Mode.ONSITE)
    response = login(client, organizer).post(room_url(meeting), {"join_url": "https://zoom.example.test/j/1"})
    assert response.status_code == 302
    assert OnlineRoom.objects.count() == 0


# Transitions ----------------------------------------------------------------------------------


def test_publish_changes_status_and_writes_audit(client, organizer, meeting):
    response = login(client, organizer).post(meeting.urls.publish)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert actions(meeting) == ["meeting.publish"]


def test_publish_by_get_is_not_allowed(client, organizer, meeting):
    response = login(client, organizer).get(meeting.urls.publish)
    assert response.status_code == 405
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_publish_by_secretary_gets_403_and_nothing_changes(client, secretary, meeting):
    response = login(client, secretary).post(meeting.urls.publish)
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert actions(meeting) == []


def test_publish_by_other_organizer_gets_404(client, other_organizer, meeting):
    response = login(client, other_organizer).post(meeting.urls.publish)
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_publish_anonymous_redirects_to_login(client, meeting):
    response = client.post(meeting.urls.publish)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_invalid_transition_is_refused_with_message(client, organizer, meeting):
    response = login(client, organizer).post(meeting.urls.close, follow=True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert actions(meeting) == []
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_publish_without_days_is_refused(client, organizer):
    empty = MeetingFactory(organizers=[organizer])
    login(client, organizer).post(empty.urls.publish)
    empty.refresh_from_db()
    assert empty.status == Meeting.Status.DRAFT


@pytest.mark.parametrize(
    ("start", "verb", "end"),
    [
        ("published", "unpublish", "draft"),
        ("published", "mark_held", "held"),
        ("held", "reopen", "published"),
        ("held", "close", "closed"),
    ],
)
def test_transition_moves_status(client, organizer, meeting, start, verb, end):
    move_days_to_the_past(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=start)
    login(client, organizer).post(getattr(meeting.urls, verb))
    meeting.refresh_from_db()
    assert meeting.status == end
    assert actions(meeting) == [f"meeting.{verb}"]


def test_mark_held_get_asks_for_confirmation_without_changing(client, organizer, published_meeting):
    move_days_to_the_past(published_meeting)
    response = login(client, organizer).get(published_meeting.urls.mark_held)
    assert response.status_code == 200
    assert response.context["not_started"] is None
    assert "Ya, tandai terlaksana" in response.content.decode()
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.PUBLISHED
    assert actions(published_meeting) == []


def test_mark_held_before_the_start_says_why_and_offers_no_button(client, organizer, published_meeting):
    response = login(client, organizer).get(published_meeting.urls.mark_held)
    assert response.context["not_started"] == (
        "Rapat ini belum dimulai: hari pertamanya Senin, 22 September 2031 pukul 09.00 WIB. "
        "Tandai terlaksana setelah rapat dimulai."
    )
    assert "Ya, tandai terlaksana" not in response.content.decode()


def test_mark_held_post_before_the_start_is_refused(client, organizer, published_meeting):
    response = login(client, organizer).post(published_meeting.urls.mark_held, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Rapat ini belum dimulai: hari pertamanya Senin, 22 September 2031 pukul 09.00 WIB. "
        "Tandai terlaksana setelah rapat dimulai."
    ]
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.PUBLISHED
    assert actions(published_meeting) == []


def test_held_meeting_offers_reopen_and_close(client, organizer, published_meeting):
    Meeting.objects.filter(pk=published_meeting.pk).update(status=Meeting.Status.HELD)
    response = login(client, organizer).get(published_meeting.urls.detail)
    assert [action[0] for action in response.context["actions"]] == ["reopen", "close"]


@pytest.mark.parametrize("verb", ["mark_held", "reopen"])
def test_mark_held_and_reopen_by_secretary_get_403(client, secretary, published_meeting, verb):
    move_days_to_the_past(published_meeting)
    start = "published" if verb == "mark_held" else "held"
    Meeting.objects.filter(pk=published_meeting.pk).update(status=start)
    response = login(client, secretary).post(getattr(published_meeting.urls, verb))
    assert response.status_code == 403
    published_meeting.refresh_from_db()
    assert published_meeting.status == start


def test_cancel_get_shows_confirmation_without_changing(client, organizer, published_meeting):
    response = login(client, organizer).get(published_meeting.urls.cancel)
    assert response.status_code == 200
    assert "reason" in response.context["form"].fields
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.PUBLISHED


def test_cancel_post_cancels_with_reason(client, organizer, published_meeting):
    response = login(client, organizer).post(published_meeting.urls.cancel, {"reason": "Pandemi"})
    assert response.status_code == 302
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.CANCELLED
    entry = AuditEntry.objects.get(action="meeting.cancel")
    assert entry.data["reason"] == "Pandemi"


def test_cancel_without_reason_is_refused(client, organizer, published_meeting):
    response = login(client, organizer).post(published_meeting.urls.cancel, {"reason": ""})
    assert response.status_code == 200
    assert field_errors(response, "reason") != []
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.PUBLISHED


def test_cancel_by_secretary_gets_403(client, secretary, published_meeting):
    response = login(client, secretary).post(published_meeting.urls.cancel, {"reason": "x"})
    assert response.status_code == 403
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.PUBLISHED


def test_cancel_of_closed_meeting_is_refused(client, organizer, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    login(client, organizer)
    assert client.get(meeting.urls.cancel).status_code == 302
    client.post(meeting.urls.cancel, {"reason": "x"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert actions(meeting) == []


# Public page ----------------------------------------------------------------------------------


def test_public_page_of_draft_is_404_even_for_organizer(client, organizer, meeting):
    assert client.get(meeting.urls.public).status_code == 404
    response = login(client, organizer).get(meeting.urls.public)
    assert response.status_code == 404
    assert meeting.title not in response.content.decode()


def test_public_page_preview_of_draft_works_for_staff_only(client, organizer, other_organizer, meeting):
    url = meeting.urls.public + "?preview=1"
    assert client.get(url).status_code == 404
    assert login(client, other_organizer).get(url).status_code == 404
    response = login(client, organizer).get(url)
    assert response.status_code == 200
    assert response.context["preview"] is True


@pytest.fixture
def full_meeting(published_meeting):
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    MeetingHostFactory(meeting=published_meeting, organization=OrganizationFactory(name="BP2MI", acronym=""))
    MeetingHostFactory(meeting=published_meeting, organization=kemnaker, order=1)
    item = published_meeting.days.first().items.get(title="Paparan Narasumber")
    AgendaRoleFactory(
        agenda_item=item,
        person=PersonFactory(
            full_name="Dr. Rina Hartati", position="Direktur Pengawasan", organization=kemnaker
        ),
    )
    AgendaRoleFactory(agenda_item=item, person=PersonFactory(full_name="Budi Santoso"), role="moderator")
    OnlineRoomFactory(
        meeting=published_meeting,
        join_url="https://zoom.example.test/j/555",
        host_url="https://zoom.example.test/s/SECRET-HOST",
        passcode="p3mi21",
        instructions="Gunakan nama dan instansi",
        open_to_public=True,
    )
    return published_meeting


def test_public_page_shows_meeting_days_agenda_and_speakers(client, full_meeting):
    response = client.get(full_meeting.urls.public)
    body = response.content.decode()
    assert response.status_code == 200
    assert "FGD Pengawasan P3MI" in body
    assert "Senin, 22 September 2031" in body
    assert "Selasa, 23 September 2031" in body
    assert "09.00–15.00 WIB" in body
    assert "10.00–12.00 WIB" in body
    assert "Paparan Narasumber" in body
    assert "Dr. Rina Hartati, Direktur Pengawasan — Kementerian Ketenagakerjaan" in body
    assert "Budi Santoso" in body
    assert "BP2MI" in body
    assert "Kementerian Ketenagakerjaan (Kemnaker)" in body
    assert "Gedung BP2MI" in body
    assert "https://zoom.example.test/j/555" in body
    assert "p3mi21" in body
    item = response.context["meeting"].days.all()[0].items.all()[1]
    assert [r.person.full_name for r in item.speakers] == ["Dr. Rina Hartati"]
    assert [r.person.full_name for r in item.moderators] == ["Budi Santoso"]


def test_public_page_of_a_private_room_hides_link_and_passcode(client, full_meeting):
    OnlineRoom.objects.filter(meeting=full_meeting).update(open_to_public=False)

    response = client.get(full_meeting.urls.public)

    body = response.content.decode()
    assert OnlineRoom.objects.get(meeting=full_meeting).join_url == "https://zoom.example.test/j/555"
    assert "zoom.example.test/j/555" not in body
    assert "p3mi21" not in body
    assert "Gunakan nama dan instansi" not in body
    assert response.context["join_visible"] is False
    assert (
        _(
            "Register for online attendance: once your seat is confirmed, the link to join is in your "
            "confirmation email and on your private registration page."
        )
        in body
    )


@pytest.mark.parametrize("who", ["organizer", "secretary"])
def test_public_page_of_a_private_room_shows_the_link_to_the_meeting_s_staff(
    client, full_meeting, who, request
):
    OnlineRoom.objects.filter(meeting=full_meeting).update(open_to_public=False)

    body = login(client, request.getfixturevalue(who)).get(full_meeting.urls.public).content.decode()

    assert 'href="https://zoom.example.test/j/555"' in body
    assert 'id="private-room-note"' in body


def test_public_page_of_a_private_room_hides_the_link_from_other_signed_in_users(
    client, full_meeting, plain_user
):
    OnlineRoom.objects.filter(meeting=full_meeting).update(open_to_public=False)

    body = login(client, plain_user).get(full_meeting.urls.public).content.decode()

    assert "zoom.example.test/j/555" not in body


def test_public_page_opens_with_each_day_when_the_hours_differ(client, full_meeting):
    body = client.get(full_meeting.urls.public).content.decode()

    dates = re.search(r'<dd [^>]*id="meeting-dates">(.*?)</dd>', body, re.S).group(1)
    assert [
        " ".join(re.sub(r"<[^>]+>", "", line).split()) for line in dates.split('<span class="d-block">')[1:]
    ] == [
        "Senin, 22 September 2031, 09.00–15.00 WIB",
        "Selasa, 23 September 2031, 09.00–12.00 WIB",
    ]
    assert (
        body.index('id="meeting-facts"')
        < body.index('id="registration-box"')
        < body.index('id="agenda-heading"')
    )


def test_public_page_never_shows_host_url(client, organizer, full_meeting):
    assert "SECRET-HOST" not in client.get(full_meeting.urls.public).content.decode()
    assert "SECRET-HOST" not in login(client, organizer).get(full_meeting.urls.public).content.decode()


def test_public_page_of_cancelled_meeting_shows_banner_and_hides_join_link(client, full_meeting):
    Meeting.objects.filter(pk=full_meeting.pk).update(status=Meeting.Status.CANCELLED)
    body = client.get(full_meeting.urls.public).content.decode()
    assert 'id="cancelled-banner"' in body
    assert _("This meeting has been cancelled.") in body
    assert "https://zoom.example.test/j/555" not in body


def test_public_page_in_other_zone_labels_times_wita(client, published_meeting):
    Meeting.objects.filter(pk=published_meeting.pk).update(timezone="Asia/Makassar")
    body = client.get(published_meeting.urls.public).content.decode()
    assert "09.00–15.00 WITA" in body
    assert "WIB" not in body


def test_public_page_of_on_site_meeting_has_no_online_section(client, published_meeting):
    Meeting.objects.filter(pk=published_meeting.pk).update(mode=Meeting.Mode.ONSITE)
    response = client.get(published_meeting.urls.public)
    assert response.context["online_room"] is None
    assert "Gedung BP2MI" in response.content.decode()


def test_public_page_unknown_code_is_404(client, db):
    assert client.get(reverse("meetings:public", kwargs={"code": "zzzzzzzz"})).status_code == 404


def test_public_page_agenda_items_are_in_time_order(client, published_meeting):
    day = published_meeting.days.last()
    AgendaItemFactory(day=day, start_time=time(11), end_time=time(12), title="Penutupan", order=1)
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(11), title="Diskusi", order=2)
    response = client.get(published_meeting.urls.public)
    days = response.context["meeting"].days.all()
    assert [i.title for i in days[1].items.all()] == ["Diskusi", "Penutupan"]


def _list_with_counts(organizer):
    from participants.models import Registration
    from tests.participants.test_registration_list import make_registration

    early = MeetingFactory(title="Rapat Awal", organizers=[organizer])
    MeetingDayFactory(meeting=early, date=date(2031, 3, 1))
    late = MeetingFactory(title="Rapat Akhir", organizers=[organizer])
    MeetingDayFactory(meeting=late, date=date(2031, 9, 1))
    undated = MeetingFactory(title="Rapat Belum Bertanggal", organizers=[organizer])
    for n in range(3):
        make_registration(early, f"Peserta {n}")
    make_registration(late, "Peserta Akhir")
    make_registration(late, "Antre", state=Registration.State.WAITLISTED)
    make_registration(undated, "Batal", state=Registration.State.CANCELLED)
    return early, late, undated


def test_meeting_list_shows_confirmed_and_waiting_counts(client, organizer):
    early, late, undated = _list_with_counts(organizer)
    login(client, organizer)
    response = client.get(LIST_URL)
    assert [(m.title, m.confirmed, m.waiting) for m in response.context["meetings"]] == [
        ("Rapat Akhir", 1, 1),
        ("Rapat Awal", 3, 0),
        ("Rapat Belum Bertanggal", 0, 0),
    ]


@pytest.mark.parametrize(
    ("sort", "titles"),
    [
        ("title", ["Rapat Akhir", "Rapat Awal", "Rapat Belum Bertanggal"]),
        ("-title", ["Rapat Belum Bertanggal", "Rapat Awal", "Rapat Akhir"]),
        ("date", ["Rapat Awal", "Rapat Akhir", "Rapat Belum Bertanggal"]),
        ("-confirmed", ["Rapat Awal", "Rapat Akhir", "Rapat Belum Bertanggal"]),
        ("-waiting", ["Rapat Akhir", "Rapat Awal", "Rapat Belum Bertanggal"]),
        ("nonsense", ["Rapat Akhir", "Rapat Awal", "Rapat Belum Bertanggal"]),
    ],
)
def test_meeting_list_sorts_by_column(client, organizer, sort, titles):
    _list_with_counts(organizer)
    login(client, organizer)
    response = client.get(LIST_URL, {"sort": sort})
    assert [m.title for m in response.context["meetings"]] == titles


def test_meeting_list_headers_link_to_sorting_and_keep_filters(client, organizer):
    _list_with_counts(organizer)
    login(client, organizer)
    body = client.get(LIST_URL, {"sort": "title", "kind": "fgd", "page": "1"}).content.decode()
    assert '<th scope="col" aria-sort="ascending">' in body
    assert 'href="?sort=-title&amp;kind=fgd"' in body
    assert 'href="?sort=-confirmed&amp;kind=fgd"' in body


def test_meeting_list_query_count_does_not_grow_with_meetings(client, organizer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _list_with_counts(organizer)
    login(client, organizer)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL, {"sort": "-confirmed"})
    for _n in range(10):
        _list_with_counts(organizer)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST_URL, {"sort": "-confirmed"})
    assert len(many) == len(few)
