from django.urls import URLPattern, path

from beyondreach.interchange import partner_views as v

# Included before import_urls: its imports/<job_id>/ would take imports/partners/ for a job.
urlpatterns: list[URLPattern] = [
    path("imports/partners/", v.partner_list, name="transfer-partner-list"),
    path("imports/partners/<str:partner_id>/", v.partner_detail, name="transfer-partner"),
    path(
        "imports/partners/<str:partner_id>/remove/",
        v.partner_remove,
        name="transfer-partner-remove",
    ),
]
