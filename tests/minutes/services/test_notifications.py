"""Emails of the minutes' approval: who gets which, once, and what the builders write."""

import io

import docx
import pytest
from django.core import mail
from django.utils.module_loading import import_string

from core.mail import build_message, render
from core.models import OutgoingEmail
from minutes.documents.toolkit import DOCX_MIME
from minutes.models import Minutes
from minutes.services import workflow
from participants.models import Registration
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

B = "minutes.notifications."


def emails(builder: str):
    return list(OutgoingEmail.objects.filter(builder=B + builder).order_by("pk"))


def built(email: OutgoingEmail):
    """The message the worker would write now, or None when it is dropped."""
    return import_string(email.builder)(**email.params)


def written(email: OutgoingEmail) -> tuple[str, str, str]:
    return render(built(email), email.language)


def doc_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def add_registration(meeting, email, **extra):
    return Registration.objects.create(
        meeting=meeting,
        full_name=extra.pop("full_name", email.split("@")[0].title()),
        email=email,
        state=extra.pop("state", Registration.State.CONFIRMED),
        mode=Registration.Mode.ONSITE,
        **extra,
    )


@pytest.fixture
def approved(draft, notulis, chair):
    minutes = workflow.submit(draft, by=notulis)
    return workflow.approve(minutes, by=chair)


# Submitted, approved, returned: the staff ------------------------------------------------------


def test_submit_asks_each_organizer_for_approval(draft, fgd, chair, notulis):
    other = UserFactory(email="wakil@example.test", full_name="Wakil Ketua")
    fgd.organizers.add(other)
    minutes = workflow.submit(draft, by=notulis)
    sent = emails("submitted_message")
    assert [e.to for e in sent] == [[chair.email], [other.email]]
    email = sent[0]
    assert email.key == f"minutes-submitted:{minutes.pk}:{chair.pk}:{minutes.submitted_at.timestamp()}"
    assert email.params == {"minutes_id": minutes.pk, "user_id": chair.pk}
    assert (email.language, email.group) == ("id", f"meeting:{fgd.pk}")
    subject, text, html = written(email)
    assert "v1" in subject
    assert "FGD Pengawasan P3MI" in subject
    assert "Dewi Notulis" in text
    assert "Lismia Elita" in text
    assert f"/{fgd.code}/" in text
    assert "http" in text
    assert "Dewi Notulis" in html
    # The secretary who submitted is not asked anything.
    assert not OutgoingEmail.objects.filter(to=[notulis.email]).exists()


def test_the_approval_request_is_dropped_once_decided(draft, notulis, chair):
    minutes = workflow.submit(draft, by=notulis)
    (email,) = emails("submitted_message")
    workflow.approve(minutes, by=chair)
    assert built(email) is None


def test_approval_tells_the_secretary_once_and_not_the_approver(draft, fgd, notulis, chair):
    fgd.secretaries.add(chair)  # the chair is a secretary too: still not told of their own act
    minutes = workflow.submit(draft, by=notulis)
    workflow.approve(minutes, by=chair)
    sent = emails("approved_message")
    assert [e.to for e in sent] == [[notulis.email]]  # secretary and submitter: one email
    assert sent[0].key == f"minutes-approved:{minutes.pk}:{notulis.pk}"
    assert sent[0].language == "id"
    subject, text, html = written(sent[0])
    assert "v1" in subject
    assert "FGD Pengawasan P3MI" in subject
    assert "Lismia Elita" in text
    assert "Lismia Elita" in html


def test_approval_reaches_an_organizer_who_submitted(draft, fgd, chair, notulis):
    other = UserFactory(email="wakil@example.test", full_name="Wakil Ketua")
    fgd.organizers.add(other)
    minutes = workflow.submit(draft, by=other)
    workflow.approve(minutes, by=chair)
    assert sorted(e.to[0] for e in emails("approved_message")) == [notulis.email, other.email]


def test_return_gives_the_secretary_the_reason_escaped_in_html(draft, notulis, chair):
    minutes = workflow.submit(draft, by=notulis)
    reason = "Lengkapi <script>alert(1)</script> & kesimpulan"
    workflow.return_to_draft(minutes, by=chair, reason=reason)
    (email,) = emails("returned_message")
    assert email.to == [notulis.email]
    assert email.params["reason"] == reason
    assert email.params["actor_id"] == chair.pk
    subject, text, html = written(email)
    assert "FGD Pengawasan P3MI" in subject
    assert reason in text
    assert "Lismia Elita" in text
    assert "<script>" not in html
    assert "Lengkapi &lt;script&gt;alert(1)&lt;/script&gt; &amp; kesimpulan" in html


def test_each_return_is_its_own_email(draft, notulis, chair):
    minutes = workflow.submit(draft, by=notulis)
    minutes = workflow.return_to_draft(minutes, by=chair, reason="Pertama")
    minutes = workflow.submit(minutes, by=notulis)
    workflow.return_to_draft(minutes, by=chair, reason="Kedua")
    sent = emails("returned_message")
    assert [e.params["reason"] for e in sent] == ["Pertama", "Kedua"]
    assert len(emails("submitted_message")) == 2
    # The reason of the first return is still written, whatever happened since.
    assert "Pertama" in written(sent[0])[1]


def test_a_staff_email_is_dropped_when_the_person_left_the_meeting(draft, fgd, notulis, chair):
    minutes = workflow.submit(draft, by=notulis)
    workflow.return_to_draft(minutes, by=chair, reason="Perbaiki")
    (email,) = emails("returned_message")
    fgd.secretaries.remove(notulis)
    assert built(email) is None


# Published: the confirmed participants ---------------------------------------------------------


def test_publishing_sends_the_notula_to_confirmed_registrants_only(approved, fgd, chair, registrant):
    add_registration(fgd, "batal@example.test", state=Registration.State.CANCELLED)
    add_registration(fgd, "tunggu@example.test", state=Registration.State.WAITLISTED)
    add_registration(fgd, "anon@example.test", full_name="")
    add_registration(MeetingFactory(title="Rapat lain"), "lain@example.test")
    workflow.publish(approved, by=chair, audience="participants")
    (email,) = emails("published_message")
    assert email.to == [registrant.email]
    assert email.key == f"minutes-published:{approved.pk}:{registrant.pk}"
    assert email.params == {"minutes_id": approved.pk, "registration_id": registrant.pk}
    assert (email.language, email.group) == ("id", f"meeting:{fgd.pk}")

    message = built(email)
    subject, text, html = render(message, email.language)
    assert "FGD Pengawasan P3MI" in subject
    assert "Siti Nurhaliza" in text
    assert registrant.urls.absolute.private in text
    assert registrant.urls.absolute.private in html
    mime = build_message(email, message)
    ((filename, content, mimetype),) = mime.attachments
    assert filename == "notula-fgd-pengawasan-p3mi-v1.docx"
    assert mimetype == DOCX_MIME
    assert "FGD Pengawasan P3MI" in doc_text(content)
    assert "Siti Nurhaliza" not in doc_text(content)  # no attendance list


def test_an_english_registrant_gets_english_minutes(approved, fgd, chair):
    registration = add_registration(fgd, "jane@example.test", full_name="Jane Doe", language="en")
    workflow.publish(approved, by=chair, audience="public")
    (email,) = emails("published_message")
    assert email.to == [registration.email]
    assert email.language == "en"
    message = built(email)
    subject, text, _html = render(message, "en")
    assert subject == "The minutes of “FGD Pengawasan P3MI”"
    assert fgd.urls.absolute.public in text
    (attachment,) = message.attachments
    assert attachment.filename == "minutes-fgd-pengawasan-p3mi-v1-en.docx"
    assert "FGD Pengawasan P3MI" in doc_text(attachment.content)


def test_one_copy_per_version_whatever_the_audience_becomes(approved, chair, registrant):
    workflow.publish(approved, by=chair, audience="participants")
    workflow.publish(approved, by=chair, audience="participants")
    workflow.publish(approved, by=chair, audience="public")
    workflow.unpublish(approved, by=chair)
    workflow.publish(approved, by=chair, audience="participants")
    assert len(emails("published_message")) == 1


def test_the_copy_is_dropped_after_unpublishing(approved, chair, registrant):
    workflow.publish(approved, by=chair, audience="participants")
    (email,) = emails("published_message")
    workflow.unpublish(approved, by=chair)
    assert built(email) is None
    workflow.publish(approved, by=chair, audience="public")
    assert built(email) is not None


def test_the_copy_is_dropped_when_the_registrant_cancelled(approved, chair, registrant):
    workflow.publish(approved, by=chair, audience="participants")
    (email,) = emails("published_message")
    Registration.objects.filter(pk=registrant.pk).update(state=Registration.State.CANCELLED)
    assert built(email) is None


def test_an_approved_correction_of_published_minutes_is_sent_again(approved, chair, notulis, registrant):
    workflow.publish(approved, by=chair, audience="participants")
    correction = workflow.correct(approved, by=chair, reason="Salah ketik nama")
    correction = workflow.submit(correction, by=notulis)
    correction = workflow.approve(correction, by=chair)
    first, second = emails("published_message")
    assert (first.params["minutes_id"], second.params["minutes_id"]) == (approved.pk, correction.pk)
    assert built(first) is None  # superseded
    (attachment,) = built(second).attachments
    assert attachment.filename.endswith("-v2.docx")


def test_staff_only_minutes_send_nothing_to_participants(approved, registrant):
    assert approved.audience == Minutes.Audience.STAFF
    assert emails("published_message") == []


def test_the_worker_sends_the_notula(approved, chair, registrant, run_tasks):
    mail.outbox.clear()
    workflow.publish(approved, by=chair, audience="participants")
    run_tasks()
    (sent,) = [m for m in mail.outbox if m.to == [registrant.email]]
    assert [a[0] for a in sent.attachments] == ["notula-fgd-pengawasan-p3mi-v1.docx"]
    assert OutgoingEmail.objects.get(builder=B + "published_message").state == OutgoingEmail.State.SENT
