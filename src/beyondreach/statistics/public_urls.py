"""Published statistics on the public host (see docs/statistics.md)."""

from django.urls import path

from beyondreach.statistics import public_views as v

urlpatterns = [
    path("p/<slug:slug>/statistics/", v.public_statistics, name="public-statistics"),
    path("p/<slug:slug>/statistics.csv", v.public_statistics_csv, name="public-statistics-csv"),
    path("p/<slug:slug>/statistics.json", v.public_statistics_json, name="public-statistics-json"),
    path(
        "p/<slug:slug>/statistics/chart-<str:index>.svg",
        v.public_statistics_chart,
        name="public-statistics-chart",
    ),
]
