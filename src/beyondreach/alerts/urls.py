from django.urls import path

from beyondreach.alerts import views as v

urlpatterns = [
    path("alerts/", v.alert_list, name="alert-list"),
    path("alerts/email/", v.alert_email, name="alert-email"),
    path("alerts/new/", v.alert_new, name="alert-new"),
    path("alerts/focal-points/", v.focal_point_list, name="focal-point-list"),
    path("alerts/focal-points/new/", v.focal_point_new, name="focal-point-new"),
    path(
        "alerts/focal-points/<str:focal_point_id>/",
        v.focal_point_detail,
        name="focal-point-detail",
    ),
    path(
        "alerts/focal-points/<str:focal_point_id>/secret/",
        v.focal_point_secret,
        name="focal-point-secret",
    ),
    path(
        "alerts/focal-points/<str:focal_point_id>/alerts/new/",
        v.focal_point_subscription_new,
        name="focal-point-alert-new",
    ),
    path("alerts/<str:subscription_id>/edit/", v.alert_edit, name="alert-edit"),
    path("alerts/<str:subscription_id>/delete/", v.alert_delete, name="alert-delete"),
    path("deadlines/", v.deadline_list, name="deadline-list"),
    path("deadlines/new/", v.deadline_new, name="deadline-new"),
    path("deadlines/<str:deadline_id>/edit/", v.deadline_edit, name="deadline-edit"),
    path("deadlines/<str:deadline_id>/done/", v.deadline_done, name="deadline-done"),
]
