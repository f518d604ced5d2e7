"""Directory URLs: organizations, people, the CSV import, search and pickers under /directory/."""

from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("directory/organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("directory/organizations/new/", views.OrganizationCreateView.as_view(), name="organization_create"),
    path(
        "directory/organizations/import/",
        views.OrganizationImportView.as_view(),
        name="organization_import",
    ),
    path(
        "directory/organizations/<int:pk>/",
        views.OrganizationUpdateView.as_view(),
        name="organization_edit",
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
        "directory/search/organizations/",
        views.OrganizationSearchView.as_view(),
        name="organization_search",
    ),
    path("directory/search/people/", views.PersonSearchView.as_view(), name="person_search"),
    path(
        "directory/pick/organizations/",
        views.OrganizationPickerView.as_view(),
        name="organization_picker",
    ),
    path("directory/pick/people/", views.PersonPickerView.as_view(), name="person_picker"),
]
