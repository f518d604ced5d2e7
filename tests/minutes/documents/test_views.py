"""Downloads of the Notula and the Daftar Hadir: who gets what, and who gets nothing (404)."""

import pytest
from django.urls import reverse

from minutes.documents.toolkit import DOCX_MIME
from minutes.models import Minutes
from tests.conftest import login
from tests.factories import MeetingFactory, UserFactory

from .conftest import approve, read

pytestmark = pytest.mark.django_db


def texts(response):
    doc = read(response.content)
    body = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    header = [p.text for p in doc.sections[0].header.paragraphs]
    return body, cells, header


def test_staff_get_the_draft_marked_draft_with_the_attendance_list(client, minutes, secretary):
    response = login(client, secretary).get(minutes.meeting.urls.notula + "?lang=id")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_MIME
    assert (
        response["Content-Disposition"] == 'attachment; filename="notula-fgd-pengawasan-p3mi-v1-draft.docx"'
    )
    assert response["Cache-Control"].startswith("private")
    body, cells, header = texts(response)
    assert header[0].startswith("DRAFT")
    assert "Budi Santoso" in cells
    assert "NOTULA" in body


def test_english_and_a_chosen_version(client, minutes, organizer):
    approve(minutes)
    Minutes.objects.create(meeting=minutes.meeting, version=2, state=Minutes.State.DRAFT)
    client = login(client, organizer)
    # By default the approved version, not the newer draft.
    response = client.get(minutes.meeting.urls.notula + "?lang=en")
    assert response["Content-Disposition"] == 'attachment; filename="minutes-fgd-pengawasan-p3mi-v1-en.docx"'
    body, cells, header = texts(response)
    assert header == [""]
    assert "MINUTES" in body
    response = client.get(minutes.meeting.urls.notula + "?version=2")
    assert (
        response["Content-Disposition"] == 'attachment; filename="notula-fgd-pengawasan-p3mi-v2-draft.docx"'
    )
    assert client.get(minutes.meeting.urls.notula + "?version=9").status_code == 404
    assert client.get(minutes.meeting.urls.notula + "?version=x").status_code == 404


def test_the_staff_page_lists_versions_and_days(client, minutes, secretary):
    response = login(client, secretary).get(minutes.meeting.urls.documents)
    assert response.status_code == 200
    content = response.content.decode()
    assert f"{minutes.meeting.urls.notula}?version=1&amp;lang=en" in content
    for day in minutes.meeting.days.all():
        assert f"{day.urls.daftar_hadir}?blank=1&amp;lang=id" in content


def test_daftar_hadir_filled_and_blank(client, minutes, secretary):
    day1 = minutes.meeting.days.order_by("date").first()
    client = login(client, secretary)
    response = client.get(day1.urls.daftar_hadir)
    assert response["Content-Disposition"] == (
        'attachment; filename="daftar-hadir-fgd-pengawasan-p3mi-2031-09-22.docx"'
    )
    names = [row.cells[1].text for row in read(response.content).tables[-1].rows[1:]]
    assert names == ["Citra Lestari", "Budi Santoso"]
    response = client.get(day1.urls.daftar_hadir + "?blank=1")
    assert response["Content-Disposition"] == (
        'attachment; filename="daftar-hadir-kosong-fgd-pengawasan-p3mi-2031-09-22.docx"'
    )
    names = [row.cells[1].text for row in read(response.content).tables[-1].rows[1:]]
    assert names == ["Citra Lestari", "Agus Wirawan", "Budi Santoso"]  # not the cancelled Dian Pratama


def test_another_meetings_secretary_and_strangers_get_404(client, minutes, plain_user):
    other_secretary = UserFactory(email="other-secretary@example.test")
    MeetingFactory(secretaries=[other_secretary])
    day = minutes.meeting.days.first()
    urls = [minutes.meeting.urls.notula, minutes.meeting.urls.documents, day.urls.daftar_hadir]
    for user in (other_secretary, plain_user):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, url
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page


def test_a_day_of_another_meeting_is_404(client, minutes, secretary):
    other = MeetingFactory(secretaries=[secretary])
    other_day = minutes.meeting.days.first()
    url = reverse("minutes:daftar_hadir", kwargs={"code": other.code, "day_id": other_day.pk})
    assert login(client, secretary).get(url).status_code == 404


def _registration(minutes, name="Budi Santoso"):
    return minutes.meeting.registrations.get(full_name=name)


def participant_url(registration):
    return reverse(
        "minutes:participant_notula", kwargs={"code": registration.code, "token": registration.urls.token}
    )


def test_participants_get_only_the_published_approved_version_without_personal_data(client, minutes):
    registration = _registration(minutes)
    url = participant_url(registration)
    # A draft, then approved but kept to the staff: nothing (and no hint that minutes exist).
    assert client.get(url).status_code == 404
    approve(minutes)
    assert client.get(url).status_code == 404
    Minutes.objects.filter(pk=minutes.pk).update(audience=Minutes.Audience.PARTICIPANTS)
    response = client.get(url + "?lang=id")
    assert response.status_code == 200
    body, cells, header = texts(response)
    assert header == [""]
    # The agencies are named, the people are not; no attendance list.
    assert "Kementerian Luar Negeri" in "\n".join(cells)
    assert "Budi Santoso" not in "\n".join(cells + body)
    assert "DAFTAR HADIR" not in body
    # The public gets nothing while it is published to participants only.
    public = reverse("minutes:public_notula", kwargs={"code": minutes.meeting.code})
    assert client.get(public).status_code == 404


def test_a_wrong_token_or_an_unconfirmed_participant_gets_404(client, minutes):
    approve(minutes)
    Minutes.objects.filter(pk=minutes.pk).update(audience=Minutes.Audience.PARTICIPANTS)
    registration = _registration(minutes)
    bad = reverse(
        "minutes:participant_notula",
        kwargs={"code": registration.code, "token": "x" + registration.urls.token},
    )
    assert client.get(bad).status_code == 404
    cancelled = _registration(minutes, "Dian Pratama")
    assert client.get(participant_url(cancelled)).status_code == 404


def test_the_public_gets_the_version_published_to_the_public_page(client, minutes):
    public = reverse("minutes:public_notula", kwargs={"code": minutes.meeting.code})
    approve(minutes)
    Minutes.objects.filter(pk=minutes.pk).update(audience=Minutes.Audience.PUBLIC)
    # A draft meeting is invisible to the public, whatever its minutes.
    assert client.get(public).status_code == 404
    type(minutes.meeting).objects.filter(pk=minutes.meeting.pk).update(status="held")
    response = client.get(public + "?lang=en")
    assert response.status_code == 200
    body, cells, _header = texts(response)
    assert "MINUTES" in body
    assert "Budi Santoso" not in "\n".join(cells + body)
    assert response["Content-Disposition"] == 'attachment; filename="minutes-fgd-pengawasan-p3mi-v1-en.docx"'


def test_without_lang_the_pages_language_is_used_and_an_unknown_one_is_indonesian(client, minutes, secretary):
    from django.conf import settings

    client = login(client, secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(minutes.meeting.urls.notula)
    assert response["Content-Disposition"].endswith('-v1-draft-en.docx"')
    assert "MINUTES" in texts(response)[0]
    response = client.get(minutes.meeting.urls.notula + "?lang=xx")
    assert response["Content-Disposition"].endswith('-v1-draft.docx"')
    assert "NOTULA" in texts(response)[0]
