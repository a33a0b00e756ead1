from django.urls import URLPattern, path

from beyondreach.interchange import export_views as v

# Not under incidents/: the incident page's incidents/<id>/ (cases/urls.py, included first)
# would take incidents/export/ for an incident's id.
urlpatterns: list[URLPattern] = [
    path("exports/", v.export_page, name="export"),
    path("exports/file/", v.export_file, name="export-file"),
]
