"""What the participants' actions in the audit log mean, in sentences (see core.audit)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import changes_text, join, moment_text, say, sentence, sentences
from core.offsets import parse_offset
from meetings.audit_sentences import day_text

from .models import Registration
from .services.registration import CORRECTABLE_FIELDS


def mode_text(mode: str) -> str:
    return str(Registration.Mode(mode).label)


def state_text(state: str) -> str:
    return str(Registration.State(state).label).lower()


def people_text(count: int) -> str:
    return ngettext("%(count)d person", "%(count)d people", count) % {"count": count}


def seats_text(count: int) -> str:
    return ngettext("%(count)d seat", "%(count)d seats", count) % {"count": count}


def deadline_text(raw: str | None) -> str:
    return moment_text(raw) if raw else _("no deadline")


def offset_text(offset: str) -> str:
    return parse_offset(offset).label


# Registrants and focal points act through private links, without an account: an entry with
# no actor was made by the registrant (or by the agency's focal point).
sentences(
    {
        "registration.promoted": lambda: _("%(subject)s got a seat from the waiting list (%(mode)s)"),
        "registration.cancelled": lambda: _("%(actor)s cancelled the registration of %(subject)s"),
        "registration.declined": lambda: _("%(actor)s declined the registration of %(subject)s"),
        "registration.approved": lambda: _(
            "%(actor)s approved the registration of %(subject)s (now: %(new_state)s)"
        ),
        "registration.waitlisted": lambda: _("%(actor)s moved %(subject)s to the waiting list"),
        "registration.mode_changed": lambda: _(
            "%(actor)s switched %(subject)s from %(old_mode)s to %(new_mode)s"
        ),
        "registration.link_revoked": lambda: _("%(actor)s renewed the private link of %(subject)s"),
        "registration.attached_to_invitation": lambda: _(
            "%(actor)s attached the registration of %(subject)s to an agency invitation"
        ),
        "registration.detached_from_invitation": lambda: _(
            "%(actor)s withdrew %(subject)s as an agency's delegate; the registration stays"
        ),
        "registration.organization_linked": lambda: _(
            "%(actor)s linked the organization “%(typed)s” of %(subject)s to %(organization_name)s in the directory"
        ),
        "invitation.created": lambda: _(
            "%(actor)s invited %(organization)s: %(quota)s, focal point %(focal_point)s"
        ),
        "invitation.copied": lambda: _(
            "%(actor)s copied the invitation of %(organization)s (%(quota)s) from the meeting %(source)s; "
            "it has not been sent yet"
        ),
        "invitation.reopened": lambda: _(
            "%(actor)s invited %(organization)s again: %(quota)s, focal point %(focal_point)s"
        ),
        "invitation.quota_changed": lambda: _(
            "%(actor)s changed the seats of %(subject)s from %(old_quota)s to %(new_quota)s"
        ),
        "invitation.reminded": lambda: _(
            "%(actor)s reminded the focal point of %(subject)s (reminder %(reminder_count)s)"
        ),
        "invitation.responded": lambda: _("%(subject)s responded to the invitation"),
        "invitation.nominated": lambda: _(
            "%(actor)s nominated the delegate %(registration)s for %(subject)s"
        ),
        "invitation.deadline_changed": lambda: _(
            "%(actor)s changed the nomination deadline of %(subject)s from %(old_deadline)s to %(new_deadline)s"
        ),
        "invitation.deadline_reminded": lambda: _(
            "%(actor)s reminded the focal point of %(subject)s before the nomination deadline "
            "(reminder %(reminder_count)s)"
        ),
        "invitation.nomination_asked": lambda: _(
            "%(actor)s nominated a person registered already for %(subject)s; they were asked by email"
        ),
        "invitation.nomination_accepted": lambda: _(
            "%(actor)s accepted to count as a delegate of %(subject)s (%(registration)s)"
        ),
        "invitation.delegate_replaced": lambda: _(
            "%(actor)s replaced the delegate %(old_registration)s for %(subject)s"
        ),
        "invitation.delegate_withdrawn": lambda: _(
            "%(actor)s withdrew the delegate %(registration)s for %(subject)s"
        ),
        "attendance.check_in_undone": lambda: _("%(actor)s undid the check-in of %(subject)s on %(day)s"),
        "attendance.online_removed": lambda: _(
            "%(actor)s removed the online attendance of %(subject)s on %(day)s"
        ),
        "meeting.announcement_sent": lambda: _("%(actor)s sent the message “%(subject)s” to %(recipients)s"),
        "meeting.reminder_sent": lambda: _("%(actor)s sent the reminder “%(offset)s” to %(recipients)s"),
    },
    formatters={
        "mode": mode_text,
        "old_mode": mode_text,
        "new_mode": mode_text,
        "new_state": state_text,
        "day": day_text,
        "quota": seats_text,
        "recipients": people_text,
        "offset": offset_text,
        "old_deadline": deadline_text,
        "new_deadline": deadline_text,
    },
    without_actor={
        "registration.cancelled": lambda: _("%(subject)s cancelled their registration"),
        "registration.mode_changed": lambda: _("%(subject)s switched from %(old_mode)s to %(new_mode)s"),
        "registration.link_revoked": lambda: _("%(subject)s renewed their private link"),
        "invitation.nominated": lambda: _(
            "The focal point nominated the delegate %(registration)s for %(subject)s"
        ),
        "invitation.deadline_reminded": lambda: _(
            "Sinergi reminded the focal point of %(subject)s before the nomination deadline "
            "(reminder %(reminder_count)s)"
        ),
        "invitation.nomination_asked": lambda: _(
            "The focal point nominated a person registered already for %(subject)s; they were asked by email"
        ),
        "invitation.nomination_accepted": lambda: _(
            "The person nominated accepted to count as a delegate of %(subject)s (%(registration)s)"
        ),
        "registration.detached_from_invitation": lambda: _(
            "The focal point withdrew %(subject)s as the agency's delegate; the registration stays"
        ),
        "invitation.delegate_replaced": lambda: _(
            "The focal point replaced the delegate %(old_registration)s for %(subject)s"
        ),
        "invitation.delegate_withdrawn": lambda: _(
            "The focal point withdrew the delegate %(registration)s for %(subject)s"
        ),
    },
)


@sentence("registration.created", "registration.reactivated")
def registered(entry, who):
    data = entry.data
    placement = f"{mode_text(data['mode'])}, {state_text(data['state'])}"
    if data.get("over_capacity"):
        placement = _("%(placement)s, over capacity") % {"placement": placement}
    again = entry.action == "registration.reactivated"
    if entry.actor is not None:
        if again:
            text = _("%(actor)s registered %(subject)s again (%(placement)s)")
        else:
            text = _("%(actor)s registered %(subject)s (%(placement)s)")
    elif data.get("source") == Registration.Source.AGENCY:
        text = _("%(subject)s was nominated by their agency (%(placement)s)")
    elif again:
        text = _("%(subject)s registered again (%(placement)s)")
    else:
        text = _("%(subject)s registered (%(placement)s)")
    return say(text, actor=who, subject=entry.object_repr, placement=placement)


@sentence("registration.duplicate_attempt")
def duplicate_attempt(entry, who):
    if entry.data.get("notified", True):
        text = _(
            "Someone tried to register %(subject)s again; the person was emailed about their registration"
        )
    else:
        text = _("Someone tried to register %(subject)s again; no email, one was sent recently")
    return say(text, subject=entry.object_repr)


@sentence("registration.public_listing")
def public_listing(entry, who):
    if entry.data["listed"]:
        return say(_("%(subject)s chose to appear on the public participant list"), subject=entry.object_repr)
    return say(_("%(subject)s chose not to appear on the public participant list"), subject=entry.object_repr)


@sentence("registration.details_corrected")
def details_corrected(entry, who):
    # In the form's order: PostgreSQL's jsonb does not keep the keys' order.
    stored = entry.data["changes"]
    changes = changes_text(
        Registration, {name: stored[name] for name in CORRECTABLE_FIELDS if name in stored}
    )
    if entry.actor is None:
        return say(
            _("%(subject)s corrected their details: %(changes)s"), subject=entry.object_repr, changes=changes
        )
    return say(
        _("%(actor)s corrected the details of %(subject)s: %(changes)s"),
        actor=who,
        subject=entry.object_repr,
        changes=changes,
    )


@sentence("invitation.revoked")
def revoked(entry, who):
    kept = entry.data["delegates_kept"]
    text = ngettext(
        "%(actor)s revoked the invitation of %(subject)s; %(count)d delegate stays registered",
        "%(actor)s revoked the invitation of %(subject)s; %(count)d delegates stay registered",
        kept,
    )
    return say(text, actor=who, subject=entry.object_repr, count=kept)


@sentence("meeting.reminders_planned")
def reminders_planned(entry, who):
    due = entry.data["due"]
    if not due:
        return say(_("No reminders are planned"))
    return say(_("Reminders planned for %(times)s"), times=join(moment_text(t) for t in due))


@sentence("meeting.reminders_superseded")
def reminders_superseded(entry, who):
    count = entry.data["count"]
    text = ngettext(
        "%(count)d planned reminder was replaced after the schedule changed",
        "%(count)d planned reminders were replaced after the schedule changed",
        count,
    )
    return say(text, count=count)


SKIP_REASONS = {
    "cancelled": lambda: _("the meeting was cancelled"),
    "unpublished": lambda: _("the meeting was withdrawn from publication"),
    "held": lambda: _("the meeting was marked as held"),
    "closed": lambda: _("the meeting was closed"),
}


@sentence("meeting.reminders_skipped")
def reminders_skipped(entry, who):
    count, reason = entry.data["count"], entry.data["reason"]
    text = ngettext(
        "%(count)d planned reminder was called off: %(reason)s",
        "%(count)d planned reminders were called off: %(reason)s",
        count,
    )
    return say(text, count=count, reason=SKIP_REASONS[reason]() if reason in SKIP_REASONS else reason)


@sentence("meeting.personal_data_purged")
def personal_data_purged(entry, who):
    data = entry.data
    counts = [
        ngettext("%(count)d registration", "%(count)d registrations", data["registrations"])
        % {"count": data["registrations"]},
        ngettext("%(count)d invitation", "%(count)d invitations", data["invitations"])
        % {"count": data["invitations"]},
        ngettext("%(count)d email", "%(count)d emails", data["emails"]) % {"count": data["emails"]},
    ]
    return say(_("%(actor)s removed the personal data of %(counts)s"), actor=who, counts=", ".join(counts))


@sentence("attendance.online_recorded")
def online_recorded(entry, who):
    day = day_text(entry.data["day"])
    if entry.data.get("source") == "zoom":
        return say(
            _("Zoom recorded that %(subject)s attended %(day)s online"), subject=entry.object_repr, day=day
        )
    return say(
        _("%(actor)s recorded that %(subject)s attended %(day)s online"),
        actor=who,
        subject=entry.object_repr,
        day=day,
    )


@sentence("attendance.checked_in")
def checked_in(entry, who):
    values = {
        "actor": who,
        "subject": entry.object_repr,
        "day": day_text(entry.data["day"]),
        "mode": mode_text(entry.data["mode"]),
    }
    if entry.data.get("outside_day"):
        return say(_("%(actor)s checked in %(subject)s on %(day)s (%(mode)s), outside that day"), **values)
    return say(_("%(actor)s checked in %(subject)s on %(day)s (%(mode)s)"), **values)


@sentence("meeting.zoom_report_imported")
def zoom_report_imported(entry, who):
    data = entry.data
    text = ngettext(
        "%(actor)s imported the Zoom participants report (%(rows)d row, %(new)d new): "
        "%(present)s attended online; %(unmatched)d rows not matched to a registration",
        "%(actor)s imported the Zoom participants report (%(rows)d rows, %(new)d new): "
        "%(present)s attended online; %(unmatched)d rows not matched to a registration",
        data["rows"],
    )
    return say(
        text,
        actor=who,
        rows=data["rows"],
        new=data["new"],
        present=people_text(data["present"]),
        unmatched=data["unmatched"],
    )


@sentence("meeting.zoom_report_failed")
def zoom_report_failed(entry, who):
    data = entry.data
    if data.get("retrying"):
        text = _("The Zoom participants report could not be imported (%(error)s); Sinergi will try again")
    else:
        text = _(
            "The Zoom participants report could not be imported (%(error)s); "
            "an organizer can import it from the Zoom attendance page"
        )
    return say(text, error=data["error"])


@sentence("attendance.zoom_matched_by_hand")
def zoom_matched_by_hand(entry, who):
    return say(
        _("%(actor)s matched the Zoom participant “%(zoom_name)s” to %(subject)s"),
        actor=who,
        zoom_name=entry.data["zoom_name"],
        subject=entry.object_repr,
    )
