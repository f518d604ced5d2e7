"""Invitation letters (Surat Undangan) of a meeting: draft them (one per invited agency, or one
with the list attached), edit a draft, send it, delete a draft, download the .docx, and set the
numbering of the organizing host agency. The meeting's organizers only (site administrators
too); its secretaries get 403, everyone else 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from core.forms import add_service_errors
from meetings.permissions import MeetingPermissionMixin

from .. import permissions
from ..documents import letter as letter_document
from ..documents.notula import organizing_unit
from ..forms.letters import DraftForm, LetterForm, NumberingForm, SendForm
from ..models import InvitationLetter, LetterNumber
from ..services import letters as service
from .documents import docx_response


def letters_url(meeting) -> str:
    return reverse("minutes:letters", kwargs={"code": meeting.code})


def letter_url(letter: InvitationLetter, name: str = "letter") -> str:
    return reverse(f"minutes:{name}", kwargs={"code": letter.meeting.code, "pk": letter.pk})


class LetterMixin:
    """Before MeetingPermissionMixin in each view: the permission it checks, the letter."""

    permission = staticmethod(permissions.can_manage)

    def get_letter(self) -> InvitationLetter:
        letter = get_object_or_404(
            InvitationLetter.objects.select_related("organization"),
            meeting=self.meeting,
            pk=self.kwargs["pk"],
        )
        letter.meeting = self.meeting
        return letter


class LettersView(LetterMixin, MeetingPermissionMixin, TemplateView):
    """The meeting's letters, the form that drafts new ones, and the numbers given."""

    template_name = "minutes/letters/list.html"

    def draft_form(self, data=None) -> DraftForm:
        initial = {"letter_date": timezone.localtime(timezone.now(), self.meeting.tz).date()}
        return DraftForm(data, invitations=service.active_invitations(self.meeting), initial=initial)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letters = list(
            InvitationLetter.objects.filter(meeting=self.meeting)
            .select_related("invitation__organization")
            .order_by("pk")
        )
        for letter in letters:
            letter.meeting = self.meeting
            letter.edit_url = letter_url(letter)
            letter.docx_url = letter_url(letter, "letter_docx")
        organization = organizing_unit(self.meeting)
        numbering = service.numbering_for(organization) if organization else None
        context.update(
            letters=letters,
            form=kwargs.get("form") or self.draft_form(),
            organization=organization,
            numbering=numbering,
            invitation_count=service.active_invitations(self.meeting).count(),
            register=LetterNumber.objects.filter(meeting=self.meeting).order_by("issued_at", "pk"),
            numbering_url=reverse("minutes:letter_numbering", kwargs={"code": self.meeting.code}),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.draft_form(request.POST)
        if form.is_valid():
            try:
                drafted = service.draft_letters(
                    self.meeting,
                    by=request.user,
                    addressing=form.cleaned_data["addressing"],
                    invitations=list(form.cleaned_data["invitations"]) or None,
                    letter_date=form.cleaned_data["letter_date"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s letter drafted: %(numbers)s.",
                        "%(count)s letters drafted: %(numbers)s.",
                        len(drafted),
                    )
                    % {"count": len(drafted), "numbers": ", ".join(x.number for x in drafted)},
                )
                return redirect(letters_url(self.meeting))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LetterView(LetterMixin, MeetingPermissionMixin, TemplateView):
    """One letter: its form while a draft (save, send, delete), what it says once sent."""

    template_name = "minutes/letters/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter = kwargs.get("letter") or self.get_letter()
        form = kwargs.get("form")
        if form is None and not letter.is_sent:
            form = LetterForm(initial=LetterForm.initial_for(letter))
        context.update(
            letter=letter,
            form=form,
            send_form=kwargs.get("send_form") or SendForm(),
            letters_url=letters_url(self.meeting),
            docx_url=letter_url(letter, "letter_docx"),
            send_url=letter_url(letter, "letter_send"),
            delete_url=letter_url(letter, "letter_delete"),
        )
        return context

    def post(self, request, *args, **kwargs):
        letter = self.get_letter()
        form = LetterForm(request.POST)
        if form.is_valid():
            try:
                service.update_letter(
                    letter, by=request.user, version=form.cleaned_data["version"], **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The letter is saved."))
                return redirect(letter_url(letter))
        letter.refresh_from_db()
        letter.meeting = self.meeting
        return self.render_to_response(self.get_context_data(letter=letter, form=form), status=400)


class LetterSendView(LetterMixin, MeetingPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        letter = self.get_letter()
        form = SendForm(request.POST)
        form.is_valid()
        try:
            queued = service.send_letter(
                letter, by=request.user, email_agencies=bool(form.cleaned_data.get("email_agencies"))
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect(letter_url(letter))
        messages.success(
            request,
            ngettext(
                "Letter %(number)s is sent; %(count)s invitation email carries it.",
                "Letter %(number)s is sent; %(count)s invitation emails carry it.",
                queued,
            )
            % {"number": letter.number, "count": queued},
        )
        return redirect(letter_url(letter))


class LetterDeleteView(LetterMixin, MeetingPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        letter = self.get_letter()
        try:
            service.delete_letter(letter, by=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect(letter_url(letter))
        messages.success(
            request,
            _("The draft is deleted; its number %(number)s is not given again.") % {"number": letter.number},
        )
        return redirect(letters_url(self.meeting))


class LetterDocxView(LetterMixin, MeetingPermissionMixin, View):
    """`?lang=en` for an English copy; a draft says DRAFT on every page."""

    def get(self, request, *args, **kwargs):
        letter = self.get_letter()
        language = request.GET.get("lang", "id")
        language = language if language in letter_document.LANGUAGES else "id"
        data = letter_document.render(letter, language=language)
        return docx_response(data, letter_document.filename(letter, language))


class NumberingView(LetterMixin, MeetingPermissionMixin, TemplateView):
    """The numbering of the meeting's organizing host agency: pattern, unit code, next number."""

    template_name = "minutes/letters/numbering.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = organizing_unit(self.meeting)
        form = kwargs.get("form")
        year = timezone.localdate().year
        if form is None and organization is not None:
            form = NumberingForm(instance=service.numbering_for(organization), initial={"year": year})
        context.update(
            organization=organization,
            form=form,
            year=year,
            last_given=service.last_given(organization, year) if organization else 0,
            letters_url=letters_url(self.meeting),
        )
        return context

    def post(self, request, *args, **kwargs):
        organization = organizing_unit(self.meeting)
        if organization is None:
            messages.error(request, _("Add the organizing host agency to the meeting first."))
            return redirect(letters_url(self.meeting))
        form = NumberingForm(request.POST, instance=service.numbering_for(organization))
        if form.is_valid():
            try:
                service.save_numbering(
                    self.meeting,
                    by=request.user,
                    pattern=form.cleaned_data["pattern"],
                    unit_code=form.cleaned_data["unit_code"],
                    year=form.cleaned_data["year"],
                    next_sequence=form.cleaned_data["next_sequence"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The numbering is saved."))
                return redirect(letters_url(self.meeting))
        return self.render_to_response(self.get_context_data(form=form), status=400)
