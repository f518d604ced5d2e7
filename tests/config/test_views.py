"""Site-wide pages: home lists upcoming and recent past public meetings; the dashboard needs a login."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import MeetingDayFactory, MeetingFactory


def test_home_lists_upcoming_published_meetings_only(client, db):
    future = timezone.localdate() + timedelta(days=10)
    shown = MeetingFactory(title="Rapat Terbit", status=Meeting.Status.PUBLISHED)
    MeetingDayFactory(meeting=shown, date=future)
    draft = MeetingFactory(title="Rapat Draf Rahasia", status=Meeting.Status.DRAFT)
    MeetingDayFactory(meeting=draft, date=future)
    past = MeetingFactory(title="Rapat Lama", status=Meeting.Status.PUBLISHED)
    MeetingDayFactory(meeting=past, date=timezone.localdate() - timedelta(days=10))

    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [shown]
    assert "Rapat Draf Rahasia" not in response.content.decode()


def test_home_lists_recent_past_meetings_newest_first(client, db):
    today = timezone.localdate()

    def meeting(title, status, days_ago):
        made = MeetingFactory(title=title, status=status)
        MeetingDayFactory(meeting=made, date=today - timedelta(days=days_ago))
        return made

    closed_2021 = meeting("FGD Pengawasan 2021", Meeting.Status.CLOSED, 1900)
    held = meeting("Rapat Selesai Kemarin", Meeting.Status.HELD, 1)
    published_over = meeting("Rapat Terbit Lewat", Meeting.Status.PUBLISHED, 30)
    meeting("Rapat Batal Rahasia", Meeting.Status.CANCELLED, 5)
    meeting("Rapat Draf Lama Rahasia", Meeting.Status.DRAFT, 5)
    older = [meeting(f"Rapat Tua {n}", Meeting.Status.CLOSED, 3000 + n) for n in range(6)]
    upcoming = MeetingFactory(title="Rapat Mendatang", status=Meeting.Status.PUBLISHED)
    MeetingDayFactory(meeting=upcoming, date=today + timedelta(days=3))

    response = client.get(reverse("home"))

    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["past"]) == [held, published_over, closed_2021, *older[:3]]
    body = response.content.decode()
    assert (
        body.index("Rapat Mendatang") < body.index('id="past-meetings"') < body.index("FGD Pengawasan 2021")
    )
    assert f'href="{closed_2021.urls.public}"' in body
    assert "Rahasia" not in body


def test_home_of_a_new_site_says_nothing_is_scheduled_and_lists_no_past(client, db):
    response = client.get(reverse("home"))

    assert list(response.context["past"]) == []
    assert 'id="past-meetings"' not in response.content.decode()


def test_dashboard_redirects_anonymous_to_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_dashboard_lists_only_staffed_meetings(client, meeting, secretary, other_organizer):
    MeetingFactory(title="Rapat Orang Lain", organizers=[other_organizer])
    client.force_login(secretary)
    response = client.get(reverse("dashboard"))
    assert list(response.context["staffed"]) == [meeting]
    assert "Rapat Orang Lain" not in response.content.decode()
    assert response.context["can_create"] is False


def test_language_switch_sets_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert '<html lang="en">' in response.content.decode()


def test_browser_language_does_not_override_indonesian(client, db):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.wsgi_request.LANGUAGE_CODE == "id"
    assert '<html lang="id">' in response.content.decode()


def test_chosen_language_cookie_wins(client, db):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="id")
    assert response.wsgi_request.LANGUAGE_CODE == "en"
