from django.urls import path

from beyondreach.accountability import designation_views as dv
from beyondreach.accountability import views

urlpatterns = [
    path("interpol/", views.interpol_case_list, name="interpol-case-list"),
    path("interpol/new/<str:person_id>/", views.interpol_case_new, name="interpol-case-new"),
    path("interpol/<str:case_id>/", views.interpol_case_detail, name="interpol-case-detail"),
    path("interpol/<str:case_id>/ccf/", views.interpol_ccf_file, name="interpol-ccf-file"),
    path("interpol/<str:case_id>/steps/", views.interpol_step_add, name="interpol-step-add"),
    path(
        "interpol/<str:case_id>/status/",
        views.interpol_case_status_view,
        name="interpol-case-status",
    ),
    path(
        "interpol/requests/<str:request_id>/admissible/",
        views.interpol_ccf_admissible,
        name="interpol-ccf-admissible",
    ),
    path(
        "interpol/requests/<str:request_id>/decision/",
        views.interpol_ccf_decision,
        name="interpol-ccf-decision",
    ),
    path("designations/", dv.designation_list, name="designation-list"),
    path("designations/new/<str:person_id>/", dv.designation_new, name="designation-new"),
    path("designations/<str:designation_id>/", dv.designation_detail, name="designation-detail"),
    path(
        "designations/<str:designation_id>/steps/",
        dv.designation_step_view,
        name="designation-step-add",
    ),
    path(
        "designations/steps/<str:step_id>/decision/",
        dv.designation_step_decision,
        name="designation-step-decision",
    ),
]
