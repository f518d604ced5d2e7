"""The email queue against a real SMTP server: structure, once-only sending, failure and retry."""

from django.core.management import call_command

from accounts.mail import Attachment, Message, queue_email, send_now
from accounts.models import OutgoingEmail
from tests.smtp import free_port

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def build_test_message(inline: bool, gone: bool = False):
    """A builder as the apps write them (called by the task with the stored parameters)."""
    if gone:
        return None
    attachments = [Attachment("qr.png", "image/png", PNG, "registration-qr")] if inline else []
    return Message("participants/email/registration", {"kind": "test"}, attachments)


def queue(key="k1", inline=False, gone=False):
    return queue_email(
        key=key,
        to=["peserta@example.test"],
        builder="tests.accounts.test_mail.build_test_message",
        params={"inline": inline, "gone": gone},
        language="id",
    )


def test_queued_email_arrives_over_smtp_with_inline_image(db, smtp_server, run_tasks):
    email = queue(inline=True)
    assert run_tasks() == 1

    assert [m["to"] for m in smtp_server.messages] == [["peserta@example.test"]]
    message = smtp_server.messages[0]["message"]
    assert message.get_content_type() == "multipart/related"
    alternative, image = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html"]
    assert image.get_content_type() == "image/png"
    assert image["Content-ID"] == "<registration-qr>"
    assert image.get_payload(decode=True) == PNG
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 1)


def test_email_is_never_sent_twice(db, smtp_server, run_tasks):
    email = queue()
    run_tasks()
    assert send_now(email.pk) is False
    assert len(smtp_server.messages) == 1


def test_same_key_is_queued_once(db):
    assert queue(key="same") is not None
    assert queue(key="same") is None
    assert OutgoingEmail.objects.count() == 1


def test_failed_send_is_recorded_and_sent_later(db, settings, smtp_server, run_tasks):
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    email = queue()
    run_tasks()
    email.refresh_from_db()
    assert email.state == "failed"
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert smtp_server.messages == []

    settings.EMAIL_PORT = real_port
    call_command("send_queued_emails", verbosity=0)
    run_tasks()
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == ("sent", 2, "")
    assert len(smtp_server.messages) == 1


def test_email_whose_subject_is_gone_is_dropped(db, smtp_server, run_tasks):
    email = queue(gone=True)
    run_tasks()
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("dropped", 0)
    assert smtp_server.messages == []


def test_sent_email_keeps_what_was_sent(db, smtp_server, run_tasks):
    email = queue()
    run_tasks()
    email.refresh_from_db()
    received = smtp_server.messages[0]["message"]
    assert email.subject == received["Subject"]
    assert email.body_text == received.get_payload()[0].get_content().replace("\r\n", "\n")
