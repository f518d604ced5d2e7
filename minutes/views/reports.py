"""The activity report and the news article: the staff's pages to edit them, and their exports
(.docx, and the article as clean HTML). Only the meeting's organizers and secretaries reach them
(404 for anybody else); both need the meeting's approved minutes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.forms import add_service_errors
from meetings.permissions import MeetingPermissionMixin

from .. import permissions
from ..documents import activity_report, news_article
from ..forms.reports import ArticleFieldForm, SectionForm
from ..models import ActivityReport
from ..services import reports
from .documents import _language, docx_response


class StaffMixin:
    permission = staticmethod(permissions.is_staff_of)


def report_url(meeting) -> str:
    return reverse("minutes:activity_report", kwargs={"code": meeting.code})


def news_url(meeting) -> str:
    return reverse("minutes:news_article", kwargs={"code": meeting.code})


class ReportView(StaffMixin, MeetingPermissionMixin, TemplateView):
    """Every section of the report: its text (saved or drafted) in a form of its own."""

    template_name = "minutes/reports/report.html"
    bound: dict | None = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            report = reports.report_for(self.meeting)
        except reports.NoApprovedMinutes as exc:
            context["no_minutes"] = str(exc)
            return context
        texts = reports.section_texts(report)
        titles = reports.section_titles()
        sections = []
        for heading, parts in activity_report.chapters():
            for letter, key in parts:
                form = self.bound["form"] if self.bound and self.bound["key"] == key else None
                sections.append(
                    {
                        "key": key,
                        "chapter": heading,
                        "title": f"{letter}. {titles[key]}" if letter else heading,
                        "edited": key in report.sections,
                        "form": form or SectionForm(initial={"text": texts[key]}, prefix=key),
                        "url": reverse(
                            "minutes:report_section", kwargs={"code": self.meeting.code, "key": key}
                        ),
                    }
                )
        context.update(
            report=report,
            sections=sections,
            docx_url=reverse("minutes:report_docx", kwargs={"code": self.meeting.code}),
            news_url=news_url(self.meeting),
        )
        return context


class ReportSectionView(ReportView):
    """POST one section's text (`reset` to go back to the draft)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        key = kwargs["key"]
        if key not in ActivityReport.SECTION_KEYS:
            raise Http404
        try:
            report = reports.report_for(self.meeting)
        except reports.NoApprovedMinutes as exc:
            # No report to change (the page itself says why).
            raise Http404 from exc
        form = SectionForm(request.POST, prefix=key)
        if "reset" in request.POST:
            reports.reset_section(report, key, request.user)
            messages.success(request, _("The section is back to the draft."))
            return redirect(f"{report_url(self.meeting)}#section-{key}")
        if form.is_valid():
            try:
                reports.save_section(report, key, form.cleaned_data["text"], request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{report_url(self.meeting)}#section-{key}")
        self.bound = {"key": key, "form": form}
        return self.render_to_response(self.get_context_data(), status=422)


class ReportDocxView(StaffMixin, MeetingPermissionMixin, View):
    def get(self, request, *args, **kwargs):
        try:
            report = reports.report_for(self.meeting)
        except reports.NoApprovedMinutes as exc:
            messages.error(request, str(exc))
            return redirect(report_url(self.meeting))
        language = _language(request)
        data = activity_report.render(report, language=language)
        return docx_response(data, activity_report.filename(report, language))


class NewsView(StaffMixin, MeetingPermissionMixin, TemplateView):
    """The article's fields, each in a form of its own, and its HTML to copy."""

    template_name = "minutes/reports/news.html"
    bound: ArticleFieldForm | None = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            article = reports.article_for(self.meeting)
        except reports.NoApprovedMinutes as exc:
            context["no_minutes"] = str(exc)
            return context
        forms = []
        for name in reports.ARTICLE_LIMITS:
            if self.bound is not None and self.bound.name == name:
                form = self.bound
            else:
                form = ArticleFieldForm(initial={"value": getattr(article, name)}, name=name, prefix=name)
            form.url = reverse("minutes:news_field", kwargs={"code": self.meeting.code, "field": name})
            forms.append(form)
        code = self.meeting.code
        context.update(
            article=article,
            forms=forms,
            html=news_article.html(article),
            docx_url=reverse("minutes:news_docx", kwargs={"code": code}),
            html_url=reverse("minutes:news_html", kwargs={"code": code}),
            redraft_url=reverse("minutes:news_redraft", kwargs={"code": code}),
            report_url=report_url(self.meeting),
        )
        return context


class NewsFieldView(NewsView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        name = kwargs["field"]
        if name not in reports.ARTICLE_LIMITS or reports.approved_minutes(self.meeting) is None:
            raise Http404
        form = ArticleFieldForm(request.POST, name=name, prefix=name)
        if form.is_valid():
            try:
                reports.save_news_article(self.meeting, request.user, **{name: form.cleaned_data["value"]})
            except reports.NoApprovedMinutes as exc:
                messages.error(request, str(exc))
                return redirect(news_url(self.meeting))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{news_url(self.meeting)}#field-{name}")
        self.bound = form
        return self.render_to_response(self.get_context_data(), status=422)


class NewsRedraftView(StaffMixin, MeetingPermissionMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            reports.redraft_news_article(self.meeting, request.user)
        except reports.NoApprovedMinutes as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("The article was drafted again from the meeting and its approved minutes.")
            )
        return redirect(news_url(self.meeting))


class NewsExportView(StaffMixin, MeetingPermissionMixin, View):
    extension = "docx"

    def get(self, request, *args, **kwargs):
        try:
            article = reports.article_for(self.meeting)
        except reports.NoApprovedMinutes as exc:
            messages.error(request, str(exc))
            return redirect(news_url(self.meeting))
        if self.extension == "docx":
            data = news_article.render(article, language=_language(request))
            return docx_response(data, news_article.filename(article))
        body = news_article.html(article)
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{news_article.filename(article, "html")}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
