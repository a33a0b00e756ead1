from django.urls import path

from beyondreach.accountability import ccf_pack_views as cpv
from beyondreach.accountability import designation_views as dv
from beyondreach.accountability import perpetrator_views as pv
from beyondreach.accountability import views

urlpatterns = [
    path("interpol/", views.interpol_case_list, name="interpol-case-list"),
    path("interpol/new/<str:person_id>/", views.interpol_case_new, name="interpol-case-new"),
    path("interpol/<str:case_id>/", views.interpol_case_detail, name="interpol-case-detail"),
    path("interpol/<str:case_id>/ccf/", views.interpol_ccf_file, name="interpol-ccf-file"),
    path("interpol/<str:case_id>/ccf-pack/", cpv.interpol_ccf_pack, name="interpol-ccf-pack"),
    path(
        "interpol/<str:case_id>/ccf-pack/print/",
        cpv.interpol_ccf_pack_print,
        name="interpol-ccf-pack-print",
    ),
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
    path("perpetrators/", pv.perpetrator_list, name="perpetrator-list"),
    path("perpetrators/new/", pv.perpetrator_new, name="perpetrator-new"),
    path(
        "perpetrators/links/<str:link_id>/", pv.perpetrator_link_edit, name="perpetrator-link-edit"
    ),
    path("perpetrators/<str:perpetrator_id>/", pv.perpetrator_detail, name="perpetrator-detail"),
    path(
        "perpetrators/<str:perpetrator_id>/edit/",
        pv.perpetrator_edit_view,
        name="perpetrator-edit",
    ),
    path(
        "perpetrators/<str:perpetrator_id>/links/",
        pv.perpetrator_link_view,
        name="perpetrator-link",
    ),
    path(
        "perpetrators/<str:perpetrator_id>/unlink/",
        pv.perpetrator_unlink_view,
        name="perpetrator-unlink",
    ),
    path(
        "perpetrators/<str:perpetrator_id>/list-decision/",
        pv.perpetrator_list_decision_view,
        name="perpetrator-list-decision",
    ),
    path(
        "perpetrators/<str:perpetrator_id>/dossier/",
        pv.perpetrator_dossier,
        name="perpetrator-dossier",
    ),
    path(
        "perpetrators/<str:perpetrator_id>/dossier/print/",
        pv.perpetrator_dossier_print,
        name="perpetrator-dossier-print",
    ),
]
