"""Directory pages: organizations, people, the CSV import, search and picker endpoints."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, FormView, ListView, UpdateView

from accounts.roles import OrganizerRequiredMixin
from core.forms import add_service_errors
from core.text import query_text

from . import services
from .contacts import with_contact_visible
from .forms import OrganizationForm, OrganizationImportForm, PersonForm, PersonWithoutContactForm
from .models import Organization, Person
from .pickers import PICKER_LIMIT, OrganizationPickerField, PersonPickerField

PAGE_SIZE = 25
SEARCH_LIMIT = 20


# Directory: organizations -------------------------------------------------------------------


class OrganizationListView(OrganizerRequiredMixin, ListView):
    template_name = "directory/organization_list.html"
    context_object_name = "organizations"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        qs = Organization.objects.select_related("parent").annotate(people_count=Count("people"))
        self.q = query_text(self.request.GET.get("q", ""))
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(acronym__icontains=self.q))
        self.kind = self.request.GET.get("kind", "")
        if self.kind in Organization.Kind.values:
            qs = qs.filter(kind=self.kind)
        else:
            self.kind = ""
        return qs.order_by("name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.request.GET.copy()
        filters.pop("page", None)
        context.update(
            q=self.q,
            kind=self.kind,
            kinds=Organization.Kind.choices,
            filter_query=filters.urlencode(),
            directory_tab="organizations",
        )
        return context


class OrganizationFormViewMixin(OrganizerRequiredMixin):
    model = Organization
    form_class = OrganizationForm
    template_name = "directory/organization_form.html"

    def form_valid(self, form):
        try:
            services.save_organization(form.instance, actor=self.request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        self.object = form.instance
        messages.success(self.request, self.success_message % {"name": self.object.name})
        return redirect("directory:organization_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(directory_tab="organizations", **kwargs)


class OrganizationCreateView(OrganizationFormViewMixin, CreateView):
    success_message = gettext_lazy("Organization “%(name)s” added.")


class OrganizationUpdateView(OrganizationFormViewMixin, UpdateView):
    success_message = gettext_lazy("Organization “%(name)s” saved.")

    def get_queryset(self):
        return Organization.objects.select_related("parent")

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.saved_name = obj.name  # the heading keeps it while the form shows a rejected edit
        return obj

    def get_context_data(self, **kwargs):
        return super().get_context_data(saved_name=self.saved_name, **kwargs)


# Directory: CSV import ----------------------------------------------------------------------

CSV_EXAMPLE = (
    "name,acronym,kind,parent,timezone\n"
    "Badan Pelindungan Pekerja Migran Indonesia,BP2MI,agency,,Asia/Jakarta\n"
    "UPT BP2MI Makassar,UPT Makassar,regional_unit,BP2MI,Asia/Makassar\n"
    "UPT BP2MI Jayapura,UPT Jayapura,regional_unit,BP2MI,Asia/Jayapura\n"
)


class OrganizationImportView(OrganizerRequiredMixin, FormView):
    form_class = OrganizationImportForm
    template_name = "directory/organization_import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            directory_tab="import",
            example=CSV_EXAMPLE,
            columns=services.CSV_COLUMNS,
            kinds=Organization.Kind.choices,
            timezones=Organization._meta.get_field("timezone").choices,
        )
        return context

    def form_valid(self, form):
        report = services.import_organizations_csv(form.cleaned_data["file"].read(), actor=self.request.user)
        if not report.ok:
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(
            self.request,
            _("%(count)d organizations imported.") % {"count": len(report.created)},
        )
        return redirect("directory:organization_list")


class OrganizationImportTemplateView(OrganizerRequiredMixin, View):
    """The CSV template: the header row and an example, ready to fill in a spreadsheet."""

    def get(self, request):
        response = HttpResponse(
            "\ufeff" + CSV_EXAMPLE,  # the BOM lets Excel open the file as UTF-8
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="organizations-template.csv"'
        return response


# Directory: people --------------------------------------------------------------------------


class PersonListView(OrganizerRequiredMixin, ListView):
    template_name = "directory/person_list.html"
    context_object_name = "people"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        qs = with_contact_visible(Person.objects.select_related("organization"), self.request.user)
        self.q = query_text(self.request.GET.get("q", ""))
        if self.q:
            qs = qs.filter(person_search_filter(self.q))
        return qs.order_by("full_name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.request.GET.copy()
        filters.pop("page", None)
        context.update(q=self.q, filter_query=filters.urlencode(), directory_tab="people")
        return context


def person_search_filter(q: str) -> Q:
    """Search by name, position, organization, and by email only where the email may be seen
    (the queryset carries `contact_visible`): a match would reveal the address otherwise."""
    return (
        Q(full_name__icontains=q)
        | Q(position__icontains=q)
        | Q(email__icontains=q, contact_visible=True)
        | Q(organization__name__icontains=q)
        | Q(organization__acronym__icontains=q)
    )


class PersonFormViewMixin(OrganizerRequiredMixin):
    model = Person
    form_class = PersonForm
    template_name = "directory/person_form.html"

    def form_valid(self, form):
        try:
            services.save_person(form.instance, actor=self.request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        self.object = form.instance
        messages.success(self.request, self.success_message % {"name": self.object.full_name})
        return redirect("directory:person_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(directory_tab="people", **kwargs)


class PersonCreateView(PersonFormViewMixin, CreateView):
    success_message = gettext_lazy("“%(name)s” added to the directory.")


class PersonUpdateView(PersonFormViewMixin, UpdateView):
    """An organizer who may not see the person's contact edits the rest: the email and phone
    are neither shown nor accepted, so nobody can redirect a person's contact unseen."""

    success_message = gettext_lazy("“%(name)s” saved.")

    def get_queryset(self):
        return with_contact_visible(Person.objects.all(), self.request.user)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.saved_name = obj.full_name
        return obj

    def get_form_class(self):
        return PersonForm if self.object.contact_visible else PersonWithoutContactForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            saved_name=self.saved_name, contact_hidden=not self.object.contact_visible, **kwargs
        )


# Directory: search endpoints (htmx fragments or JSON) ---------------------------------------


class DirectorySearchView(OrganizerRequiredMixin, View):
    """GET ?q= → up to 20 matches: <option> elements for htmx, else JSON {"results": [...]}."""

    template_name = "directory/includes/search_options.html"

    def get(self, request):
        q = query_text(request.GET.get("q", ""))
        matches = list(self.search(q)[:SEARCH_LIMIT])
        if request.htmx:
            return TemplateResponse(request, self.template_name, {"matches": matches, "q": q})
        return JsonResponse({"results": [self.as_json(m) for m in matches]})


class OrganizationSearchView(DirectorySearchView):
    def search(self, q):
        qs = Organization.objects.select_related("parent").order_by("name", "pk")
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(acronym__icontains=q))
        return qs

    def as_json(self, org):
        return {
            "id": org.pk,
            "text": str(org),
            "name": org.name,
            "acronym": org.acronym,
            "kind": org.kind,
            "parent": str(org.parent) if org.parent else "",
        }


class PersonSearchView(DirectorySearchView):
    def search(self, q):
        qs = with_contact_visible(Person.objects.select_related("organization"), self.request.user)
        qs = qs.order_by("full_name", "pk")
        if q:
            qs = qs.filter(person_search_filter(q))
        return qs

    def as_json(self, person):
        org = person.organization
        data = {
            "id": person.pk,
            "text": f"{person.full_name} — {org.acronym or org.name}" if org else person.full_name,
            "name": person.full_name,
            "position": person.position,
            "organization": str(org) if org else "",
        }
        if person.contact_visible:
            data["email"] = person.email
        return data


class PickerOptionsView(OrganizerRequiredMixin, View):
    """The few suggestions of a directory picker, as <option>s for its <datalist>.

    The picker's text input sends its own name (``<field>_text``), so any such parameter is
    the query; ``q`` works too.
    """

    def get(self, request):
        raw = request.GET.get("q") or next((v for k, v in request.GET.items() if k.endswith("_text")), "")
        q = query_text(raw)
        matches = []
        if q:
            field = self.field_class()
            for obj in self.search(q)[:PICKER_LIMIT]:
                obj.label = field.text_of(obj)
                matches.append(obj)
        return TemplateResponse(request, "directory/includes/picker_options.html", {"matches": matches})


class OrganizationPickerView(PickerOptionsView):
    field_class = OrganizationPickerField

    def search(self, q):
        return Organization.objects.filter(Q(name__icontains=q) | Q(acronym__icontains=q)).order_by(
            "name", "pk"
        )


class PersonPickerView(PickerOptionsView):
    field_class = PersonPickerField

    def search(self, q):
        return (
            Person.objects.select_related("organization")
            .filter(
                Q(full_name__icontains=q)
                | Q(organization__name__icontains=q)
                | Q(organization__acronym__icontains=q)
            )
            .order_by("full_name", "pk")
        )
