"""Approval and publication of the minutes (submit, return, approve, correct, publish, unpublish)
and the read-only pages of published minutes for participants and the public."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from meetings.models import Meeting
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff
from participants.links import registration_for_token

from .. import permissions
from ..models import Minutes, Point
from ..services import workflow


@dataclass
class Flags:
    """What the person may do with this version, for the workflow panel."""

    can_edit: bool
    can_submit: bool
    can_approve: bool
    can_return: bool
    can_correct: bool
    can_publish: bool
    can_unpublish: bool


def workflow_flags(user, minutes: Minutes) -> Flags:
    meeting = minutes.meeting
    manage = permissions.can_manage(user, meeting)
    approved = minutes.state == Minutes.State.APPROVED
    return Flags(
        can_edit=permissions.can_edit(user, minutes),
        can_submit=minutes.state == Minutes.State.DRAFT and permissions.is_staff_of(user, meeting),
        can_approve=permissions.can_approve(user, minutes),
        can_return=permissions.can_approve(user, minutes),
        can_correct=approved and manage,
        can_publish=approved and manage,
        can_unpublish=approved and manage and minutes.audience != Minutes.Audience.STAFF,
    )


class WorkflowView(MeetingPermissionMixin, View):
    """POST `action` (submit, return, approve, correct, publish, unpublish) for version `version`."""

    permission = staticmethod(is_meeting_staff)

    def post(self, request, *args, **kwargs):
        minutes = get_object_or_404(Minutes, meeting=self.meeting, version=kwargs["version"])
        minutes.meeting = self.meeting
        action = request.POST.get("action", "")
        user = request.user
        target = reverse("minutes:editor", kwargs={"code": self.meeting.code})
        try:
            if action == "submit":
                workflow.submit(minutes, by=user)
                notice = _("The minutes were submitted to the chair for approval.")
            elif action == "return":
                workflow.return_to_draft(minutes, by=user, reason=request.POST.get("reason", ""))
                notice = _("The minutes were returned to the secretaries.")
            elif action == "approve":
                workflow.approve(minutes, by=user)
                notice = _("The minutes were approved and are now locked.")
            elif action == "correct":
                draft = workflow.correct(minutes, by=user, reason=request.POST.get("reason", ""))
                notice = _("Version %(version)d was opened to correct the approved minutes.") % {
                    "version": draft.version
                }
            elif action == "publish":
                workflow.publish(minutes, by=user, audience=request.POST.get("audience", ""))
                notice = _("The minutes were published.")
            elif action == "unpublish":
                workflow.unpublish(minutes, by=user)
                notice = _("The minutes are no longer published.")
            else:
                raise ValidationError(_("Unknown action."))
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{target}?version={minutes.version}#workflow")
        messages.success(request, notice)
        return redirect(f"{target}#workflow")


# Reading published minutes ---------------------------------------------------------------------


def _read_context(minutes: Minutes) -> dict:
    sections = list(
        minutes.sections.order_by("order", "id").prefetch_related(
            Prefetch("points", queryset=Point.objects.order_by("order", "id"))
        )
    )
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "sections": sections,
        "recommendations": list(
            minutes.recommendations.order_by("order", "id").prefetch_related("addressed_to")
        ),
        "actions": list(
            minutes.actions.order_by("order", "id").select_related("owner_person", "owner_organization")
        ),
        "days": list(minutes.meeting.days.order_by("date")),
    }


def public_read(request, code: str):
    """The approved minutes the organizer published to the public page."""
    meeting = get_object_or_404(Meeting.objects.visible_to_public(), code=code)
    minutes = permissions.published_version(meeting)
    if minutes is None or not permissions.readable_by_public(minutes):
        raise Http404
    minutes.meeting = meeting
    context = _read_context(minutes) | {
        "download_url": reverse("minutes:public_notula", kwargs={"code": meeting.code}),
        "back_url": meeting.urls.public,
    }
    return render(request, "minutes/read.html", context)


def participant_read(request, code: str, token: str):
    """The approved minutes published to participants, through the person's private link."""
    registration = registration_for_token(code, token)
    if registration is None:
        raise Http404
    minutes = permissions.published_version(registration.meeting)
    if minutes is None or not permissions.readable_by_participant(minutes, registration):
        raise Http404
    minutes.meeting = registration.meeting
    context = _read_context(minutes) | {
        "download_url": reverse("minutes:participant_notula", kwargs={"code": code, "token": token}),
        "back_url": registration.urls.private,
    }
    response = render(request, "minutes/read.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def register() -> None:
    """The minutes' links on the meetings' `urls` helpers and the panels on the public page and the
    private page (called by MinutesConfig.ready)."""
    from meetings.models import MeetingUrls
    from meetings.panels import add_public_page_panel
    from participants.panels import add_private_page_panel

    MeetingUrls.add(
        minutes="minutes:editor",
        minutes_history="minutes:history",
        minutes_prepare="minutes:prepare",
        public_minutes="minutes:public_read",
    )
    add_public_page_panel(_public_panel)
    add_private_page_panel(_private_panel)


def _public_panel(request, meeting):
    minutes = permissions.published_version(meeting)
    if minutes is None or not permissions.readable_by_public(minutes):
        return None
    return (
        "minutes/_published_panel.html",
        {
            "read_url": reverse("minutes:public_read", kwargs={"code": meeting.code}),
            "download_url": reverse("minutes:public_notula", kwargs={"code": meeting.code}),
            "published": minutes,
        },
    )


def _private_panel(request, registration, token):
    minutes = permissions.published_version(registration.meeting)
    if minutes is None or not permissions.readable_by_participant(minutes, registration):
        return None
    kwargs = {"code": registration.code, "token": token}
    return (
        "minutes/_published_panel.html",
        {
            "read_url": reverse("minutes:participant_read", kwargs=kwargs),
            "download_url": reverse("minutes:participant_notula", kwargs=kwargs),
            "published": minutes,
        },
    )
