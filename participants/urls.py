"""Directory (organizations, people) and a meeting's hosts and agenda roles."""

from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    # Public registration and the private links (no account needed).
    path("m/<str:code>/register/", views.RegistrationFormView.as_view(), name="register"),
    path("m/<str:code>/register/sent/", views.RegistrationSentView.as_view(), name="register_sent"),
    path("r/<str:code>/<str:token>/", views.RegistrationManageView.as_view(), name="registration_manage"),
    path(
        "invitation/<int:pk>/<str:token>/", views.InvitationRespondView.as_view(), name="invitation_respond"
    ),
    path("directory/organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("directory/organizations/new/", views.OrganizationCreateView.as_view(), name="organization_create"),
    path(
        "directory/organizations/import/", views.OrganizationImportView.as_view(), name="organization_import"
    ),
    path(
        "directory/organizations/<int:pk>/", views.OrganizationUpdateView.as_view(), name="organization_edit"
    ),
    path(
        "directory/organizations/import/template.csv",
        views.OrganizationImportTemplateView.as_view(),
        name="organization_import_template",
    ),
    path("directory/people/", views.PersonListView.as_view(), name="person_list"),
    path("directory/people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("directory/people/<int:pk>/", views.PersonUpdateView.as_view(), name="person_edit"),
    path(
        "directory/search/organizations/", views.OrganizationSearchView.as_view(), name="organization_search"
    ),
    path("directory/search/people/", views.PersonSearchView.as_view(), name="person_search"),
    path("meetings/<str:code>/hosts/", views.MeetingHostsView.as_view(), name="hosts"),
    path(
        "meetings/<str:code>/hosts/<int:host_id>/delete/", views.HostDeleteView.as_view(), name="host_delete"
    ),
    path(
        "meetings/<str:code>/items/<int:item_id>/roles/", views.AgendaRolesView.as_view(), name="agenda_roles"
    ),
    path(
        "meetings/<str:code>/roles/<int:role_id>/delete/",
        views.AgendaRoleDeleteView.as_view(),
        name="agenda_role_delete",
    ),
]
