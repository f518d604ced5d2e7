"""Directory (organizations, people) and a meeting's hosts and agenda roles."""

from django.urls import path

from .views import checkin, directory, feeds, invitations, public, registrations, reminders

app_name = "participants"
urlpatterns = [
    path("directory/organizations/", directory.OrganizationListView.as_view(), name="organization_list"),
    path(
        "directory/organizations/new/", directory.OrganizationCreateView.as_view(), name="organization_create"
    ),
    path(
        "directory/organizations/import/",
        directory.OrganizationImportView.as_view(),
        name="organization_import",
    ),
    path(
        "directory/organizations/<int:pk>/",
        directory.OrganizationUpdateView.as_view(),
        name="organization_edit",
    ),
    path(
        "directory/organizations/import/template.csv",
        directory.OrganizationImportTemplateView.as_view(),
        name="organization_import_template",
    ),
    path("directory/people/", directory.PersonListView.as_view(), name="person_list"),
    path("directory/people/new/", directory.PersonCreateView.as_view(), name="person_create"),
    path("directory/people/<int:pk>/", directory.PersonUpdateView.as_view(), name="person_edit"),
    path(
        "directory/search/organizations/",
        directory.OrganizationSearchView.as_view(),
        name="organization_search",
    ),
    path("directory/search/people/", directory.PersonSearchView.as_view(), name="person_search"),
    path(
        "directory/pick/organizations/",
        directory.OrganizationPickerView.as_view(),
        name="organization_picker",
    ),
    path("directory/pick/people/", directory.PersonPickerView.as_view(), name="person_picker"),
    path("meetings/<str:code>/hosts/", directory.MeetingHostsView.as_view(), name="hosts"),
    path(
        "meetings/<str:code>/hosts/<int:host_id>/delete/",
        directory.HostDeleteView.as_view(),
        name="host_delete",
    ),
    path(
        "meetings/<str:code>/items/<int:item_id>/roles/",
        directory.AgendaRolesView.as_view(),
        name="agenda_roles",
    ),
    path(
        "meetings/<str:code>/roles/<int:role_id>/delete/",
        directory.AgendaRoleDeleteView.as_view(),
        name="agenda_role_delete",
    ),
]

urlpatterns += public.urlpatterns + invitations.urlpatterns + registrations.urlpatterns + checkin.urlpatterns
urlpatterns += reminders.urlpatterns
urlpatterns += feeds.urlpatterns
