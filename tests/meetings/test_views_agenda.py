"""The agenda editor through the real stack: pages, htmx fragments, errors in place, access."""

import re
from datetime import UTC, date, datetime, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from meetings.models import AgendaItem, Meeting, MeetingDay
from tests.conftest import login
from tests.factories import AgendaItemFactory, AgendaRoleFactory, MeetingDayFactory, MeetingFactory

HX = {"HTTP_HX_REQUEST": "true"}


# Helpers ------------------------------------------------------------------------------------


def url(name, meeting, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"code": meeting.code, **kwargs})


def day_of(meeting, day):
    return meeting.days.get(date=date(2031, 9, day))


def item(title):
    return AgendaItem.objects.get(title=title)


def snapshot(meeting):
    """Everything the editor could change, to show that a refused request changed nothing."""
    days = list(meeting.days.order_by("date").values_list("date", "start_time", "end_time"))
    items = list(
        AgendaItem.objects.filter(day__meeting=meeting)
        .order_by("day__date", "start_time")
        .values_list("day__date", "start_time", "end_time", "title", "description", "order")
    )
    return days, items


def titles(html):
    return re.findall(r'<div class="fw-semibold">(.*?)</div>', html)


def item_times(html):
    return re.findall(r'<div class="col-12 col-md-2 agenda-time fw-semibold">(.*?)</div>', html)


def day_headings(html):
    return [
        (heading, hours)
        for heading, hours in re.findall(
            r'<h2 class="h5 mb-0" id="day-\d+-heading">\s*(.*?)\s*<small[^>]*>(.*?)</small>', html
        )
    ]


def errors_next_to(html, field_id):
    """The error messages rendered in the same form group as the field with this id."""
    assert f'id="{field_id}"' in html, f"no field {field_id}"
    after = html.split(f'id="{field_id}"', 1)[1]
    group = after.split('<div class="mb-3">', 1)[0].split("</form>", 1)[0]
    return re.findall(r'<div class="invalid-feedback d-block">(.*?)</div>', group)


def field_tag(html, field_id):
    return re.search(rf'<(?:input|textarea)[^>]*id="{field_id}"[^>]*>', html).group(0)


def form_errors(html):
    return re.findall(r'<div class="alert alert-danger[^"]*" role="alert">(.*?)</div>', html)


def overlap_message(title, start, end):
    return gettext("This overlaps “%(title)s” (%(s)s–%(e)s).") % {"title": title, "s": start, "e": end}


@pytest.fixture
def organizer_client(client, organizer):
    return login(client, organizer)


@pytest.fixture
def closing_registration(meeting):
    """Registration closes 09.00 WIB on the last day, so that day can be neither cut nor removed."""
    Meeting.objects.filter(pk=meeting.pk).update(registration_closes_at=datetime(2031, 9, 23, 2, tzinfo=UTC))
    return meeting


# The agenda page ----------------------------------------------------------------------------


def test_agenda_page_shows_days_hours_and_items_in_time_order(organizer_client, meeting):
    # Created last with the lowest order: time decides the place, not the order field.
    AgendaItemFactory(
        day=day_of(meeting, 22), start_time=time(13), end_time=time(15), title="Diskusi", order=0
    )
    AgendaRoleFactory(agenda_item=item("Paparan Narasumber"), person__full_name="Benny Rhamdani")
    AgendaRoleFactory(
        agenda_item=item("Paparan Narasumber"), person__full_name="Lismia Elita", role="moderator"
    )
    response = organizer_client.get(url("agenda", meeting))
    html = response.content.decode()
    assert response.status_code == 200
    assert day_headings(html) == [
        ("Senin, 22 September 2031", "09.00–15.00 WIB"),
        ("Selasa, 23 September 2031", "09.00–12.00 WIB"),
    ]
    assert titles(html) == ["Pembukaan", "Paparan Narasumber", "Diskusi"]
    assert item_times(html) == ["09.00–10.00", "10.00–12.00", "13.00–15.00"]
    assert "Benny Rhamdani" in html
    assert "Lismia Elita" in html
    roles_url = reverse("meetings:agenda_roles", kwargs={"code": meeting.code, "item_id": item("Diskusi").pk})
    assert f'href="{roles_url}" hx-get="{roles_url}"' in html
    assert url("day_create", meeting) in html


def test_agenda_page_with_htmx_and_day_returns_that_day_only(organizer_client, meeting):
    day = day_of(meeting, 22)
    response = organizer_client.get(url("agenda", meeting), {"day": day.pk}, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section id="day-{day.pk}"')
    assert "<html" not in html
    assert titles(html) == ["Pembukaan", "Paparan Narasumber"]
    assert "HX-Request" in response["Vary"]


def test_agenda_page_for_secretary_is_read_only(client, secretary, meeting):
    login(client, secretary)
    response = client.get(url("agenda", meeting))
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(html) == ["Pembukaan", "Paparan Narasumber"]
    assert "hx-post" not in html
    assert url("day_create", meeting) not in html
    assert url("item_edit", meeting, item_id=item("Pembukaan").pk) not in html


@pytest.mark.parametrize("who", ["other_organizer", "plain_user"])
def test_agenda_page_for_outsider_is_not_found_and_shows_nothing(client, meeting, who, request):
    login(client, request.getfixturevalue(who))
    response = client.get(url("agenda", meeting))
    assert response.status_code == 404
    assert "Pembukaan" not in response.content.decode()


def test_agenda_page_for_anonymous_redirects_to_login(client, meeting):
    response = client.get(url("agenda", meeting))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_agenda_page_query_count_does_not_grow_with_size(client, organizer):
    def build(days, items_per_day):
        meeting = MeetingFactory(organizers=[organizer])
        for d in range(days):
            day = MeetingDayFactory(meeting=meeting, start_time=time(7), end_time=time(18))
            for i in range(items_per_day):
                start = 7 * 60 + i * 30
                agenda_item = AgendaItemFactory(
                    day=day,
                    start_time=time(start // 60, start % 60),
                    end_time=time((start + 30) // 60, (start + 30) % 60),
                    title=f"Sesi {d}-{i}",
                )
                AgendaRoleFactory(agenda_item=agenda_item)
        return meeting

    small, large = build(1, 1), build(3, 20)
    login(client, organizer)
    counts = []
    for meeting in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("agenda", meeting))
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(titles(response.content.decode())) == 60
    assert counts[0] == counts[1]


# Days ---------------------------------------------------------------------------------------


def test_day_create_with_htmx_returns_the_days_with_the_new_one(organizer_client, meeting):
    data = {"date": "2031-09-24", "start_time": "08:30", "end_time": "11:00"}
    response = organizer_client.post(url("day_create", meeting), data, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="agenda-days">')
    assert [h for h, _ in day_headings(html)] == [
        "Senin, 22 September 2031",
        "Selasa, 23 September 2031",
        "Rabu, 24 September 2031",
    ]
    assert list(meeting.days.values_list("date", "start_time", "end_time")) == [
        (date(2031, 9, 22), time(9), time(15)),
        (date(2031, 9, 23), time(9), time(12)),
        (date(2031, 9, 24), time(8, 30), time(11)),
    ]


def test_day_create_without_htmx_redirects_to_the_new_day(organizer_client, meeting):
    data = {"date": "2031-09-24", "start_time": "08:30", "end_time": "11:00"}
    response = organizer_client.post(url("day_create", meeting), data)
    new_day = meeting.days.get(date=date(2031, 9, 24))
    assert response.status_code == 302
    assert response.url == f"{url('agenda', meeting)}#day-{new_day.pk}"


def test_day_create_on_existing_date_shows_error_next_to_date(organizer_client, meeting):
    before = snapshot(meeting)
    data = {"date": "2031-09-23", "start_time": "13:00", "end_time": "15:00"}
    response = organizer_client.post(url("day_create", meeting), data, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert errors_next_to(html, "id_new-day_date") == [
        gettext("This meeting already has a day on that date.")
    ]
    assert 'is-invalid" aria-invalid="true"' in field_tag(html, "id_new-day_date")
    assert 'value="13:00"' in field_tag(html, "id_new-day_start_time")
    assert snapshot(meeting) == before


def test_day_create_ending_before_start_shows_error_next_to_end(organizer_client, meeting):
    before = snapshot(meeting)
    data = {"date": "2031-09-24", "start_time": "13:00", "end_time": "09:00"}
    html = organizer_client.post(url("day_create", meeting), data, **HX).content.decode()
    assert errors_next_to(html, "id_new-day_end_time") == [
        gettext("The end time must be after the start time.")
    ]
    assert errors_next_to(html, "id_new-day_start_time") == []
    assert snapshot(meeting) == before


def test_day_create_with_unreadable_input_shows_field_errors(organizer_client, meeting):
    before = snapshot(meeting)
    data = {"date": "besok", "start_time": "25:00", "end_time": ""}
    html = organizer_client.post(url("day_create", meeting), data, **HX).content.decode()
    assert len(errors_next_to(html, "id_new-day_date")) == 1
    assert len(errors_next_to(html, "id_new-day_start_time")) == 1
    assert len(errors_next_to(html, "id_new-day_end_time")) == 1
    assert snapshot(meeting) == before


def test_day_edit_with_htmx_turns_the_day_into_a_form(organizer_client, meeting):
    day = day_of(meeting, 23)
    response = organizer_client.get(url("day_edit", meeting, day_id=day.pk), **HX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="day-{day.pk}"')
    assert 'value="2031-09-23"' in field_tag(html, f"id_day-{day.pk}_date")
    assert 'value="09:00"' in field_tag(html, f"id_day-{day.pk}_start_time")
    assert 'value="12:00"' in field_tag(html, f"id_day-{day.pk}_end_time")


def test_day_edit_without_htmx_shows_the_page_with_the_form_in_place(organizer_client, meeting):
    day = day_of(meeting, 23)
    html = organizer_client.get(url("day_edit", meeting, day_id=day.pk)).content.decode()
    assert "<html" in html
    assert f'id="id_day-{day.pk}_date"' in html


def test_day_edit_saves_date_and_hours(organizer_client, meeting):
    day = day_of(meeting, 23)
    data = {"date": "2031-09-21", "start_time": "08:00", "end_time": "16:00"}
    response = organizer_client.post(url("day_edit", meeting, day_id=day.pk), data, **HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="agenda-days">')
    assert day_headings(html) == [
        ("Minggu, 21 September 2031", "08.00–16.00 WIB"),
        ("Senin, 22 September 2031", "09.00–15.00 WIB"),
    ]
    day.refresh_from_db()
    assert (day.date, day.start_time, day.end_time) == (date(2031, 9, 21), time(8), time(16))


def test_day_edit_shrinking_past_items_shows_errors_next_to_hours(organizer_client, meeting):
    before = snapshot(meeting)
    day = day_of(meeting, 22)
    data = {"date": "2031-09-22", "start_time": "09:30", "end_time": "11:00"}
    html = organizer_client.post(url("day_edit", meeting, day_id=day.pk), data, **HX).content.decode()
    [start_error] = errors_next_to(html, f"id_day-{day.pk}_start_time")
    [end_error] = errors_next_to(html, f"id_day-{day.pk}_end_time")
    assert "“Pembukaan” (09.00–10.00)" in start_error
    assert "“Paparan Narasumber” (10.00–12.00)" in end_error
    assert snapshot(meeting) == before


def test_day_edit_ending_before_registration_closes_shows_form_error(organizer_client, closing_registration):
    meeting = closing_registration
    before = snapshot(meeting)
    day = day_of(meeting, 23)
    data = {"date": "2031-09-23", "start_time": "08:00", "end_time": "08:30"}
    html = organizer_client.post(url("day_edit", meeting, day_id=day.pk), data, **HX).content.decode()
    assert form_errors(html) == [gettext("Registration must close before the meeting ends.")]
    assert snapshot(meeting) == before


def test_day_edit_to_date_of_another_day_without_htmx_shows_page_with_error(organizer_client, meeting):
    before = snapshot(meeting)
    day = day_of(meeting, 23)
    data = {"date": "2031-09-22", "start_time": "09:00", "end_time": "12:00"}
    response = organizer_client.post(url("day_edit", meeting, day_id=day.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert errors_next_to(html, f"id_day-{day.pk}_date") == [
        gettext("This meeting already has a day on that date.")
    ]
    assert snapshot(meeting) == before


def test_day_delete_with_htmx_removes_the_day_and_its_items(organizer_client, meeting):
    day = day_of(meeting, 22)
    response = organizer_client.post(url("day_delete", meeting, day_id=day.pk), **HX)
    html = response.content.decode()
    assert [h for h, _ in day_headings(html)] == ["Selasa, 23 September 2031"]
    assert titles(html) == []
    assert list(meeting.days.values_list("date", flat=True)) == [date(2031, 9, 23)]
    assert AgendaItem.objects.count() == 0


def test_day_delete_without_js_asks_first_then_redirects(organizer_client, meeting):
    day = day_of(meeting, 22)
    response = organizer_client.get(url("day_delete", meeting, day_id=day.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Senin, 22 September 2031" in html
    assert f'action="{url("day_delete", meeting, day_id=day.pk)}"' in html
    assert meeting.days.count() == 2
    response = organizer_client.post(url("day_delete", meeting, day_id=day.pk))
    assert (response.status_code, response.url) == (302, url("agenda", meeting))
    assert meeting.days.count() == 1


def test_day_delete_before_registration_closes_shows_error_and_keeps_day(
    organizer_client, closing_registration
):
    meeting = closing_registration
    before = snapshot(meeting)
    day = day_of(meeting, 23)
    html = organizer_client.post(url("day_delete", meeting, day_id=day.pk), **HX).content.decode()
    assert form_errors(html) == [gettext("Registration must close before the meeting ends.")]
    assert snapshot(meeting) == before


# Agenda items -------------------------------------------------------------------------------


def test_item_create_with_htmx_returns_the_day_with_the_item(organizer_client, meeting):
    day = day_of(meeting, 22)
    data = {"start_time": "13:00", "end_time": "14:30", "title": "Diskusi", "description": "Tanya jawab"}
    response = organizer_client.post(url("item_create", meeting, day_id=day.pk), data, **HX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="day-{day.pk}"')
    assert titles(html) == ["Pembukaan", "Paparan Narasumber", "Diskusi"]
    assert "Tanya jawab" in html
    assert "<details open>" in html  # ready for the next item
    assert list(day.items.values_list("title", "start_time", "end_time", "description")) == [
        ("Pembukaan", time(9), time(10), ""),
        ("Paparan Narasumber", time(10), time(12), ""),
        ("Diskusi", time(13), time(14, 30), "Tanya jawab"),
    ]


def test_item_create_without_htmx_redirects_to_the_day(organizer_client, meeting):
    day = day_of(meeting, 23)
    data = {"start_time": "09:00", "end_time": "10:00", "title": "Rangkuman"}
    response = organizer_client.post(url("item_create", meeting, day_id=day.pk), data)
    assert (response.status_code, response.url) == (302, f"{url('agenda', meeting)}#day-{day.pk}")
    assert list(day.items.values_list("title", flat=True)) == ["Rangkuman"]


def test_item_create_overlapping_names_the_other_item_next_to_start(organizer_client, meeting):
    before = snapshot(meeting)
    day = day_of(meeting, 22)
    data = {"start_time": "11:00", "end_time": "13:00", "title": "Diskusi"}
    response = organizer_client.post(url("item_create", meeting, day_id=day.pk), data, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert errors_next_to(html, f"id_new-item-{day.pk}_start_time") == [
        overlap_message("Paparan Narasumber", "10.00", "12.00")
    ]
    assert 'value="Diskusi"' in field_tag(html, f"id_new-item-{day.pk}_title")
    assert "<details open>" in html
    assert snapshot(meeting) == before


def test_item_create_outside_day_hours_shows_errors_next_to_both_times(organizer_client, meeting):
    before = snapshot(meeting)
    day = day_of(meeting, 23)
    data = {"start_time": "07:00", "end_time": "08:00", "title": "Sarapan"}
    html = organizer_client.post(url("item_create", meeting, day_id=day.pk), data, **HX).content.decode()
    assert len(errors_next_to(html, f"id_new-item-{day.pk}_start_time")) == 1
    assert len(errors_next_to(html, f"id_new-item-{day.pk}_end_time")) == 1
    assert "09.00–12.00" in errors_next_to(html, f"id_new-item-{day.pk}_start_time")[0]
    assert snapshot(meeting) == before


def test_item_create_ending_before_start_shows_error_next_to_end(organizer_client, meeting):
    before = snapshot(meeting)
    day = day_of(meeting, 23)
    data = {"start_time": "11:00", "end_time": "10:00", "title": "Rangkuman"}
    html = organizer_client.post(url("item_create", meeting, day_id=day.pk), data, **HX).content.decode()
    assert errors_next_to(html, f"id_new-item-{day.pk}_end_time") == [
        gettext("The end time must be after the start time.")
    ]
    assert snapshot(meeting) == before


def test_item_create_without_title_shows_error_next_to_title(organizer_client, meeting):
    before = snapshot(meeting)
    day = day_of(meeting, 23)
    data = {"start_time": "09:00", "end_time": "10:00", "title": ""}
    html = organizer_client.post(url("item_create", meeting, day_id=day.pk), data, **HX).content.decode()
    assert errors_next_to(html, f"id_new-item-{day.pk}_title") == [gettext("This field is required.")]
    assert snapshot(meeting) == before


def test_item_create_error_without_htmx_shows_the_page_with_the_form(organizer_client, meeting):
    before = snapshot(meeting)
    day = day_of(meeting, 22)
    data = {"start_time": "09:30", "end_time": "10:30", "title": "Diskusi"}
    response = organizer_client.post(url("item_create", meeting, day_id=day.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert errors_next_to(html, f"id_new-item-{day.pk}_start_time") == [
        overlap_message("Pembukaan", "09.00", "10.00")
    ]
    assert snapshot(meeting) == before


def test_item_edit_with_htmx_turns_the_row_into_a_form(organizer_client, meeting):
    pembukaan = item("Pembukaan")
    response = organizer_client.get(url("item_edit", meeting, item_id=pembukaan.pk), **HX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="item-{pembukaan.pk}"')
    assert f'action="{url("item_edit", meeting, item_id=pembukaan.pk)}"' in html
    assert 'value="Pembukaan"' in field_tag(html, f"id_item-{pembukaan.pk}_title")
    assert 'value="09:00"' in field_tag(html, f"id_item-{pembukaan.pk}_start_time")
    # Cancel fetches the day and keeps only this row.
    assert f'hx-select="#item-{pembukaan.pk}"' in html


def test_item_edit_cancel_fetch_restores_the_row(organizer_client, meeting):
    pembukaan = item("Pembukaan")
    html = organizer_client.get(url("agenda", meeting), {"day": pembukaan.day_id}, **HX).content.decode()
    row = html.split(f'<li id="item-{pembukaan.pk}"', 1)[1].split("</li>", 1)[0]
    assert "Pembukaan" in row
    assert f'action="{url("item_edit", meeting, item_id=pembukaan.pk)}"' not in row


def test_item_edit_without_htmx_shows_the_page_with_the_form_in_place(organizer_client, meeting):
    pembukaan = item("Pembukaan")
    html = organizer_client.get(url("item_edit", meeting, item_id=pembukaan.pk)).content.decode()
    assert "<html" in html
    assert titles(html) == ["Paparan Narasumber"]  # the other row, still shown as a row
    assert 'value="Pembukaan"' in field_tag(html, f"id_item-{pembukaan.pk}_title")


def test_item_edit_saves_and_swaps_back_to_the_row(organizer_client, meeting):
    pembukaan = item("Pembukaan")
    data = {"start_time": "09:00", "end_time": "09:30", "title": "Sambutan", "description": "Kepala BP2MI"}
    response = organizer_client.post(url("item_edit", meeting, item_id=pembukaan.pk), data, **HX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="day-{pembukaan.day_id}"')
    assert titles(html) == ["Sambutan", "Paparan Narasumber"]
    assert item_times(html) == ["09.00–09.30", "10.00–12.00"]
    assert f'action="{url("item_edit", meeting, item_id=pembukaan.pk)}"' not in html
    pembukaan.refresh_from_db()
    assert (pembukaan.title, pembukaan.end_time, pembukaan.description) == (
        "Sambutan",
        time(9, 30),
        "Kepala BP2MI",
    )


def test_item_edit_without_htmx_redirects_to_the_day(organizer_client, meeting):
    pembukaan = item("Pembukaan")
    data = {"start_time": "09:00", "end_time": "10:00", "title": "Sambutan"}
    response = organizer_client.post(url("item_edit", meeting, item_id=pembukaan.pk), data)
    assert (response.status_code, response.url) == (302, f"{url('agenda', meeting)}#day-{pembukaan.day_id}")
    pembukaan.refresh_from_db()
    assert pembukaan.title == "Sambutan"


def test_item_edit_overlapping_keeps_the_form_with_the_error(organizer_client, meeting):
    before = snapshot(meeting)
    pembukaan = item("Pembukaan")
    data = {"start_time": "09:00", "end_time": "10:30", "title": "Sambutan"}
    html = organizer_client.post(url("item_edit", meeting, item_id=pembukaan.pk), data, **HX).content.decode()
    assert errors_next_to(html, f"id_item-{pembukaan.pk}_start_time") == [
        overlap_message("Paparan Narasumber", "10.00", "12.00")
    ]
    assert 'value="Sambutan"' in field_tag(html, f"id_item-{pembukaan.pk}_title")
    assert titles(html) == ["Paparan Narasumber"]
    assert snapshot(meeting) == before


def test_item_edit_outside_day_hours_shows_error_next_to_end(organizer_client, meeting):
    before = snapshot(meeting)
    paparan = item("Paparan Narasumber")
    data = {"start_time": "14:00", "end_time": "16:00", "title": "Paparan Narasumber"}
    html = organizer_client.post(url("item_edit", meeting, item_id=paparan.pk), data, **HX).content.decode()
    assert errors_next_to(html, f"id_item-{paparan.pk}_start_time") == []
    assert len(errors_next_to(html, f"id_item-{paparan.pk}_end_time")) == 1
    assert snapshot(meeting) == before


def test_item_delete_with_htmx_returns_the_day_without_it(organizer_client, meeting):
    pembukaan = item("Pembukaan")
    html = organizer_client.post(url("item_delete", meeting, item_id=pembukaan.pk), **HX).content.decode()
    assert titles(html) == ["Paparan Narasumber"]
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Paparan Narasumber"]


def test_item_delete_without_js_asks_first_then_redirects(organizer_client, meeting):
    pembukaan = item("Pembukaan")
    html = organizer_client.get(url("item_delete", meeting, item_id=pembukaan.pk)).content.decode()
    assert "Pembukaan" in html
    assert AgendaItem.objects.count() == 2
    response = organizer_client.post(url("item_delete", meeting, item_id=pembukaan.pk))
    assert (response.status_code, response.url) == (302, f"{url('agenda', meeting)}#day-{pembukaan.day_id}")
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Paparan Narasumber"]


def test_item_move_down_swaps_slots(organizer_client, meeting):
    pembukaan = item("Pembukaan")
    response = organizer_client.post(
        url("item_move", meeting, item_id=pembukaan.pk), {"direction": "down"}, **HX
    )
    html = response.content.decode()
    assert titles(html) == ["Paparan Narasumber", "Pembukaan"]
    assert item_times(html) == ["09.00–11.00", "11.00–12.00"]
    assert snapshot(meeting)[1] == [
        (date(2031, 9, 22), time(9), time(11), "Paparan Narasumber", "", 1),
        (date(2031, 9, 22), time(11), time(12), "Pembukaan", "", 2),
    ]


def test_item_move_up_without_htmx_redirects(organizer_client, meeting):
    paparan = item("Paparan Narasumber")
    response = organizer_client.post(url("item_move", meeting, item_id=paparan.pk), {"direction": "up"})
    assert (response.status_code, response.url) == (302, f"{url('agenda', meeting)}#day-{paparan.day_id}")
    paparan.refresh_from_db()
    assert (paparan.start_time, paparan.end_time) == (time(9), time(11))


def test_item_move_with_unknown_direction_is_refused(organizer_client, meeting):
    before = snapshot(meeting)
    pembukaan = item("Pembukaan")
    response = organizer_client.post(
        url("item_move", meeting, item_id=pembukaan.pk), {"direction": "left"}, **HX
    )
    assert response.status_code == 400
    assert snapshot(meeting) == before


# Access -------------------------------------------------------------------------------------


def changes(meeting):
    """Each editing request with valid data, as (url, data)."""
    day, pembukaan = day_of(meeting, 23), item("Pembukaan")
    item_data = {"start_time": "09:00", "end_time": "09:30", "title": "Sambutan"}
    return {
        "day_create": (
            url("day_create", meeting),
            {"date": "2031-09-24", "start_time": "09:00", "end_time": "12:00"},
        ),
        "day_edit": (
            url("day_edit", meeting, day_id=day.pk),
            {"date": "2031-09-24", "start_time": "08:00", "end_time": "12:00"},
        ),
        "day_delete": (url("day_delete", meeting, day_id=day.pk), {}),
        "item_create": (url("item_create", meeting, day_id=day.pk), item_data),
        "item_edit": (url("item_edit", meeting, item_id=pembukaan.pk), item_data),
        "item_delete": (url("item_delete", meeting, item_id=pembukaan.pk), {}),
        "item_move": (url("item_move", meeting, item_id=pembukaan.pk), {"direction": "down"}),
    }


CHANGES = ["day_create", "day_edit", "day_delete", "item_create", "item_edit", "item_delete", "item_move"]


@pytest.mark.parametrize("change", CHANGES)
def test_secretary_cannot_change_the_agenda(client, secretary, meeting, change):
    before = snapshot(meeting)
    path, data = changes(meeting)[change]
    login(client, secretary)
    assert client.post(path, data, **HX).status_code == 403
    assert client.post(path, data).status_code == 403
    assert snapshot(meeting) == before


@pytest.mark.parametrize("change", CHANGES)
def test_other_organizer_gets_not_found_and_nothing_changes(client, other_organizer, meeting, change):
    before = snapshot(meeting)
    path, data = changes(meeting)[change]
    login(client, other_organizer)
    response = client.post(path, data, **HX)
    assert response.status_code == 404
    assert "Pembukaan" not in response.content.decode()
    assert snapshot(meeting) == before


@pytest.mark.parametrize("change", CHANGES)
def test_anonymous_change_redirects_to_login(client, meeting, change):
    before = snapshot(meeting)
    path, data = changes(meeting)[change]
    response = client.post(path, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert snapshot(meeting) == before


def test_secretary_cannot_open_an_edit_form(client, secretary, meeting):
    login(client, secretary)
    assert client.get(url("item_edit", meeting, item_id=item("Pembukaan").pk), **HX).status_code == 403
    assert client.get(url("day_edit", meeting, day_id=day_of(meeting, 22).pk), **HX).status_code == 403


def test_item_of_another_meeting_is_not_found_through_this_one(organizer_client, organizer, meeting):
    other = MeetingFactory(organizers=[organizer])
    other_day = MeetingDayFactory(meeting=other, date=date(2031, 10, 1))
    other_item = AgendaItemFactory(day=other_day, title="Rapat Lain")
    data = {"start_time": "09:00", "end_time": "09:30", "title": "Diubah"}
    assert organizer_client.post(url("item_edit", meeting, item_id=other_item.pk), data).status_code == 404
    assert organizer_client.post(url("day_delete", meeting, day_id=other_day.pk)).status_code == 404
    other_item.refresh_from_db()
    assert other_item.title == "Rapat Lain"
    assert MeetingDay.objects.filter(pk=other_day.pk).exists()


def test_change_without_csrf_token_is_refused(organizer, meeting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)
    data = {"date": "2031-09-24", "start_time": "09:00", "end_time": "12:00"}
    response = client.post(url("day_create", meeting), data, **HX)
    assert response.status_code == 403
    assert meeting.days.count() == 2


# A closed or cancelled meeting's agenda is final -------------------------------------------


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_final_meeting_agenda_offers_no_change(organizer_client, meeting, status):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    html = organizer_client.get(url("agenda", meeting)).content.decode()
    assert titles(html)[:2] == ["Pembukaan", "Paparan Narasumber"]
    assert re.findall(r'href="[^"]*/(?:edit|delete)/"', html) == []
    assert "Tambah butir agenda" not in html
    assert "hx-post" not in html


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_final_meeting_agenda_refuses_every_change(organizer_client, meeting, change, status):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    before = snapshot(meeting)
    path, data = changes(meeting)[change]
    assert organizer_client.post(path, data, **HX).status_code == 403
    assert organizer_client.post(path, data).status_code == 403
    assert snapshot(meeting) == before


def test_held_meeting_agenda_can_still_be_corrected(organizer_client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    path, data = changes(meeting)["item_edit"]
    organizer_client.post(path, data)
    assert item("Sambutan").end_time == time(9, 30)


# The add form starts where the day's last item ends -------------------------------------------


def test_add_item_form_starts_where_the_last_item_ends(organizer_client, meeting):
    html = organizer_client.get(url("agenda", meeting)).content.decode()
    first, second = day_of(meeting, 22), day_of(meeting, 23)
    assert 'value="12:00"' in field_tag(html, f"id_new-item-{first.pk}_start_time")
    # A day without items starts at the day's own start.
    assert 'value="09:00"' in field_tag(html, f"id_new-item-{second.pk}_start_time")


def test_after_adding_an_item_the_next_starts_where_it_ends(organizer_client, meeting):
    day = day_of(meeting, 22)
    response = organizer_client.post(
        url("item_create", meeting, day_id=day.pk),
        {"start_time": "12:00", "end_time": "13:15", "title": "Diskusi"},
        **HX,
    )
    assert 'value="13:15"' in field_tag(response.content.decode(), f"id_new-item-{day.pk}_start_time")
