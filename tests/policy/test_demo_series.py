"""The demo's series: the 2021 FGD copied for three regional units in WIB, WITA and WIT."""

import pytest
from django.urls import reverse

from accounts.models import User
from meetings.models import MeetingSeries
from participants.models import AgencyInvitation, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seeded_demo, db):
    return seeded_demo


def test_demo_series_has_one_draft_per_zone(seeded, client):
    series = MeetingSeries.objects.get(title="Sosialisasi Pengawasan P3MI di UPT")
    meetings = list(series.meetings.order_by("timezone"))

    assert [m.timezone for m in meetings] == ["Asia/Jakarta", "Asia/Jayapura", "Asia/Makassar"]
    assert all(m.status == "draft" and m.copied_from == series.source for m in meetings)
    assert [d.start_time.hour for m in meetings for d in m.days.order_by("date")][:1] == [
        series.source.days.order_by("date").first().start_time.hour
    ]
    assert Registration.objects.filter(meeting__series=series).count() == 0
    assert (
        AgencyInvitation.objects.filter(meeting__series=series).count()
        == 3 * series.source.invitations.exclude(state="revoked").count()
    )
    client.force_login(User.objects.get(email="penyelenggara@sinergi.test"))
    page = client.get(reverse("policy:series", kwargs={"pk": series.pk})).content.decode()
    assert "BP3MI Papua (Jayapura)" in page
    assert "WITA" in page


def test_demo_seeding_twice_keeps_one_series(seeded):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)

    assert MeetingSeries.objects.filter(title="Sosialisasi Pengawasan P3MI di UPT").count() == 1
