"""Queueing emails in the caller's transaction and sending them from a task, once each."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingEmail


@dataclass
class Attachment:
    filename: str
    mimetype: str
    content: bytes
    inline_cid: str = ""  # set for images the HTML part shows as cid:<inline_cid>

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "mimetype": self.mimetype,
            "content": base64.b64encode(self.content).decode(),
            "inline_cid": self.inline_cid,
        }


def render_email(template_base: str, context: dict, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML from `<base>_subject.txt`, `<base>.txt` and `<base>.html`."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_base}_subject.txt", context).split())
        text = render_to_string(f"{template_base}.txt", context)
        html = render_to_string(f"{template_base}.html", context)
    return subject, text, html


def queue_email(
    *,
    key: str,
    to: list[str],
    template: str,
    context: dict,
    language: str,
    attachments: list[Attachment] = (),
) -> OutgoingEmail | None:
    """Store an email and enqueue its sending when the surrounding transaction commits.

    Returns None when an email with this key exists already (the same notification twice).
    """
    from .tasks import send_outgoing_email

    if OutgoingEmail.objects.filter(key=key).exists():
        return None
    subject, text, html = render_email(
        template, {**context, "SITE_NAME": settings.SINERGI_SITE_NAME}, language
    )
    email = OutgoingEmail.objects.create(
        key=key,
        to=to,
        reply_to=list(settings.SINERGI_REPLY_TO),
        subject=subject[:300],
        body_text=text,
        body_html=html,
        attachments=[a.as_json() for a in attachments],
    )
    # The task row is written in this same transaction (database backend), so a crash can
    # never leave a registration without its email queued.
    send_outgoing_email.enqueue(email.pk)
    return email


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        reply_to=email.reply_to or None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        content = base64.b64decode(item["content"])
        if item.get("inline_cid"):
            from email.mime.image import MIMEImage

            image = MIMEImage(content, _subtype=item["mimetype"].split("/")[-1])
            image.add_header("Content-ID", f"<{item['inline_cid']}>")
            image.add_header("Content-Disposition", "inline", filename=item["filename"])
            message.attach(image)
            message.mixed_subtype = "related"
        else:
            message.attach(item["filename"], content, item["mimetype"])
    return message


def send_now(email_id: int) -> bool:
    """Send one queued email unless it was sent already; True when this call sent it.

    The row stays locked while the message goes out, so two workers never send it twice. A
    transport error is recorded on the row and raised, so the task shows as failed and
    `manage.py send_queued_emails` can try again.
    """
    failure = None
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.state == OutgoingEmail.State.SENT:
            # Sent already, or withdrawn (personal data purged) before the worker got to it.
            return False
        email.attempts += 1
        try:
            build_message(email).send()
        except Exception as error:  # noqa: BLE001 - any transport error is recorded, then raised
            failure = error
            email.state = OutgoingEmail.State.FAILED
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
        else:
            email.state = OutgoingEmail.State.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["state", "attempts", "last_error", "sent_at"])
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
