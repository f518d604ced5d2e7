"""The meeting's reminders and the organizer's own messages: schedule, history, and sending one.

Organizers and secretaries see the schedule and the history; only organizers send a message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from core.forms import add_service_errors
from directory.models import Organization
from meetings.models import Meeting
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff, is_organizer

from ..forms.reminders import STATE_LABELS, AnnouncementForm, AudienceForm
from ..models import Announcement, Registration, Reminder
from ..services import announcements
from ..services.reminders import configured_offsets, note_label, offset_label


def reminders_url(meeting) -> str:
    return reverse("participants:reminders", kwargs={"code": meeting.code})


def audience_organizations(meeting) -> list[tuple[int, str]]:
    """Organizations of the meeting's registrations that can receive a message (one query)."""
    rows = (
        Registration.objects.filter(
            meeting=meeting, state__in=announcements.AUDIENCE_STATES, organization__isnull=False
        )
        .values_list("organization_id", "organization__name", "organization__acronym")
        .distinct()
        .order_by()
    )
    labels = {pk: f"{acronym} — {name}" if acronym else name for pk, name, acronym in rows}
    return sorted(labels.items(), key=lambda item: item[1].lower())


def audience_count(meeting, form) -> int | None:
    """How many registrations the form's audience reaches; None while the audience is invalid."""
    if not form.is_bound:
        form = AudienceForm(
            {"states": [Registration.State.CONFIRMED]}, organizations=form.fields["organizations"].choices
        )
    audience_fields = ("states", "modes", "organizations")
    form.is_valid()
    if any(name in form.errors for name in audience_fields):
        return None
    audience = announcements.clean_audience({name: form.cleaned_data[name] for name in audience_fields})
    return announcements.audience_queryset(meeting, audience).count()


def _history(meeting) -> list[Announcement]:
    sent = list(Announcement.objects.filter(meeting=meeting).select_related("sent_by"))
    org_ids = {pk for a in sent for pk in a.audience.get("organizations", [])}
    organizations = Organization.objects.filter(pk__in=org_ids).values_list("pk", "name", "acronym")
    names = {pk: acronym or name for pk, name, acronym in organizations}
    modes = dict(Registration.Mode.choices)
    for a in sent:
        a.audience_states = [str(STATE_LABELS.get(s, s)) for s in a.audience.get("states", [])]
        a.audience_modes = [str(modes.get(m, m)) for m in a.audience.get("modes", [])]
        a.audience_organizations = [names.get(pk, "?") for pk in a.audience.get("organizations", [])]
    return sent


class RemindersView(MeetingPermissionMixin, TemplateView):
    permission = staticmethod(is_meeting_staff)
    template_name = "participants/reminders/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        reminders = list(
            Reminder.objects.filter(meeting=meeting).order_by("-schedule_version", "due_at", "pk")
        )
        for reminder in reminders:
            reminder.offset_label = offset_label(reminder.offset)
            reminder.note_label = note_label(reminder.note)
            reminder.is_current = reminder.schedule_version == meeting.calendar_sequence
        context.update(
            reminders=reminders,
            offsets=[offset.label for offset in configured_offsets()],
            is_published=meeting.status == Meeting.Status.PUBLISHED,
            announcements=_history(meeting),
        )
        if context["user_is_organizer"]:
            form = context.setdefault("form", AnnouncementForm(organizations=audience_organizations(meeting)))
            context.setdefault("recipient_count", audience_count(meeting, form))
        return context

    def post(self, request, *args, **kwargs):
        if not is_organizer(request.user, self.meeting):
            raise PermissionDenied
        form = AnnouncementForm(request.POST, organizations=audience_organizations(self.meeting))
        if "preview" in request.POST:
            # Count only: the subject and message may still be empty, so show no errors yet.
            count = audience_count(self.meeting, form)
            initial = {name: request.POST.get(name, "") for name in ("subject", "body")}
            initial.update(
                {name: request.POST.getlist(name) for name in ("states", "modes", "organizations")}
            )
            form = AnnouncementForm(initial=initial, organizations=form.fields["organizations"].choices)
            return self.render_to_response(self.get_context_data(form=form, recipient_count=count))
        if form.is_valid():
            try:
                announcement = announcements.send_announcement(
                    self.meeting,
                    actor=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    audience=form.audience,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Your message is on its way to %(count)d person.",
                        "Your message is on its way to %(count)d people.",
                        announcement.recipient_count,
                    )
                    % {"count": announcement.recipient_count},
                )
                return redirect(reminders_url(self.meeting))
        count = audience_count(self.meeting, form)
        return self.render_to_response(self.get_context_data(form=form, recipient_count=count))


class AudienceCountView(MeetingPermissionMixin, View):
    """GET (htmx): the number of registrations the chosen audience reaches."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        form = AudienceForm(request.GET, organizations=audience_organizations(self.meeting))
        html = render_to_string(
            "participants/reminders/audience_count.html",
            {"recipient_count": audience_count(self.meeting, form)},
            request=request,
        )
        return HttpResponse(html)
