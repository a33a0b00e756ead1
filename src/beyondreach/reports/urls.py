from django.urls import path

from beyondreach.reports import views as v

urlpatterns = [
    path("reports/", v.report_inbox, name="report-inbox"),
    path("reports/setup/", v.report_setup, name="report-setup"),
    path("reports/setup/passphrase/", v.report_passphrase, name="report-passphrase"),
    path("reports/setup/open/", v.report_channel_open, name="report-channel-open"),
    path("reports/setup/recover/", v.report_recover, name="report-recover"),
    path("reports/setup/retention/", v.report_retention, name="report-retention"),
    path("reports/setup/grant/<str:user_id>/", v.report_grant, name="report-grant"),
    path("reports/unlock/", v.report_unlock, name="report-unlock"),
    path("reports/lock/", v.report_lock, name="report-lock"),
    path("reports/<str:report_id>/", v.report_detail, name="report-detail"),
    path("reports/<str:report_id>/status/", v.report_status, name="report-status-set"),
    path("reports/<str:report_id>/reply/", v.report_reply_view, name="report-reply"),
    path("reports/<str:report_id>/incident/", v.report_to_incident, name="report-to-incident"),
    path(
        "reports/<str:report_id>/files/<str:file_id>/<str:variant>/",
        v.report_file,
        name="report-file",
    ),
]
