"""Published statistics on the public host (see docs/statistics.md)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
