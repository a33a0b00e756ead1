from django.urls import path

from beyondreach.cases import document_views, views

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
]
