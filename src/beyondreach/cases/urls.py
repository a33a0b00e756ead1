from django.urls import path

from beyondreach.cases import document_views, organisation_views, views

urlpatterns = [
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/new/", views.incident_new, name="incident-new"),
    path("incidents/<str:incident_id>/", views.incident_detail, name="incident-detail"),
    path("incidents/<str:incident_id>/edit/", views.incident_edit, name="incident-edit"),
    path(
        "incidents/<str:incident_id>/documents/",
        document_views.incident_document_add_view,
        name="incident-document-add",
    ),
    path(
        "incidents/<str:incident_id>/documents/<str:document_id>/<str:variant>/",
        document_views.incident_document_file,
        name="incident-document-file",
    ),
    path("persons/", views.person_list, name="person-list"),
    path("persons/<str:person_id>/", views.person_detail, name="person-detail"),
    path("persons/<str:person_id>/edit/", views.person_edit, name="person-edit"),
    path("persons/<str:person_id>/merge/", views.person_merge_page, name="person-merge"),
    path(
        "persons/merges/<str:merge_id>/undo/",
        views.person_merge_undo_view,
        name="person-merge-undo",
    ),
    path(
        "targeted-organisations/",
        organisation_views.targeted_organisation_list,
        name="targeted-organisation-list",
    ),
    path(
        "targeted-organisations/<str:target_id>/",
        organisation_views.targeted_organisation_detail,
        name="targeted-organisation-detail",
    ),
    path(
        "targeted-organisations/<str:target_id>/merge/",
        organisation_views.targeted_organisation_merge,
        name="targeted-organisation-merge",
    ),
    path(
        "targeted-organisations/merges/<str:organisation_merge_id>/undo/",
        organisation_views.organisation_merge_undo_view,
        name="targeted-organisation-merge-undo",
    ),
]
