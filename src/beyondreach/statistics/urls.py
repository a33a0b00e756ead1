from django.urls import path

from beyondreach.statistics import accountability_views, publish_views, views

urlpatterns = [
    path("statistics/", views.statistics_page, name="statistics"),
    path(
        "statistics/interpol/",
        accountability_views.accountability_page,
        name="statistics-accountability",
    ),
    path(
        "statistics/interpol/notices.csv",
        accountability_views.accountability_csv,
        {"table": "notices"},
        name="statistics-notices-csv",
    ),
    path(
        "statistics/interpol/grounds.csv",
        accountability_views.accountability_csv,
        {"table": "grounds"},
        name="statistics-grounds-csv",
    ),
    path(
        "statistics/interpol/designations.csv",
        accountability_views.accountability_csv,
        {"table": "designations"},
        name="statistics-designations-csv",
    ),
    path("statistics/publish/", publish_views.publish_page, name="statistics-publish"),
    path("statistics/publish/remove/", publish_views.unpublish, name="statistics-unpublish"),
    path("statistics/report/", views.statistics_report_page, name="statistics-report"),
    path(
        "statistics/report/chart.svg",
        views.statistics_report_chart,
        name="statistics-report-chart",
    ),
    path("statistics/table.csv", views.statistics_download, {"kind": "csv"}, name="statistics-csv"),
    path(
        "statistics/table.xlsx", views.statistics_download, {"kind": "xlsx"}, name="statistics-xlsx"
    ),
    path("statistics/chart.svg", views.statistics_download, {"kind": "svg"}, name="statistics-svg"),
    path("statistics/chart.png", views.statistics_download, {"kind": "png"}, name="statistics-png"),
    path(
        "statistics/map.svg",
        views.statistics_download,
        {"kind": "map.svg"},
        name="statistics-map-svg",
    ),
    path(
        "statistics/map.png",
        views.statistics_download,
        {"kind": "map.png"},
        name="statistics-map-png",
    ),
    path(
        "statistics/flows.csv",
        views.statistics_download,
        {"kind": "flows.csv"},
        name="statistics-flows-csv",
    ),
    path(
        "statistics/flows.xlsx",
        views.statistics_download,
        {"kind": "flows.xlsx"},
        name="statistics-flows-xlsx",
    ),
]
