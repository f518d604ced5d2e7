"""Pages with personal data behind a login are never kept by browsers or shared caches."""

import pytest
from django.urls import reverse

from participants.models import Registration
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_registration_list_with_emails_and_phones_is_never_cached(client, organizer, meeting):
    Registration.objects.create(
        meeting=meeting, full_name="Ani", email="ani@example.test", phone="+628123456789", mode="onsite"
    )
    login(client, organizer)
    response = client.get(reverse("participants:registrations", kwargs={"code": meeting.code}))
    assert response.status_code == 200
    assert b"ani@example.test" in response.content
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_checkin_desk_for_secretary_is_never_cached(client, secretary, meeting):
    login(client, secretary)
    day = meeting.days.order_by("date").first()
    response = client.get(reverse("participants:checkin", kwargs={"code": meeting.code, "day_id": day.pk}))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_directory_people_with_emails_is_never_cached(client, organizer):
    login(client, organizer)
    response = client.get(reverse("directory:person_list"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
