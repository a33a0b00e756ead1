from django.urls import include, path

from tnrwatch.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("tnrwatch.core.urls")),
    path("", include("tnrwatch.cases.urls")),
    path("", include("tnrwatch.sharing.urls")),
    path("", include("tnrwatch.reports.urls")),
    path("", include("tnrwatch.outbox.urls")),
    path("", include("tnrwatch.alerts.urls")),
    path("", include("tnrwatch.referrals.urls")),
    path("", include("tnrwatch.reports.public_urls")),
]
