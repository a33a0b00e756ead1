"""Published statistics: the figures as published, computed once by an admin
(publish.py), read as they are by the public pages (public_views.py)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from beyondreach.core.models import Organisation


class Publication(models.Model):
    """An organisation's published statistics: one at a time, replaced by publishing again,
    deleted by unpublishing. Public requests read `items` and `charts` and compute nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="statistics_publication"
    )
    address = models.SlugField(max_length=60, unique=True)  # the public page: /p/<address>/
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The published tables: what was asked, the disclosure control and its parameters, and
    # the figures after it (publish.py, PublishedItem). Never an incident, never a name.
    items = models.JSONField(default=list)
    charts = models.JSONField(default=dict)  # item index -> its SVG, drawn when published

    def __str__(self) -> str:
        return f"Statistics of {self.organisation_id} at /p/{self.address}/"


class PrivacyLoss(models.Model):
    """Epsilon spent by one publication with differential privacy: kept when the figures are
    replaced or taken down, since whoever read them keeps them (sequential composition)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    publication = models.UUIDField()  # Publication.uuid when it was published
    epsilon = models.FloatField()
    spent_at = models.DateTimeField()
