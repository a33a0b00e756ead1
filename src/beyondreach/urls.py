from django.urls import include, path

from beyondreach.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("beyondreach.core.urls")),
    path("", include("beyondreach.cases.urls")),
    path("", include("beyondreach.sharing.urls")),
    path("", include("beyondreach.reports.urls")),
    path("", include("beyondreach.outbox.urls")),
    path("", include("beyondreach.alerts.urls")),
    path("", include("beyondreach.referrals.urls")),
    path("", include("beyondreach.statistics.urls")),
    path("", include("beyondreach.interchange.urls")),
    path("", include("beyondreach.screening.urls")),
    path("", include("beyondreach.accountability.urls")),
    path("", include("beyondreach.statistics.public_urls")),
    path("", include("beyondreach.reports.public_urls")),
]
