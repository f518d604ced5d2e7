"""Emails carrying a calendar invitation, as a real SMTP server receives them: MIME layout and parts."""

from core.mail import Attachment, Message, queue_email
from core.models import OutgoingEmail

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Test//ID\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:test-1@example.test\r\nSUMMARY:Rapat Koordinasi — Jayapura\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()


def structure(part):
    """A MIME tree as nested (content type, [children]) tuples; leaves are content types."""
    if part.is_multipart():
        return (part.get_content_type(), [structure(child) for child in part.get_payload()])
    return part.get_content_type()


def build_calendar_message(qr: bool, method: str, pdf: bool = False):
    attachments = [Attachment("qr.png", "image/png", PNG, "registration-qr")] if qr else []
    if pdf:
        attachments.append(Attachment("agenda.pdf", "application/pdf", b"%PDF-1.4 test"))
    return Message("participants/email/registration", {"kind": "test"}, attachments, ICS, method)


def send(smtp_server, run_tasks, *, qr=False, method="REQUEST", pdf=False):
    queue_email(
        key=f"calendar-{qr}-{method}-{pdf}",
        to=["peserta@example.test"],
        builder="tests.core.test_mail_calendar.build_calendar_message",
        params={"qr": qr, "method": method, "pdf": pdf},
        language="id",
    )
    run_tasks()
    assert len(smtp_server.messages) == 1
    return smtp_server.messages[0]["message"]


def test_invitation_is_mixed_with_calendar_alternative_and_attached_ics(db, smtp_server, run_tasks):
    message = send(smtp_server, run_tasks)

    assert structure(message) == (
        "multipart/mixed",
        [("multipart/alternative", ["text/plain", "text/html", "text/calendar"]), "application/ics"],
    )
    alternative, invite = message.get_payload()
    calendar = alternative.get_payload()[2]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    assert calendar.get_content_disposition() is None
    assert calendar.get_payload(decode=True) == ICS
    assert invite.get_content_disposition() == "attachment"
    assert invite.get_filename() == "invite.ics"
    assert invite.get_payload(decode=True) == ICS
    assert OutgoingEmail.objects.get().state == "sent"


def test_method_parameter_is_sent_unquoted_as_calendar_clients_expect(db, smtp_server, run_tasks):
    message = send(smtp_server, run_tasks, method="CANCEL")
    calendar = message.get_payload()[0].get_payload()[2]
    # The header as it came over the wire (the parsed header object would add quotes itself).
    assert dict(calendar.raw_items())["Content-Type"] == 'text/calendar; charset="utf-8"; method=CANCEL'


def test_inline_image_stays_with_the_html_beside_the_calendar(db, smtp_server, run_tasks):
    message = send(smtp_server, run_tasks, qr=True)

    assert structure(message) == (
        "multipart/mixed",
        [
            (
                "multipart/alternative",
                ["text/plain", ("multipart/related", ["text/html", "image/png"]), "text/calendar"],
            ),
            "application/ics",
        ],
    )
    related = message.get_payload()[0].get_payload()[1]
    assert related.get_param("type") == "text/html"
    html, image = related.get_payload()
    assert 'src="cid:registration-qr"' not in html.get_content()  # kind "test": no QR in the template
    assert image["Content-ID"] == "<registration-qr>"
    assert image.get_content_disposition() == "inline"
    assert image.get_payload(decode=True) == PNG


def test_other_attachments_follow_the_invitation(db, smtp_server, run_tasks):
    message = send(smtp_server, run_tasks, pdf=True)

    assert structure(message) == (
        "multipart/mixed",
        [
            ("multipart/alternative", ["text/plain", "text/html", "text/calendar"]),
            "application/ics",
            "application/pdf",
        ],
    )
    pdf = message.get_payload()[2]
    assert (pdf.get_filename(), pdf.get_payload(decode=True)) == ("agenda.pdf", b"%PDF-1.4 test")


def test_sender_and_reply_to_come_from_settings(db, settings, smtp_server, run_tasks):
    settings.DEFAULT_FROM_EMAIL = "Sekretariat FGD <fgd@bp2mi.example.test>"
    settings.SINERGI_REPLY_TO = ["sekretariat@bp2mi.example.test"]
    message = send(smtp_server, run_tasks)
    assert message["From"] == "Sekretariat FGD <fgd@bp2mi.example.test>"
    assert message["Reply-To"] == "sekretariat@bp2mi.example.test"
    assert smtp_server.messages[0]["from"] == "fgd@bp2mi.example.test"
