"""Placeholder views (replaced while the foundation issue is built)."""

from django.views import View


class AgendaRoleDeleteView(View):
    verb = None


class AgendaRolesView(View):
    verb = None


class HostDeleteView(View):
    verb = None


class MeetingHostsView(View):
    verb = None


class OrganizationCreateView(View):
    verb = None


class OrganizationImportView(View):
    verb = None


class OrganizationListView(View):
    verb = None


class OrganizationSearchView(View):
    verb = None


class OrganizationUpdateView(View):
    verb = None


class PersonCreateView(View):
    verb = None


class PersonListView(View):
    verb = None


class PersonSearchView(View):
    verb = None


class PersonUpdateView(View):
    verb = None

