"""The email queue against a real SMTP server: structure, once-only sending, failure and retry."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.mail import Attachment, Message, queue_email, send_now
from core.models import OutgoingEmail
from tests.smtp import free_port

SEND_TASK = "core.tasks.send_outgoing_email"
SWEEP_TASK = "core.tasks.sweep_outgoing_emails"

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
        builder="tests.core.test_mail.build_test_message",
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


def test_a_temporary_failure_is_retried_later_by_itself(db, settings, smtp_server, run_tasks):
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there: the mail server is down
    email = queue()
    run_tasks()
    email.refresh_from_db()
    assert email.state == "queued"
    assert email.attempts == 1
    assert email.message_id.endswith("@sinergi.test>")
    assert "ConnectionRefusedError" in email.last_error
    assert smtp_server.messages == []
    retry = DBTaskResult.objects.get(task_path="core.tasks.send_outgoing_email", status="READY")
    wait = (retry.run_after - timezone.now()).total_seconds()
    assert settings.SINERGI_EMAIL_RETRY_SECONDS - 5 < wait <= settings.SINERGI_EMAIL_RETRY_SECONDS

    # The server is back and the retry is due: sent, with the Message-ID of the first attempt.
    settings.EMAIL_PORT = real_port
    first_message_id = email.message_id
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_tasks()
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == ("sent", 2, "")
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["message"]["Message-ID"] == email.message_id == first_message_id


def test_temporary_failures_give_up_after_the_last_attempt(db, settings, smtp_server, run_tasks):
    from core import mail

    settings.EMAIL_PORT = free_port()
    email = queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=mail.MAX_ATTEMPTS - 1)
    run_tasks()
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("failed", mail.MAX_ATTEMPTS)

    # By hand (the admin, `send_queued_emails`) it is queued again.
    settings.EMAIL_PORT = smtp_server.port
    call_command("send_queued_emails", verbosity=0, stdout=StringIO())
    run_tasks()
    email.refresh_from_db()
    assert email.state == "sent"


def test_email_whose_subject_is_gone_is_dropped(db, smtp_server, run_tasks):
    email = queue(gone=True)
    run_tasks()
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("dropped", 1)  # the attempt found nothing to send
    assert smtp_server.messages == []


def test_sent_email_keeps_what_was_sent(db, smtp_server, run_tasks):
    email = queue()
    run_tasks()
    email.refresh_from_db()
    received = smtp_server.messages[0]["message"]
    assert email.subject == received["Subject"]
    assert email.body_text == received.get_payload()[0].get_content().replace("\r\n", "\n")


def send_queued_emails() -> str:
    out = StringIO()
    call_command("send_queued_emails", stdout=out)
    return out.getvalue()


def test_email_left_queued_by_a_killed_worker_is_queued_again_and_sent(db, smtp_server, run_tasks):
    """What a worker killed before it claimed the email leaves: the email queued, its task running."""
    email = queue()
    long_ago = timezone.now() - timedelta(minutes=10)
    OutgoingEmail.objects.filter(pk=email.pk).update(queued_at=long_ago)
    DBTaskResult.objects.filter(task_path=SEND_TASK).update(status="RUNNING", started_at=long_ago)

    assert send_queued_emails() == "0 failed emails queued again.\n1 stuck emails queued again.\n"
    assert run_tasks() == 1

    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 1)
    assert [m["to"] for m in smtp_server.messages] == [["peserta@example.test"]]
    assert list(
        DBTaskResult.objects.filter(task_path=SEND_TASK)
        .order_by("enqueued_at")
        .values_list("status", "exception_class_path")
    ) == [("FAILED", "core.mail.WorkerLost"), ("SUCCESSFUL", "")]


def test_sweep_leaves_emails_waiting_for_a_busy_worker_and_attempts_under_way(db, smtp_server):
    queue("waiting")
    sending = queue("sending")
    long_ago = timezone.now() - timedelta(minutes=10)
    OutgoingEmail.objects.update(queued_at=long_ago)  # a long backlog: the task still waits
    OutgoingEmail.objects.filter(pk=sending.pk).update(state="sending", claimed_at=timezone.now())
    DBTaskResult.objects.filter(args_kwargs__args=[sending.pk]).update(status="RUNNING")

    assert send_queued_emails() == "0 failed emails queued again.\n0 stuck emails queued again.\n"
    assert sorted(OutgoingEmail.objects.values_list("key", "state")) == [
        ("sending", "sending"),
        ("waiting", "queued"),
    ]
    assert DBTaskResult.objects.filter(task_path=SEND_TASK).count() == 2
    assert send_now(sending.pk) is False  # a second worker does not send it alongside the first
    assert smtp_server.messages == []


def test_one_sweep_is_planned_while_emails_are_on_their_way(db, smtp_server, run_tasks, settings):
    before = timezone.now()
    queue("one")
    queue("two")
    [planned] = DBTaskResult.objects.filter(task_path=SWEEP_TASK)
    assert planned.status == "READY"
    stuck_after = timedelta(seconds=settings.SINERGI_EMAIL_STUCK_AFTER_SECONDS)
    assert before + stuck_after <= planned.run_after <= timezone.now() + stuck_after

    # The sweep plans its successor while an email is still on its way...
    DBTaskResult.objects.filter(pk=planned.pk).update(run_after=timezone.now())
    assert run_tasks() == 3  # the sweep and the two emails, the sweep first
    assert list(
        DBTaskResult.objects.filter(task_path=SWEEP_TASK)
        .order_by("enqueued_at")
        .values_list("status", flat=True)
    ) == ["SUCCESSFUL", "READY"]
    # ...and not once every email has gone.
    DBTaskResult.objects.filter(task_path=SWEEP_TASK, status="READY").update(run_after=timezone.now())
    assert run_tasks() == 1
    assert list(DBTaskResult.objects.filter(task_path=SWEEP_TASK).values_list("status", flat=True)) == [
        "SUCCESSFUL",
        "SUCCESSFUL",
    ]
    assert len(smtp_server.messages) == 2
