"""Meeting forms on their own: zone-aware registration times, capacities, days, error mapping."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meetings.forms.meeting import DayFormSet, MeetingFilterForm, MeetingForm, StaffForm, add_service_errors
from meetings.models import Meeting
from tests.factories import MeetingFactory, UserFactory

BASE = {
    "title": "FGD",
    "kind": "fgd",
    "mode": "hybrid",
    "timezone": "Asia/Jakarta",
    "capacity_onsite": "40",
    "capacity_online": "200",
}


def meeting_form(**data):
    return MeetingForm({**BASE, **data})


def days_formset(*rows):
    data = {"days-TOTAL_FORMS": str(len(rows)), "days-INITIAL_FORMS": "0"}
    for i, (day, start, end) in enumerate(rows):
        data.update({f"days-{i}-date": day, f"days-{i}-start_time": start, f"days-{i}-end_time": end})
    return DayFormSet(data, prefix="days")


@pytest.mark.parametrize(
    ("zone", "utc_hour"),
    [("Asia/Jakarta", 9), ("Asia/Makassar", 8), ("Asia/Jayapura", 7), ("UTC", 16)],
)
def test_meeting_form_reads_registration_time_in_submitted_zone(db, zone, utc_hour):
    form = meeting_form(timezone=zone, registration_closes_at="2031-09-21T16:00")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["registration_closes_at"] == datetime(2031, 9, 21, utc_hour, tzinfo=UTC)


def test_meeting_form_with_invalid_zone_falls_back_to_instance_zone_for_times(db):
    form = meeting_form(timezone="Europe/Paris", registration_closes_at="2031-09-21T16:00")
    assert not form.is_valid()
    assert list(form.errors) == ["timezone"]
    assert form.cleaned_data["registration_closes_at"] == datetime(2031, 9, 21, 9, tzinfo=UTC)


def test_meeting_form_shows_stored_time_as_meeting_wall_clock(db):
    meeting = MeetingFactory(
        timezone="Asia/Jayapura", registration_opens_at=datetime(2031, 9, 1, 0, 0, tzinfo=UTC)
    )
    form = MeetingForm(instance=meeting)
    assert 'value="2031-09-01T09:00"' in str(form["registration_opens_at"])


def test_meeting_form_requires_onsite_capacity_for_onsite(db):
    form = meeting_form(mode="onsite", capacity_onsite="")
    assert not form.is_valid()
    assert form.errors["capacity_onsite"] == [_("Give the capacity for this part of the meeting.")]


def test_meeting_form_requires_online_capacity_for_online(db):
    form = meeting_form(mode="online", capacity_online="")
    assert not form.is_valid()
    assert list(form.errors) == ["capacity_online"]


def test_meeting_form_clears_capacity_of_missing_part(db):
    form = meeting_form(mode="onsite", capacity_online="200")
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["capacity_onsite"], form.cleaned_data["capacity_online"]) == (40, None)


def test_meeting_form_refuses_zero_capacity(db):
    form = meeting_form(capacity_onsite="0")
    assert not form.is_valid()
    assert list(form.errors) == ["capacity_onsite"]


def test_meeting_form_refuses_window_closing_before_opening(db):
    form = meeting_form(registration_opens_at="2031-09-10T08:00", registration_closes_at="2031-09-10T08:00")
    assert not form.is_valid()
    assert form.errors["registration_closes_at"] == [_("Registration must close after it opens.")]


def test_meeting_form_refuses_window_closing_after_last_day(db):
    form = MeetingForm(
        {**BASE, "registration_closes_at": "2031-09-23T12:00"}, last_day=(date(2031, 9, 23), time(12))
    )
    assert not form.is_valid()
    assert form.errors["registration_closes_at"] == [_("Registration must close before the meeting ends.")]


def test_meeting_form_marks_fields_invalid_for_later_errors(db):
    form = meeting_form()
    assert form.is_valid()
    add_service_errors(form, ValidationError({"title": "Taken", "nonexistent": "Elsewhere"}))
    assert "is-invalid" in form.fields["title"].widget.attrs["class"]
    assert form.fields["title"].widget.attrs["aria-invalid"] == "true"
    assert form.errors["title"] == ["Taken"]
    assert form.non_field_errors() == ["Elsewhere"]


def test_meeting_form_marks_invalid_fields_on_validation(db):
    form = meeting_form(title="")
    assert form.is_valid() is False
    assert "is-invalid" in form.fields["title"].widget.attrs["class"]
    assert "is-invalid" not in form.fields["theme"].widget.attrs["class"]


def test_meeting_form_service_fields_are_exactly_the_meeting_fields(db):
    from meetings.services import MEETING_FIELDS

    form = meeting_form()
    assert form.is_valid()
    assert list(form.service_fields()) == list(MEETING_FIELDS)


def test_day_formset_returns_days_sorted_and_skips_empty_rows():
    formset = days_formset(("2031-09-23", "09:00", "12:00"), ("", "", ""), ("2031-09-22", "09:00", "15:00"))
    assert formset.is_valid(), formset.errors
    assert formset.days() == [
        {"date": date(2031, 9, 22), "start_time": time(9), "end_time": time(15)},
        {"date": date(2031, 9, 23), "start_time": time(9), "end_time": time(12)},
    ]


def test_day_formset_refuses_duplicate_dates():
    formset = days_formset(("2031-09-22", "09:00", "12:00"), ("2031-09-22", "13:00", "15:00"))
    assert not formset.is_valid()
    assert formset.forms[1].errors["date"] == [_("This date is already listed.")]
    assert "is-invalid" in formset.forms[1].fields["date"].widget.attrs["class"]


def test_day_formset_refuses_end_before_start():
    formset = days_formset(("2031-09-22", "12:00", "12:00"))
    assert not formset.is_valid()
    assert formset.forms[0].errors["end_time"] == [_("The end time must be after the start time.")]


def test_day_formset_requires_one_day():
    formset = days_formset(("", "", ""))
    assert not formset.is_valid()
    assert formset.non_form_errors() == [_("Add at least one day.")]


def test_day_formset_accepts_indonesian_time_format():
    formset = days_formset(("22/09/2031", "09.00", "15.30"))
    assert formset.is_valid(), formset.errors
    assert formset.days()[0]["end_time"] == time(15, 30)


def test_staff_form_offers_only_active_users(db):
    active = UserFactory(email="aktif@example.test", full_name="Aktif")
    UserFactory(email="nonaktif@example.test", is_active=False)
    assert list(StaffForm().fields["organizers"].queryset) == [active]
    assert StaffForm().fields["organizers"].label_from_instance(active) == "Aktif <aktif@example.test>"


def test_filter_form_filters_by_every_field(db):
    match = MeetingFactory(title="FGD Pelindungan", kind="webinar", status=Meeting.Status.PUBLISHED)
    Meeting.objects.filter(pk=match.pk).update(starts_on=date(2031, 5, 1))
    MeetingFactory(title="FGD Pelindungan", kind="fgd")
    form = MeetingFilterForm(
        {
            "q": "pelindungan",
            "kind": "webinar",
            "status": "published",
            "starts_from": "2031-04-01",
            "starts_to": "2031-06-01",
        }
    )
    assert list(form.filter(Meeting.objects.all())) == [match]


def test_day_formset_half_filled_row_asks_for_the_missing_times():
    formset = days_formset(("2031-09-22", "", ""))
    assert not formset.is_valid()
    assert list(formset.forms[0].errors) == ["start_time", "end_time"]
