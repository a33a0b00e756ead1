"""Public lists (sanctions, INTERPOL's public Red Notices, terrorist designations) and the
matches found between them and the persons an organisation protects.

List data is public and shared by every organisation: it is stored in the clear, so that it
can be indexed. What is ours is the link between a list entity and a protected person: a
stolen database must not tell an adversary that this organisation defends the person a
Red Notice names. So a match keeps the entity's id, caption and the reason sealed with the
organisation's data key; only the coded facts (the list, its topics, the score, the
decision) are plain.
"""

from __future__ import annotations

import uuid

from django.db import models

from beyondreach.cases.models import Person
from beyondreach.core.models import Organisation, User
from beyondreach.core.sealed import Sealed


class PublicList(models.Model):
    """One loaded list file. A reload of the same name replaces its entities in place."""

    name = models.SlugField(max_length=80, unique=True)
    sha256 = models.CharField(max_length=64)
    entity_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)


class ListEntity(models.Model):
    """A person or organisation of a list, with its values cleaned by FtM's types."""

    public_list = models.ForeignKey(PublicList, on_delete=models.CASCADE, related_name="+")
    ftm_id = models.CharField(max_length=200)  # the FtM id, stable across releases
    schema = models.CharField(max_length=40)
    caption = models.CharField(max_length=500)
    names = models.JSONField(default=list)
    # Each name's ASCII tokens (matching.name_tokens), made at load: transliterating them
    # at every query would cost more than the rest of the query.
    tokens = models.JSONField(default=list)
    birth_dates = models.JSONField(default=list)  # ISO dates or prefixes ("1976")
    countries = models.JSONField(default=list)  # ISO 3166-1 alpha-2, lower case as FtM
    topics = models.JSONField(default=list)  # FtM topics: sanction, wanted, crime.terror...
    datasets = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["public_list", "ftm_id"], name="list_entity_once")
        ]


class ListKey(models.Model):
    """The retrieval index: one row per match key of an entity (matching.entity_keys).

    `entity` does nothing on delete: a reload deletes a list's keys by `public_list` first,
    so that both deletions are single statements even for a million entities.
    """

    public_list = models.ForeignKey(PublicList, on_delete=models.CASCADE, related_name="+")
    entity = models.ForeignKey(
        ListEntity, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    key = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["key", "entity"], name="listkey_lookup")]


class ListTokenCount(models.Model):
    """How many entities of a list have a name part of this key (matching.token_key), counted
    at load: a shared rare surname says more than a shared "Mohammed". The row of key
    `TOTAL_KEY` holds the list's number of entities. A reload replaces a list's counts."""

    TOTAL_KEY = "#entities"

    public_list = models.ForeignKey(PublicList, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "public_list"], name="list_token_count_once")
        ]


class MatchStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONFIRMED = "match", "Match"
    DISMISSED = "not_match", "Not a match"


class ScreeningMatch(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(max_length=80)
    topics = models.JSONField(default=list)
    entity_ref_sealed = models.BinaryField(default=b"")
    entity_ref = Sealed["ScreeningMatch"]()  # the FtM id: with the list, it names the person
    entity_caption_sealed = models.BinaryField(default=b"")
    entity_caption = Sealed["ScreeningMatch"]()  # kept: a reload may drop the entity
    reason_sealed = models.BinaryField(default=b"")
    reason = Sealed["ScreeningMatch"]()  # quotes the person's names
    score = models.FloatField()
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.OPEN)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"], name="screening_org"),
        ]
