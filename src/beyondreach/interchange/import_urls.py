from django.urls import path

from beyondreach.interchange import import_views as v

urlpatterns = [
    path("imports/", v.import_list, name="import-list"),
    path("imports/<str:job_id>/", v.import_detail, name="import-detail"),
    path("imports/<str:job_id>/progress/", v.import_progress, name="import-progress"),
    path("imports/<str:job_id>/rejected.csv", v.import_rejected, name="import-rejected"),
]
