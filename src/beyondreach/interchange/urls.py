from django.urls import include, path

urlpatterns = [
    path("", include("beyondreach.interchange.partner_urls")),
    path("", include("beyondreach.interchange.import_urls")),
    path("", include("beyondreach.interchange.export_urls")),
]
