"""The workflow's buttons and the published minutes' pages for participants and the public."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from minutes.models import Minutes
from minutes.services import editing, workflow
from minutes.services.points import add_point
from participants.models import Registration

pytestmark = pytest.mark.django_db


def post(client, minutes, action, **data):
    target = reverse("minutes:workflow", kwargs={"code": minutes.meeting.code, "version": minutes.version})
    return client.post(target, {"action": action, **data})


def editor(client, meeting, **params):
    return client.get(reverse("minutes:editor", kwargs={"code": meeting.code}), params).content.decode()


def test_submit_approve_publish_and_correct_through_the_buttons(client, draft, notulis, chair):
    client.force_login(notulis)
    page = editor(client, draft.meeting)
    assert 'value="submit"' in page
    assert 'value="approve"' not in page
    assert post(client, draft, "submit").status_code == 302
    draft.refresh_from_db()
    assert draft.state == Minutes.State.SUBMITTED
    # The secretary may not approve.
    assert post(client, draft, "approve").status_code == 403
    draft.refresh_from_db()
    assert draft.state == Minutes.State.SUBMITTED

    client.force_login(chair)
    page = editor(client, draft.meeting)
    assert 'value="approve"' in page
    assert 'value="return"' in page
    post(client, draft, "approve")
    draft.refresh_from_db()
    assert draft.state == Minutes.State.APPROVED
    page = editor(client, draft.meeting)
    assert "data-autosave" not in page
    assert 'value="publish"' in page
    assert 'value="correct"' in page

    post(client, draft, "publish", audience="everyone")
    draft.refresh_from_db()
    assert draft.audience == Minutes.Audience.STAFF
    post(client, draft, "publish", audience="participants")
    draft.refresh_from_db()
    assert draft.audience == Minutes.Audience.PARTICIPANTS

    post(client, draft, "correct", reason="")
    assert Minutes.objects.filter(meeting=draft.meeting).count() == 1
    post(client, draft, "correct", reason="Nama narasumber salah ketik.")
    second = Minutes.objects.get(meeting=draft.meeting, version=2)
    assert (second.state, second.correction_reason) == (Minutes.State.DRAFT, "Nama narasumber salah ketik.")
    page = editor(client, draft.meeting)
    assert "data-autosave" in page
    assert "Nama narasumber salah ketik." in page
    # The approved version stays readable, locked.
    page = editor(client, draft.meeting, version=1)
    assert "data-autosave" not in page
    assert 'data-minutes-state="approved"' in page


def test_returning_needs_a_reason_and_unlocks(client, draft, notulis, chair):
    workflow.submit(draft, by=notulis)
    client.force_login(chair)
    post(client, draft, "return", reason="  ")
    draft.refresh_from_db()
    assert draft.state == Minutes.State.SUBMITTED
    post(client, draft, "return", reason="Lengkapi kesimpulan.")
    draft.refresh_from_db()
    assert draft.state == Minutes.State.DRAFT


@pytest.fixture
def published(draft, notulis, chair, item_section):
    add_point(item_section, author=notulis, text="Pengaduan **7.848** kasus.", speaker_name="Rendra Setiawan")
    editing.update_section(item_section, author=notulis, base=0, summary="<script>alert(1)</script>")
    workflow.submit(draft, by=notulis)
    workflow.approve(draft, by=chair)
    Meeting.objects.filter(pk=draft.meeting_id).update(status=Meeting.Status.HELD)
    return draft


def test_participants_read_published_minutes_through_their_private_link(client, published, chair, registrant):
    private = reverse(
        "participants:registration_manage", kwargs={"code": registrant.code, "token": registrant.urls.token}
    )
    read = reverse(
        "minutes:participant_read", kwargs={"code": registrant.code, "token": registrant.urls.token}
    )
    # Approved but not published: nothing on the private page, 404 on the reading page.
    assert "published-minutes" not in client.get(private).content.decode()
    assert client.get(read).status_code == 404
    workflow.publish(published, by=chair, audience=Minutes.Audience.PARTICIPANTS)
    assert "published-minutes" in client.get(private).content.decode()
    response = client.get(read)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>7.848</strong>" in body
    assert "<script>alert" not in body
    assert response["Cache-Control"] == "private, no-store"
    # A wrong token, and a cancelled registration, read nothing.
    bad = reverse(
        "minutes:participant_read", kwargs={"code": registrant.code, "token": "x" + registrant.urls.token}
    )
    assert client.get(bad).status_code == 404
    Registration.objects.filter(pk=registrant.pk).update(state=Registration.State.CANCELLED)
    assert client.get(read).status_code == 404


def test_the_public_reads_minutes_only_when_published_to_the_public(client, published, chair):
    meeting = published.meeting
    public_page = reverse("meetings:public", kwargs={"code": meeting.code})
    read = reverse("minutes:public_read", kwargs={"code": meeting.code})
    workflow.publish(published, by=chair, audience=Minutes.Audience.PARTICIPANTS)
    assert client.get(read).status_code == 404
    assert "published-minutes" not in client.get(public_page).content.decode()
    workflow.publish(published, by=chair, audience=Minutes.Audience.PUBLIC)
    assert "published-minutes" in client.get(public_page).content.decode()
    body = client.get(read).content.decode()
    assert "Pengaduan" in body
    assert "Siti Nurhaliza" not in body
    workflow.unpublish(published, by=chair)
    assert client.get(read).status_code == 404


def test_an_open_correction_does_not_change_what_is_published(
    client, published, chair, notulis, item_section
):
    workflow.publish(published, by=chair, audience=Minutes.Audience.PUBLIC)
    second = workflow.correct(published, by=chair, reason="Ralat angka.")
    section = second.sections.get(title=item_section.title)
    point = section.points.get()
    editing.update_point(
        point, author=notulis, base=1, text="Pengaduan 9.999 kasus.", speaker_name="Rendra Setiawan"
    )
    body = client.get(
        reverse("minutes:public_read", kwargs={"code": published.meeting.code})
    ).content.decode()
    assert "7.848" in body
    assert "9.999" not in body
