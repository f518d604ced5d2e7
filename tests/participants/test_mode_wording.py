"""How a person attends (the mode) and whether they attended have different words in Indonesian."""

import re

import pytest
from django.urls import reverse

from participants.forms.registrations import RegistrationFilterForm
from tests.conftest import login
from tests.participants.test_registration_list import make_registration

pytestmark = pytest.mark.django_db


def headers(html, table_start):
    table = html.split(table_start, 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]


def test_registration_list_calls_the_mode_cara_hadir(client, organizer, published_meeting):
    make_registration(published_meeting, "Ani")
    html = login(client, organizer).get(reverse("participants:registrations", args=[published_meeting.code]))
    html = html.content.decode()
    columns = headers(html, 'id="registration-table"')
    assert columns[6:9] == ["Telepon", "Cara hadir", "Keadaan"]


def test_attendance_page_keeps_kehadiran(client, organizer, published_meeting):
    html = login(client, organizer).get(
        reverse("participants:attendance_summary", args=[published_meeting.code])
    )
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html.content.decode()) == ["Kehadiran"]


def test_registration_filter_calls_the_mode_cara_hadir():
    field = RegistrationFilterForm().fields["mode"]
    assert (str(field.label), [str(label) for _value, label in field.choices]) == (
        "Cara hadir",
        ["Semua cara hadir", "Luring (tatap muka)", "Daring"],
    )
