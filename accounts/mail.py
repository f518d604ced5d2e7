"""Queueing emails in the caller's transaction and writing and sending them from a task, once each.

A service calls `queue_email` with a builder (the dotted path of a function) and JSON
parameters. That stores one OutgoingEmail row and enqueues its task in the service's own
transaction, so a change never commits without its email, at the cost of two small inserts. The
task later calls the builder, renders the templates in the recipient's language and sends. Seat
decisions therefore never wait for template rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import encoders
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from .models import OutgoingEmail


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
    *, key: str, to: list[str], builder: str, params: dict, language: str, group: str = ""
) -> OutgoingEmail | None:
    """Store an email to be written by `builder(**params)` and enqueue its sending.

    Returns None when an email with this key exists already (the same notification twice).
    """
    from .tasks import send_outgoing_email

    if OutgoingEmail.objects.filter(key=key).exists():
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
    send_outgoing_email.enqueue(email.pk)
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


def send_now(email_id: int) -> bool:
    """Write and send one queued email unless it was sent already; True when this call sent it.

    The row stays locked while the message goes out, so two workers never send it twice. A
    builder that finds its subject gone (personal data purged) returns None: the email is
    dropped. A transport error is recorded on the row and raised, so the task shows as failed and
    `manage.py send_queued_emails` can try again.
    """
    failure = None
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.state in (OutgoingEmail.State.SENT, OutgoingEmail.State.DROPPED):
            return False
        message = import_string(email.builder)(**email.params)
        if message is None:
            email.state = OutgoingEmail.State.DROPPED
            email.save(update_fields=["state"])
            return False
        email.attempts += 1
        try:
            build_message(email, message).send()
        except Exception as error:  # noqa: BLE001 - any transport error is recorded, then raised
            failure = error
            email.state = OutgoingEmail.State.FAILED
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
        else:
            email.state = OutgoingEmail.State.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(
            update_fields=["state", "attempts", "last_error", "sent_at", "subject", "body_text", "body_html"]
        )
    if failure is not None:
        raise failure
    return True


def requeue_failed(queryset) -> int:
    """Queue the failed emails of a queryset again (admin action, `send_queued_emails`)."""
    from .tasks import send_outgoing_email

    count = 0
    for email in queryset.filter(state=OutgoingEmail.State.FAILED):
        with transaction.atomic():
            OutgoingEmail.objects.filter(pk=email.pk).update(state=OutgoingEmail.State.QUEUED)
            send_outgoing_email.enqueue(email.pk)
        count += 1
    return count
