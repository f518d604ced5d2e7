"""Queueing emails in the caller's transaction and writing and sending them from a task, once each.

A service calls `queue_email` with a builder (the dotted path of a function) and JSON
parameters. That stores one OutgoingEmail row and enqueues its task in the service's own
transaction, so a change never commits without its email. The task later calls the builder,
renders the templates in the recipient's language and sends. Seat decisions therefore never wait
for template rendering.

Sending is three steps, so that no transaction (on SQLite: the database's one write lock) is open
while a mail server takes its time, and so that a worker killed at any moment loses nothing:

1. claim: a short committed transaction marks the email "sending", counts the attempt, stamps
   `claimed_at` and gives it its Message-ID (once, kept for every attempt);
2. write and send, with no transaction open;
3. record the result (sent, failed or dropped) in one more short statement.

An email still queued or sending after SINERGI_EMAIL_STUCK_AFTER_SECONDS lost its worker (or its
task): the sweep (`requeue_stuck`, run periodically by the task worker and by
`manage.py send_queued_emails`) queues it again. The only duplicate possible is an email the
server accepted just before its worker died, sent again with the same Message-ID.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from email import encoders
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks_db.utils import retry

from .models import OutgoingEmail

logger = logging.getLogger(__name__)
State = OutgoingEmail.State


@dataclass
class Attachment:
    filename: str
    mimetype: str
    content: bytes
    inline_cid: str = ""  # set for images the HTML part shows as cid:<inline_cid>


@dataclass
class Message:
    """What a builder returns: templates `<template>_subject.txt`, `.txt`, `.html` and their context.

    `calendar` is an iTIP message (RFC 5546: an .ics with METHOD `calendar_method`, REQUEST or
    CANCEL); it travels as a text/calendar alternative and as an attached invite.ics.
    """

    template: str
    context: dict
    attachments: list[Attachment] = field(default_factory=list)
    calendar: bytes | None = None
    calendar_method: str = ""


def queue_email(
    *,
    key: str,
    to: list[str],
    builder: str,
    params: dict,
    language: str,
    group: str = "",
    fresh_key: bool = False,
) -> OutgoingEmail | None:
    """Store an email to be written by `builder(**params)` and enqueue its sending.

    Returns None when an email with this key exists already (the same notification twice).
    `fresh_key`: the caller made the key unique (a timestamp in it), so it is not looked up; the
    unique index still refuses a repeat.
    """
    if not fresh_key and OutgoingEmail.objects.filter(key=key).exists():
        return None
    email = OutgoingEmail.objects.create(
        key=key,
        to=to,
        reply_to=list(settings.SINERGI_REPLY_TO),
        builder=builder,
        params=params,
        language=language,
        group=group,
    )
    _enqueue(email.pk)
    return email


def _render_plain(name: str, context: dict) -> str:
    """A plain-text template: nothing is HTML-escaped (a title with "&" stays "&" in a subject)."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render(message: Message, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of a message in a language."""
    context = {
        **message.context,
        "SITE_NAME": settings.SINERGI_SITE_NAME,
        "EMAIL_FOOTER": getattr(settings, "SINERGI_EMAIL_FOOTER", "") or settings.SINERGI_SITE_NAME,
    }
    with translation.override(language):
        subject = " ".join(_render_plain(f"{message.template}_subject.txt", context).split())
        text = _render_plain(f"{message.template}.txt", context)
        html = render_to_string(f"{message.template}.html", context)
    return subject[:300], text, html


class CalendarEmail(EmailMultiAlternatives):
    """An email carrying an iTIP invitation, laid out as calendar clients expect it.

        multipart/mixed
          multipart/alternative
            text/plain
            text/html                (or multipart/related: text/html + its inline images)
            text/calendar; charset="utf-8"; method=REQUEST
          application/ics            invite.ics (attachment)
          ...                        other attachments

    Gmail, Google Calendar and Thunderbird send this structure themselves: Outlook and Gmail
    show accept/decline buttons for the text/calendar alternative, clients that ignore iMIP in
    alternatives fall back to the attached file. Inline images stay with the HTML they belong to
    (RFC 2387), so the calendar remains a direct alternative of the text.
    """

    def __init__(self, *, html: str, calendar: bytes, method: str, inline: list[MIMEBase], **kwargs):
        super().__init__(**kwargs)
        self.calendar, self.method, self.inline = calendar, method, inline
        # Kept as alternatives too, so tests and tools reading `alternatives` see both.
        self.attach_alternative(html, "text/html")
        self.attach_alternative(calendar.decode("utf-8"), f"text/calendar; method={method}")

    def _create_message(self, msg):
        alternative = SafeMIMEMultipart(_subtype="alternative", encoding="utf-8")
        alternative.attach(msg)
        html = SafeMIMEText(self.alternatives[0].content, "html", "utf-8")
        if self.inline:
            related = SafeMIMEMultipart(_subtype="related", encoding="utf-8")
            related.set_param("type", "text/html")
            related.attach(html)
            for image in self.inline:
                related.attach(image)
            html = related
        alternative.attach(html)
        calendar = SafeMIMEText(self.calendar.decode("utf-8"), "calendar", "utf-8")
        calendar.set_param("method", self.method, requote=False)
        alternative.attach(calendar)
        invite = MIMEBase("application", "ics", name="invite.ics")
        invite.set_payload(self.calendar)
        encoders.encode_base64(invite)
        invite.add_header("Content-Disposition", "attachment", filename="invite.ics")
        mixed = SafeMIMEMultipart(_subtype="mixed", encoding="utf-8")
        mixed.attach(alternative)
        mixed.attach(invite)
        for attachment in self.attachments:
            mixed.attach(
                attachment if isinstance(attachment, MIMEBase) else self._create_attachment(*attachment)
            )
        return mixed


def _inline_image(item: Attachment) -> MIMEImage:
    image = MIMEImage(item.content, _subtype=item.mimetype.split("/")[-1])
    image.add_header("Content-ID", f"<{item.inline_cid}>")
    image.add_header("Content-Disposition", "inline", filename=item.filename)
    return image


def build_message(email: OutgoingEmail, message: Message) -> EmailMultiAlternatives:
    email.subject, email.body_text, email.body_html = render(message, email.language)
    common = {
        "subject": email.subject,
        "body": email.body_text,
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "to": email.to,
        "reply_to": email.reply_to or None,
        "headers": {"Message-ID": email.message_id} if email.message_id else None,
    }
    if message.calendar:
        mail = CalendarEmail(
            html=email.body_html,
            calendar=message.calendar,
            method=message.calendar_method,
            inline=[_inline_image(item) for item in message.attachments if item.inline_cid],
            **common,
        )
        for item in message.attachments:
            if not item.inline_cid:
                mail.attach(item.filename, item.content, item.mimetype)
        return mail
    mail = EmailMultiAlternatives(**common)
    mail.attach_alternative(email.body_html, "text/html")
    for item in message.attachments:
        if item.inline_cid:
            mail.attach(_inline_image(item))
            mail.mixed_subtype = "related"
        else:
            mail.attach(item.filename, item.content, item.mimetype)
    return mail


# Sending: claim, send with no transaction open, record -----------------------------------------


class WorkerLost(Exception):  # not ...Error: the name is what the task list shows
    """Recorded on a send task whose worker died while running it; the sweep queued its email again."""


def stuck_after() -> timedelta:
    return timedelta(seconds=settings.SINERGI_EMAIL_STUCK_AFTER_SECONDS)


def new_message_id() -> str:
    """A Message-ID in the sender's domain (RFC 5322), e.g. <172….4711.123…@sinergi.example.go.id>."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return make_msgid(domain=domain or str(DNS_NAME))


# A temporary failure (4xx, a connection refused, reset or timed out) is tried again after
# SINERGI_EMAIL_RETRY_SECONDS × 2^(attempt−1), at most MAX_ATTEMPTS times in all (about two hours
# with the default minute); a permanent one (5xx: no such mailbox) fails at once and waits for
# `requeue_failed`.
MAX_ATTEMPTS = 8


def is_temporary(error: BaseException) -> bool:
    import smtplib

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(
        error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)
    )


def _retry_later(email: OutgoingEmail) -> None:
    from .tasks import send_outgoing_email

    delay = timedelta(seconds=settings.SINERGI_EMAIL_RETRY_SECONDS * 2 ** (email.attempts - 1))
    if _database_backend():
        send_outgoing_email.using(run_after=timezone.now() + delay).enqueue(email.pk)
    # Other backends cannot defer: `manage.py send_queued_emails` (the sweep) sends it.


def _claim(email_id: int) -> OutgoingEmail | None:
    """Step 1: record the attempt and commit it; None when there is nothing to send now."""
    now = timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.state not in (State.QUEUED, State.SENDING):
            return None  # sent, dropped, or failed (`requeue_failed` queues it again)
        if email.state == State.SENDING and email.claimed_at and email.claimed_at > now - stuck_after():
            return None  # another worker is sending it; the sweep takes over if that worker died
        email.state, email.claimed_at = State.SENDING, now
        email.attempts += 1
        email.message_id = email.message_id or new_message_id()
        email.save(update_fields=["state", "claimed_at", "attempts", "message_id"])
    return email


# A database busy with a long write (an import) answers "locked" after its timeout; the result of a
# send that happened is worth a few more tries (unrecorded, it would be sent again).
@retry(retries=3, backoff_delay=1)
def _record(email: OutgoingEmail, state: str, **fields) -> None:
    """Step 3: the attempt's result. A failure or drop is not recorded over a later attempt's
    claim; a successful send always is (it happened, and a later attempt then finds it sent)."""
    rows = OutgoingEmail.objects.filter(pk=email.pk)
    if state != State.SENT:
        rows = rows.filter(state=State.SENDING, claimed_at=email.claimed_at)
    rows.update(state=state, **fields)


def send_now(email_id: int) -> bool:
    """Write and send one queued email unless it was sent already; True when this call sent it.

    A builder that finds its subject gone (personal data purged) returns None: the email is
    dropped. A transport error is recorded on the row and raised, so the task shows as failed and
    `manage.py send_queued_emails` (or the admin) can queue it again.
    """
    email = _claim(email_id)
    if email is None:
        return False
    try:
        message = import_string(email.builder)(**email.params)
        if message is None:
            _record(email, State.DROPPED)
            return False
        build_message(email, message).send()
    except Exception as error:
        last_error = f"{type(error).__name__}: {error}"[:2000]
        if is_temporary(error) and email.attempts < MAX_ATTEMPTS:
            # The mail server is busy, restarting or unreachable: queued again, later. Nothing
            # was accepted (a 4xx or a lost connection before the server's "250").
            _record(email, State.QUEUED, last_error=last_error, queued_at=timezone.now())
            _retry_later(email)
            logger.warning(
                "Email %s: temporary failure (%s), attempt %s; retried later",
                email.pk,
                last_error,
                email.attempts,
            )
            return False
        _record(email, State.FAILED, last_error=last_error)
        raise
    _record(
        email,
        State.SENT,
        sent_at=timezone.now(),
        last_error="",
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
    )
    return True


# Queueing again: failed emails on request, stuck ones by the sweep --------------------------------


def _database_backend() -> bool:
    """Whether tasks live in the database, where the sweep can see them (the only backend that
    defers tasks here; with another one `send_queued_emails` is the sweep)."""
    from django_tasks_db import DatabaseBackend

    from .tasks import send_outgoing_email

    return isinstance(send_outgoing_email.get_backend(), DatabaseBackend)


def tasks_in_database() -> bool:
    """Whether tasks are stored in the database (and can wait for a `run_after`)."""
    return _database_backend()


def _enqueue(email_id: int) -> None:
    from .tasks import send_outgoing_email

    send_outgoing_email.enqueue(email_id)
    schedule_sweep()


def schedule_sweep() -> None:
    """Make sure a sweep will run while emails are on their way: one waiting sweep task at a time.

    Called in the transaction that queues an email, so even a worker killed before it claimed
    that email leaves a sweep behind. Two transactions may both plan one; the first to run sees
    the other waiting and does not plan a third, so the two chains become one.
    """
    from django_tasks_db.models import DBTaskResult

    from .tasks import sweep_outgoing_emails

    if not _database_backend():
        return
    now = timezone.now()
    # A waiting sweep runs at its run_after, not before: until then this process knows there is
    # one without asking (a burst of registrations asks once, not once per email).
    if _sweep_known_until is not None and now < _sweep_known_until:
        return
    waiting = (
        DBTaskResult.objects.filter(task_path=sweep_outgoing_emails.module_path, status="READY")
        .order_by("-run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if waiting is None:
        run_after = now + stuck_after()
        sweep_outgoing_emails.using(run_after=run_after).enqueue()
        # Known only once committed: a rolled-back transaction takes its sweep with it.
        transaction.on_commit(lambda: _know_sweep(run_after))
    else:
        _know_sweep(waiting)


_sweep_known_until = None


def _know_sweep(run_after) -> None:
    """Remember that a sweep waits until `run_after`, less a margin for the clocks of other
    machines (a fifth of the interval, at most 5 seconds)."""
    global _sweep_known_until
    margin = min(timedelta(seconds=5), stuck_after() / 5)
    _sweep_known_until = run_after - margin if run_after else None


def requeue_failed(queryset) -> int:
    """Queue the failed emails of a queryset again (admin action, `send_queued_emails`)."""
    count = 0
    for pk in queryset.filter(state=State.FAILED).values_list("pk", flat=True):
        with transaction.atomic():
            if OutgoingEmail.objects.filter(pk=pk, state=State.FAILED).update(
                state=State.QUEUED, queued_at=timezone.now()
            ):
                _enqueue(pk)
                count += 1
    return count


def _waiting_for_a_worker() -> set[int]:
    """The emails whose send task waits in the queue (a backlog, not a loss)."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import send_outgoing_email

    if not _database_backend():
        return set()
    waiting = DBTaskResult.objects.filter(task_path=send_outgoing_email.module_path, status="READY")
    return {args_kwargs["args"][0] for args_kwargs in waiting.values_list("args_kwargs", flat=True)}


def _fail_lost_tasks(cutoff) -> None:
    """A send or sweep task still running since before the cutoff lost its worker: say so."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import send_outgoing_email, sweep_outgoing_emails

    if not _database_backend():
        return
    paths = [send_outgoing_email.module_path, sweep_outgoing_emails.module_path]
    for result in DBTaskResult.objects.filter(task_path__in=paths, status="RUNNING", started_at__lt=cutoff):
        result.set_failed(
            WorkerLost(f"The worker died while running this task (worker {result.worker_ids}).")
        )


def requeue_stuck(older_than: timedelta | None = None) -> int:
    """Queue again every email queued or sending for longer than `older_than` (default
    SINERGI_EMAIL_STUCK_AFTER_SECONDS) whose task no longer waits in the queue."""
    now = timezone.now()
    cutoff = now - (stuck_after() if older_than is None else older_than)
    stuck = Q(state=State.QUEUED, queued_at__lt=cutoff) | Q(state=State.SENDING, claimed_at__lt=cutoff)
    waiting = _waiting_for_a_worker()
    count = 0
    for pk in OutgoingEmail.objects.filter(stuck).values_list("pk", flat=True):
        if pk in waiting:
            continue
        with transaction.atomic():
            # Re-checked under the update: a worker may have claimed it meanwhile.
            if OutgoingEmail.objects.filter(stuck, pk=pk).update(state=State.QUEUED, queued_at=now):
                _enqueue(pk)
                count += 1
    if count:
        logger.warning("%d stuck emails queued again", count)
    _fail_lost_tasks(cutoff)
    return count


def sweep() -> int:
    """The periodic sweep (a task): plan the next one while emails are on their way, then requeue."""
    _know_sweep(None)  # the sweep this process knew of may be this one, running now
    if OutgoingEmail.objects.filter(state__in=(State.QUEUED, State.SENDING)).exists():
        schedule_sweep()  # committed before the work, so a sweep killed half-way leaves a successor
    return requeue_stuck()


def delete_emails(queryset) -> int:
    """Delete emails and the finished task results that sent them (a failure's traceback names
    the recipient); the purge of personal data. A task still to run finds its email gone."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import send_outgoing_email

    ids = list(queryset.values_list("pk", flat=True))
    if _database_backend():
        finished = DBTaskResult.objects.filter(
            task_path=send_outgoing_email.module_path, status__in=["SUCCESSFUL", "FAILED"]
        )
        for start in range(0, len(ids), 500):
            finished.filter(args_kwargs__args__0__in=ids[start : start + 500]).delete()
    return queryset.delete()[0]
