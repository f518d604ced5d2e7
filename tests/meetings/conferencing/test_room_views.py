"""The online room page with Zoom: the form, the state, retry and the fresh host link."""

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core.models import AuditEntry
from meetings import services
from meetings.models import OnlineRoom
from tests.conftest import login

pytestmark = pytest.mark.django_db


def url(name, meeting):
    return reverse(f"meetings:{name}", kwargs={"code": meeting.code})


def zoom_post(**overrides):
    data = {
        "zoom-waiting_room": "on",
        "zoom-mute_upon_entry": "on",
        "zoom-auto_recording": "cloud",
        "zoom-alternative_hosts": "wakil@bp2mi.example, notulis@bp2mi.example",
        "zoom-registration": "on",
        "zoom-passcode": "fgd2031",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def ready_room(published_meeting, organizer, fake_zoom, run_tasks):
    services.use_zoom_room(published_meeting, actor=organizer, settings={}, passcode="rahasia1")
    run_tasks()
    return OnlineRoom.objects.get(meeting=published_meeting)


def test_without_zoom_the_page_says_links_are_entered_by_hand(client, meeting, organizer, settings):
    settings.ZOOM_ACCOUNT_ID = ""
    page = login(client, organizer).get(url("online_room", meeting)).content.decode()
    assert "Zoom belum terhubung ke server Sinergi ini" in page
    assert 'name="zoom-passcode"' not in page


def test_the_zoom_form_makes_a_room_in_a_task(client, meeting, organizer, fake_zoom, run_tasks):
    response = login(client, organizer).post(url("zoom_room", meeting), zoom_post())
    assert response.status_code == 302
    room = OnlineRoom.objects.get(meeting=meeting)
    assert room.provider == "zoom"
    assert room.state == "pending"
    assert room.passcode == "fgd2031"
    assert room.settings["alternative_hosts"] == "wakil@bp2mi.example,notulis@bp2mi.example"
    assert room.settings["registration"] is True
    assert room.settings["join_before_host"] is False
    assert fake_zoom.calls() == []
    page = client.get(url("online_room", meeting)).content.decode()
    assert 'id="room-state"' in page
    assert "text-bg-warning" in page
    run_tasks()
    created = fake_zoom.meetings[int(OnlineRoom.objects.get(meeting=meeting).provider_id)]
    assert created["settings"]["approval_type"] == 0  # registration on
    page = client.get(url("online_room", meeting)).content.decode()
    assert "text-bg-success" in page
    assert created["join_url"] in page


def test_a_bad_passcode_or_host_address_is_refused_in_indonesian(client, meeting, organizer, fake_zoom):
    response = login(client, organizer).post(
        url("zoom_room", meeting),
        zoom_post(**{"zoom-passcode": "kata sandi", "zoom-alternative_hosts": "bukan-email"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "paling banyak 10 karakter" in page
    assert "“bukan-email”" in page
    assert not OnlineRoom.objects.filter(meeting=meeting).exists()
    assert not DBTaskResult.objects.exists()


def test_a_failed_room_shows_zooms_message_and_a_retry_button(
    client, ready_room, organizer, fake_zoom, run_tasks
):
    meeting = ready_room.meeting
    OnlineRoom.objects.filter(pk=ready_room.pk).update(
        state="failed", last_error="Zoom 400 (code 3000): <b>bad</b>"
    )
    page = login(client, organizer).get(url("online_room", meeting)).content.decode()
    assert "Zoom 400 (code 3000): &lt;b&gt;bad&lt;/b&gt;" in page
    assert url("room_retry", meeting) in page
    assert client.post(url("room_retry", meeting)).status_code == 302
    assert OnlineRoom.objects.get(pk=ready_room.pk).state == "pending"
    run_tasks()
    assert OnlineRoom.objects.get(pk=ready_room.pk).state == "ready"
    assert AuditEntry.objects.filter(action="meeting.online_room_retried").count() == 1


def test_the_host_link_is_fetched_fresh_and_never_stored(client, ready_room, organizer, fake_zoom):
    meeting = ready_room.meeting
    login(client, organizer)
    first = client.post(url("room_host_link", meeting))
    second = client.post(url("room_host_link", meeting))
    assert first.status_code == second.status_code == 302
    assert first["Location"].startswith(f"https://zoom.example/s/{ready_room.provider_id}?zak=")
    assert first["Location"] != second["Location"]  # a new one each time
    assert first["Referrer-Policy"] == "no-referrer"
    assert OnlineRoom.objects.get(pk=ready_room.pk).host_url == ""
    assert "zak=" not in client.get(url("online_room", meeting)).content.decode()


def test_without_credentials_the_host_link_says_so_and_calls_nobody(
    client, ready_room, organizer, fake_zoom, settings
):
    settings.ZOOM_CLIENT_SECRET = ""
    before = len(fake_zoom.requests)
    response = login(client, organizer).post(url("room_host_link", ready_room.meeting), follow=True)
    assert response.redirect_chain[-1][0] == url("online_room", ready_room.meeting)
    assert "Zoom belum terhubung ke instalasi ini" in response.content.decode()
    assert len(fake_zoom.requests) == before
    assert not AuditEntry.objects.filter(action="meeting.host_link_fetched").exists()


@pytest.mark.parametrize("name", ["zoom_room", "room_retry", "room_host_link"])
def test_only_the_meetings_organizers_may(client, name, ready_room, secretary, other_organizer, fake_zoom):
    meeting = ready_room.meeting
    before = len(fake_zoom.requests)
    anonymous = client.post(url(name, meeting), zoom_post())
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert login(Client(), secretary).post(url(name, meeting), zoom_post()).status_code == 403
    stranger = login(Client(), other_organizer).post(url(name, meeting), zoom_post())
    assert stranger.status_code == 404
    assert ready_room.passcode not in stranger.content.decode()
    assert len(fake_zoom.requests) == before
    room = OnlineRoom.objects.get(pk=ready_room.pk)
    assert (room.state, room.passcode, room.settings) == (
        ready_room.state,
        ready_room.passcode,
        ready_room.settings,
    )


def test_the_forms_need_the_csrf_token(ready_room, organizer, fake_zoom):
    client = login(Client(enforce_csrf_checks=True), organizer)
    for name in ("zoom_room", "room_retry", "room_host_link"):
        assert client.post(url(name, ready_room.meeting), zoom_post()).status_code == 403
    assert OnlineRoom.objects.get(pk=ready_room.pk).state == "ready"


def test_get_is_not_allowed_on_the_actions(client, ready_room, organizer):
    login(client, organizer)
    for name in ("zoom_room", "room_retry", "room_host_link"):
        assert client.get(url(name, ready_room.meeting)).status_code == 405
