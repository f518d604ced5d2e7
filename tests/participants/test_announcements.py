"""The organizer's own messages: audience, sending once per person, the page and who may use it."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import AuditEntry, OutgoingEmail
from participants.models import Announcement, Registration
from participants.services.announcements import send_announcement
from tests.conftest import login
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def url(meeting) -> str:
    return f"/meetings/{meeting.code}/reminders/"


def add_registration(meeting, email, *, state="confirmed", mode="onsite", organization=None, **extra):
    return Registration.objects.create(
        meeting=meeting,
        full_name=extra.pop("full_name", email.split("@")[0].title()),
        email=email,
        state=state,
        mode=mode,
        organization=organization,
        **extra,
    )


@pytest.fixture
def orgs(db):
    return {
        "kemlu": OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu"),
        "kkp": OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP"),
    }


@pytest.fixture
def regs(published_meeting, orgs):
    m, kemlu, kkp = published_meeting, orgs["kemlu"], orgs["kkp"]
    return {
        "a": add_registration(m, "a@example.test", organization=kemlu),
        "b": add_registration(m, "b@example.test", mode="online", organization=kemlu),
        "c": add_registration(m, "c@example.test", state="waitlisted", organization=kkp),
        "d": add_registration(m, "d@example.test", state="pending", mode="online", organization=kemlu),
        "e": add_registration(m, "e@example.test", state="cancelled", organization=kemlu),
        "f": add_registration(m, "f@example.test", state="declined", organization=kkp),
        "g": add_registration(m, "g@example.test", organization=kkp, language="en"),
    }


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# Service -----------------------------------------------------------------------------------------


def test_announcement_to_all_confirmed_by_default(published_meeting, regs, organizer, run_tasks):
    announcement = send_announcement(
        published_meeting, actor=organizer, subject="Bahan rapat", body="Silakan unduh.", audience={}
    )
    assert announcement.audience == {"states": ["confirmed"], "modes": [], "organizations": []}
    assert announcement.recipient_count == 3
    run_tasks()
    assert recipients() == ["a@example.test", "b@example.test", "g@example.test"]


def test_announcement_to_a_filtered_audience_reaches_exactly_those(
    published_meeting, regs, orgs, organizer, run_tasks
):
    audience = {"states": ["confirmed", "waitlisted", "pending"], "modes": ["online"], "organizations": []}
    send_announcement(published_meeting, actor=organizer, subject="Zoom", body="Tautan", audience=audience)
    run_tasks()
    assert recipients() == ["b@example.test", "d@example.test"]
    mail.outbox.clear()
    audience = {"states": ["confirmed", "waitlisted"], "organizations": [orgs["kkp"].pk]}
    send_announcement(published_meeting, actor=organizer, subject="KKP", body="Pesan", audience=audience)
    run_tasks()
    assert recipients() == ["c@example.test", "g@example.test"]


def test_announcement_emails_are_keyed_per_registration_and_audited(published_meeting, regs, organizer):
    announcement = send_announcement(
        published_meeting, actor=organizer, subject="Bahan", body="Isi", audience={"modes": ["onsite"]}
    )
    keys = sorted(OutgoingEmail.objects.values_list("key", flat=True))
    assert keys == sorted(f"announcement:{announcement.pk}:{regs[n].pk}" for n in ("a", "g"))
    entry = AuditEntry.objects.get(action="meeting.announcement_sent")
    assert (entry.actor, entry.data["recipients"], entry.data["subject"]) == (organizer, 2, "Bahan")


def test_announcement_never_goes_to_cancelled_or_declined(published_meeting, regs, organizer):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        send_announcement(
            published_meeting, actor=organizer, subject="X", body="Y", audience={"states": ["cancelled"]}
        )
    assert error.value.message_dict == {
        "states": ["Messages go only to confirmed, waiting or pending registrations."]
    }
    assert (Announcement.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_announcement_reaching_nobody_is_refused(published_meeting, regs, organizer):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        send_announcement(
            published_meeting,
            actor=organizer,
            subject="X",
            body="Y",
            audience={"states": ["waitlisted"], "modes": ["online"]},
        )
    assert error.value.messages == ["No registration matches this selection; nothing was sent."]
    assert (Announcement.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_announcement_email_keeps_line_breaks_escapes_html_and_has_the_private_link(
    published_meeting, regs, organizer, run_tasks
):
    body = "Yth. peserta,\n\n<script>alert(1)</script> & bahan terlampir.\nBaris kedua"
    send_announcement(
        published_meeting,
        actor=organizer,
        subject="Perubahan  ruang\nrapat",
        body=body,
        audience={"organizations": [regs["g"].organization_id]},
    )
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["g@example.test"]
    assert message.subject == "Perubahan ruang rapat"
    assert "Dear G," in message.body
    assert body in message.body
    assert regs["g"].urls.absolute.private in message.body
    html = message.alternatives[0][0]
    assert (
        "<p>Yth. peserta,</p>\n\n<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; bahan terlampir.<br>Baris kedua</p>"
        in html
    )
    assert "<script>" not in html


def test_announcement_to_someone_who_cancelled_meanwhile_is_dropped(
    published_meeting, regs, organizer, run_tasks
):
    send_announcement(published_meeting, actor=organizer, subject="S", body="B", audience={})
    Registration.objects.filter(pk=regs["a"].pk).update(state="cancelled")
    run_tasks()
    assert recipients() == ["b@example.test", "g@example.test"]
    assert OutgoingEmail.objects.get(to=["a@example.test"]).state == OutgoingEmail.State.DROPPED


# The page ----------------------------------------------------------------------------------------


@pytest.fixture
def history(published_meeting, regs, organizer):
    return send_announcement(
        published_meeting,
        actor=organizer,
        subject="Rahasia rapat internal",
        body="Isi pesan yang tidak boleh bocor",
        audience={"states": ["confirmed"]},
    )


def test_page_shows_history_and_form_to_organizers(client, published_meeting, history, organizer):
    response = login(client, organizer).get(url(published_meeting))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rahasia rapat internal" in content
    assert "Isi pesan yang tidak boleh bocor" in content
    assert 'id="announcement-form"' in content
    # The default audience (confirmed registrations) is counted before anything is chosen.
    assert 'id="recipient-count"' in content
    assert "<strong>3</strong>" in content
    kemlu = history.meeting.registrations.get(email="a@example.test").organization
    assert f'<option value="{kemlu.pk}">Kemlu — Kementerian Luar Negeri</option>' in content


def test_secretary_sees_the_page_read_only(client, published_meeting, history, secretary):
    login(client, secretary)
    response = client.get(url(published_meeting))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rahasia rapat internal" in content
    assert 'id="announcement-form"' not in content
    response = client.post(url(published_meeting), {"subject": "S", "body": "B", "states": ["confirmed"]})
    assert response.status_code == 403
    assert (Announcement.objects.count(), OutgoingEmail.objects.count()) == (1, 3)


def test_another_organizer_gets_404_and_sees_nothing(client, published_meeting, history, other_organizer):
    login(client, other_organizer)
    for response in (
        client.get(url(published_meeting)),
        client.get(url(published_meeting) + "audience/?states=confirmed"),
        client.post(url(published_meeting), {"subject": "S", "body": "B", "states": ["confirmed"]}),
    ):
        assert response.status_code == 404
        content = response.content.decode()
        assert "Rahasia rapat internal" not in content
        assert "a@example.test" not in content
    assert (Announcement.objects.count(), OutgoingEmail.objects.count()) == (1, 3)


def test_plain_user_gets_404_and_anonymous_goes_to_login(client, published_meeting, history, plain_user):
    response = client.get(url(published_meeting))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.post(url(published_meeting), {"subject": "S", "body": "B", "states": ["confirmed"]})
    assert response.status_code == 302
    login(client, plain_user)
    response = client.get(url(published_meeting))
    assert response.status_code == 404
    assert "Rahasia rapat internal" not in response.content.decode()
    assert Announcement.objects.count() == 1


def test_organizer_sends_a_message_to_a_filtered_audience(
    client, published_meeting, regs, orgs, organizer, run_tasks
):
    login(client, organizer)
    response = client.post(
        url(published_meeting),
        {
            "subject": "Untuk Kemlu",
            "body": "Pesan",
            "states": ["confirmed", "pending"],
            "organizations": [str(orgs["kemlu"].pk)],
            "send": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(published_meeting)
    announcement = Announcement.objects.get()
    assert (announcement.subject, announcement.recipient_count, announcement.sent_by) == (
        "Untuk Kemlu",
        3,
        organizer,
    )
    assert announcement.audience == {
        "states": ["confirmed", "pending"],
        "modes": [],
        "organizations": [orgs["kemlu"].pk],
    }
    run_tasks()
    assert recipients() == ["a@example.test", "b@example.test", "d@example.test"]


def test_empty_subject_is_shown_next_to_the_field_and_nothing_is_sent(
    client, published_meeting, regs, organizer
):
    client.cookies["django_language"] = "en"
    login(client, organizer)
    response = client.post(
        url(published_meeting), {"subject": "  ", "body": "Pesan", "states": ["confirmed"]}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        '<div id="id_subject_errors"><div class="invalid-feedback d-block">This field is required.</div></div>'
        in content
    )
    assert 'aria-invalid="true"' in content
    assert "Pesan</textarea>" in content
    assert (Announcement.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_no_state_ticked_is_shown_next_to_the_field_and_nothing_is_sent(
    client, published_meeting, regs, organizer
):
    client.cookies["django_language"] = "en"
    login(client, organizer)
    response = client.post(url(published_meeting), {"subject": "S", "body": "Pesan"})
    assert response.status_code == 200
    content = response.content.decode()
    assert '<div class="invalid-feedback d-block">Choose at least one kind of registration.</div>' in content
    assert (Announcement.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_audience_nobody_matches_is_reported_and_nothing_is_sent(client, published_meeting, regs, organizer):
    client.cookies["django_language"] = "en"
    login(client, organizer)
    response = client.post(
        url(published_meeting), {"subject": "S", "body": "B", "states": ["waitlisted"], "modes": ["online"]}
    )
    assert response.status_code == 200
    assert "No registration matches this selection; nothing was sent." in response.content.decode()
    assert (Announcement.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_preview_counts_recipients_and_sends_nothing(client, published_meeting, regs, organizer):
    login(client, organizer)
    response = client.post(
        url(published_meeting),
        {
            "subject": "",
            "body": "Draf",
            "states": ["confirmed", "waitlisted"],
            "modes": ["onsite"],
            "preview": "1",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    # a, g (confirmed on-site) and c (waiting, on-site)
    assert "<strong>3</strong>" in content
    assert "invalid-feedback" not in content
    assert "Draf</textarea>" in content
    assert (Announcement.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_audience_count_endpoint(client, published_meeting, regs, orgs, organizer):
    login(client, organizer)
    query = f"?states=confirmed&states=waitlisted&organizations={orgs['kkp'].pk}"
    response = client.get(url(published_meeting) + "audience/" + query, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<strong>2</strong>" in response.content.decode()
