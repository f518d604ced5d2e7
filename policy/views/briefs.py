"""Policy-input documents, for policy analysts and site administrators: the list, a new document
from recommendations chosen in the registry (by hand or by its filters), the editing of its prose
(each save a new version), the versions, and the Word export of any version in either language."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.roles import never_cached
from core.text import is_id
from minutes import richtext
from minutes.views.documents import docx_response

from .. import documents
from ..forms.briefs import BriefCreateForm, BriefVersionForm, finding_field
from ..forms.registry import RegistryFilterForm
from ..models import PolicyBrief, PolicyBriefVersion
from ..permissions import may_compile, visible_recommendations
from ..services import briefs


class AnalystRequiredMixin(AccessMixin):
    """Policy analysts and site administrators; anonymous users go to the login, others get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_compile(request.user):
            raise PermissionDenied
        return never_cached(super().dispatch(request, *args, **kwargs))


def _prepare(recs) -> list:
    """The recommendations as the pages show them: numbered, rich text as HTML."""
    briefs.number(recs)
    for rec in recs:
        rec.text_html = richtext.to_html(rec.text)
        rec.provenance = briefs.provenance(rec)
        rec.follow_up = briefs.follow_up_text(rec)
    return recs


class BriefListView(AnalystRequiredMixin, ListView):
    template_name = "policy/brief_list.html"
    context_object_name = "briefs"
    paginate_by = 50

    def get_queryset(self):
        latest = PolicyBriefVersion.objects.filter(brief=OuterRef("pk")).order_by("-number")
        return PolicyBrief.objects.select_related("created_by").annotate(
            last_number=Subquery(latest.values("number")[:1]),
            last_saved_at=Subquery(latest.values("saved_at")[:1]),
            last_saved_by=Subquery(latest.values("saved_by__full_name")[:1]),
            last_saved_by_email=Subquery(latest.values("saved_by__email")[:1]),
        )


class BriefCreateView(AnalystRequiredMixin, View):
    template_name = "policy/brief_create.html"

    def _keys_from_query(self, request) -> tuple[list[str], int]:
        """The chosen keys and how many of those chosen by hand were refused."""
        if request.GET.get("all") == "1":
            visible = visible_recommendations(request.user)
            form = RegistryFilterForm(request.GET, visible=visible)
            keys = [str(k) for k in form.apply(visible).values_list("key", flat=True)]
            return briefs.parse_keys(keys)[0], 0
        chosen = request.GET.getlist("key")
        return chosen, len(briefs.refused_keys(request.user, chosen)) if chosen else 0

    def _page(self, request, form, recs, refused=0, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "recommendations": _prepare(recs), "refused": refused},
            status=status,
        )

    def get(self, request, *args, **kwargs):
        keys, refused = self._keys_from_query(request)
        recs = briefs.recommendations(request.user, keys)
        language = (get_language() or "id")[:2]
        form = BriefCreateForm(
            user=request.user,
            initial={
                "key": [str(r.key) for r in recs],
                "language": language if language in briefs.LANGUAGES else "id",
            },
        )
        return self._page(request, form, recs, refused)

    def post(self, request, *args, **kwargs):
        form = BriefCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                brief = briefs.create_brief(request.user, data["title"], data["language"], data["key"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The document was drafted from %(count)d recommendation: edit its text below.",
                        "The document was drafted from %(count)d recommendations: edit its text below.",
                        len(brief.keys),
                    )
                    % {"count": len(brief.keys)},
                )
                return redirect("policy:brief", pk=brief.pk)
        recs = briefs.recommendations(request.user, request.POST.getlist("key"))
        return self._page(request, form, recs)


class BriefMixin(AnalystRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and may_compile(request.user):
            self.brief = get_object_or_404(PolicyBrief, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


def _themes(recs, version: PolicyBriefVersion | None) -> list[tuple[str, str]]:
    """One findings textarea per theme of the recommendations, and per theme the saved findings
    still have (a theme none of the recommendations has any more keeps its text)."""
    themes = [(group.slug, group.name) for group in briefs.by_theme(recs)]
    known = {slug for slug, _name in themes}
    for slug in (version.findings or {}) if version else ():
        if slug not in known:
            themes.append((slug, slug or _("Other findings")))
    return themes


class BriefEditView(BriefMixin, View):
    template_name = "policy/brief_edit.html"

    def _initial(self, version):
        initial = {
            "based_on": version.number if version else 0,
            "title": version.title if version else self.brief.title,
            "summary": version.summary if version else "",
            "background": version.background if version else "",
            "closing": version.closing if version else "",
        }
        for slug, text in ((version.findings or {}) if version else {}).items():
            initial[finding_field(slug)] = text
        return initial

    def _page(self, request, form, version, recs, status=200):
        return render(
            request,
            self.template_name,
            {
                "brief": self.brief,
                "version": version,
                "form": form,
                "recommendations": recs,
                "addressees": briefs.by_addressee(recs),
                "sources": briefs.sources(recs),
                "missing": len(self.brief.keys) - len(recs),
                "languages": briefs.LANGUAGES,
                # The headings of the Word document, in the page's language.
                "headings": documents.headings((get_language() or "id")[:2]),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        version = briefs.latest_version(self.brief)
        recs = _prepare(briefs.recommendations(request.user, self.brief.keys))
        form = BriefVersionForm(initial=self._initial(version), themes=_themes(recs, version))
        return self._page(request, form, version, recs)

    def post(self, request, *args, **kwargs):
        version = briefs.latest_version(self.brief)
        recs = _prepare(briefs.recommendations(request.user, self.brief.keys))
        form = BriefVersionForm(request.POST, themes=_themes(recs, version))
        if form.is_valid():
            try:
                saved = briefs.save_version(
                    self.brief, request.user, form.cleaned_data["based_on"], form.data_for_service()
                )
            except briefs.StaleVersion as error:
                # The user's text stays in the form; based on the newer version now, so saving
                # again (after comparing) is a deliberate choice.
                data = request.POST.copy()
                data["based_on"] = str(error.latest.number)
                form = BriefVersionForm(data, themes=_themes(recs, error.latest))
                form.is_valid()
                form.add_error(None, error)
                return self._page(request, form, error.latest, recs, status=409)
            messages.success(request, _("Version %(number)s saved.") % {"number": saved.number})
            return redirect("policy:brief", pk=self.brief.pk)
        return self._page(request, form, version, recs)


class BriefVersionsView(BriefMixin, View):
    template_name = "policy/brief_versions.html"

    def get(self, request, *args, **kwargs):
        versions = self.brief.versions.select_related("saved_by").order_by("-number")
        return render(
            request,
            self.template_name,
            {"brief": self.brief, "versions": versions, "languages": briefs.LANGUAGES},
        )


class BriefDocumentView(BriefMixin, View):
    """`?version=N` (default: the latest) `&lang=id|en` (default: the document's language)."""

    def get(self, request, *args, **kwargs):
        number = request.GET.get("version", "")
        versions = self.brief.versions.select_related("saved_by")
        if number:
            if not is_id(number):
                raise Http404
            version = get_object_or_404(versions, number=int(number))
        else:
            version = versions.order_by("-number").first()
            if version is None:
                raise Http404
        language = request.GET.get("lang") or self.brief.language
        if language not in documents.LANGUAGES:
            language = "id"
        recs = briefs.recommendations(request.user, self.brief.keys)
        data = documents.build(self.brief, version, recs, language)
        return docx_response(data, documents.filename(self.brief, version, language))
