"""The public reporting pages alone. On a public host (settings.REPORTS_PUBLIC_HOSTS, for
example the onion address) this is the whole URL map: no login, no staff page exists there."""

from django.urls import include, path

from beyondreach.reports import public_views as v

urlpatterns = [
    path("r/<slug:slug>/", v.channel_home, name="report-channel"),
    path("r/<slug:slug>/key/", v.channel_key, name="report-key"),
    path("r/<slug:slug>/<str:lang>/", v.intro, name="report-intro"),
    path("r/<slug:slug>/<str:lang>/new/", v.new_report, name="report-new"),
    path("r/<slug:slug>/<str:lang>/receipt/", v.receipt, name="report-receipt"),
    path("r/<slug:slug>/<str:lang>/practise/", v.practise, name="report-practise"),
    path("r/<slug:slug>/<str:lang>/follow-up/", v.follow_up, name="report-follow-up"),
    path("r/<slug:slug>/<str:lang>/status/", v.status, name="report-status"),
    path("r/<slug:slug>/<str:lang>/proof/", v.proof, name="report-proof"),
    path("r/<slug:slug>/<str:lang>/leave/", v.leave, name="report-leave"),
    path("", include("beyondreach.statistics.public_urls")),
]
