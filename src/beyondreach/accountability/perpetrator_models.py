"""Perpetrators as entities (issue 12, items 3 to 5): an agency, official, proxy or company,
recorded once by the organisation and linked to every incident it acted in, with its role,
period and the evidence for each; the public lists' sanctions records, to say whether and
since when a perpetrator is sanctioned; and the sanctions-referral dossier's own fields.

A perpetrator's names, position, birth date and notes are sealed like a person's: an
official named in a stolen database is a lead to whoever documented them. Its names are
found through a blind index (cases/names.py, the persons' functions). Kind, state, role and
period are coded, for counts and for roles that see no names. Imported by models.py.
"""

from __future__ import annotations

from django.db import models

from beyondreach.cases.models import ActorRole, DatePrecision, Incident, Scoped
from beyondreach.core.models import Organisation, User
from beyondreach.core.sealed import Sealed
from beyondreach.screening.models import PublicList


class PerpetratorKind(models.TextChoices):
    STATE_AGENCY = "state_agency", "State agency"
    OFFICIAL = "official", "Official"
    PROXY = "proxy", "Proxy"
    COMPANY = "company", "Company"
    OTHER = "other", "Other"


class Perpetrator(Scoped):
    kind = models.CharField(max_length=14, choices=PerpetratorKind.choices)
    state = models.CharField(max_length=2)  # the state it acts for (ISO 3166-1 alpha-2)
    nationality = models.CharField(max_length=2, blank=True)  # an official's, when known
    position_sealed = models.BinaryField(default=b"")
    position = Sealed["Perpetrator"]()  # "Head of the 2nd department": it names one official
    birth_date_sealed = models.BinaryField(default=b"")
    birth_date = Sealed["Perpetrator"]()  # "1965-04-01" or "1965", when known
    notes_sealed = models.BinaryField(default=b"")
    notes = Sealed["Perpetrator"]()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["organisation", "state", "kind"], name="perpetrator_org")]


class PerpetratorName(Scoped):
    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="names")
    value_sealed = models.BinaryField(default=b"")
    value = Sealed["PerpetratorName"]()
    script = models.CharField(max_length=4, blank=True)  # ISO 15924, as PersonName's
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class PerpetratorNameToken(models.Model):
    """The blind index of a perpetrator's names, as cases.NameToken is of persons'."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["organisation", "digest"], name="perp_nametoken_lookup")]


class PerpetratorLink(Scoped):
    """The perpetrator acted in an incident: its role, when, and the evidence for it.

    The supporting sources are kept as their references (sealed), not as links to the
    incident's Source rows: an edit of the incident replaces those rows (cases/services.py),
    and a reference survives it; one the incident no longer cites is shown as such.
    """

    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="links")
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="perpetrator_links"
    )
    role = models.CharField(max_length=16, choices=ActorRole.choices)
    period_from = models.DateField(null=True, blank=True)
    from_precision = models.CharField(max_length=12, choices=DatePrecision.choices, blank=True)
    period_to = models.DateField(null=True, blank=True)
    to_precision = models.CharField(max_length=12, choices=DatePrecision.choices, blank=True)
    evidence_sealed = models.BinaryField(default=b"")
    evidence = Sealed["PerpetratorLink"]()  # how we know: it may quote a witness
    sources_sealed = models.BinaryField(default=b"")
    sources = Sealed["PerpetratorLink"]()  # JSON list of the supporting sources' references
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["perpetrator", "incident"], name="perpetrator_link_once"
            )
        ]


class LegalBasis(models.TextChoices):
    US_GLOBAL_MAGNITSKY = "us_global_magnitsky", "United States: Global Magnitsky (E.O. 13818)"
    EU_GHRSR = "eu_ghrsr", "European Union: global human rights sanctions regime"
    UK_GHR = "uk_ghr", "United Kingdom: Global Human Rights sanctions regulations 2020"


class SanctionsDossier(Scoped):
    """What the case worker adds to a perpetrator's sanctions-referral dossier; the rest
    (identification, narrative, evidence) is read from the records when it is shown."""

    perpetrator = models.OneToOneField(
        Perpetrator, on_delete=models.CASCADE, related_name="dossier"
    )
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices)
    link_to_case_sealed = models.BinaryField(default=b"")
    link_to_case = Sealed["SanctionsDossier"]()  # the submitting organisation's link
    impact_sealed = models.BinaryField(default=b"")
    impact = Sealed["SanctionsDossier"]()
    exculpatory_sealed = models.BinaryField(default=b"")
    exculpatory = Sealed["SanctionsDossier"]()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")


class SanctionSource(models.TextChoices):
    SANCTION = "sanction", "Sanction record"
    ENTITY = "entity", "Entity flagged as sanctioned"


class ListSanction(models.Model):
    """One sanctions record of a loaded public list, for "since when": an FtM Sanction
    (authority, programme, start and listing dates) or, in a list without them, the
    sanctioned entity's own dates. Public data, in the clear, replaced with its list."""

    public_list = models.ForeignKey(PublicList, on_delete=models.CASCADE, related_name="+")
    entity_id = models.CharField(max_length=200)  # the sanctioned legal entity's FtM id
    source = models.CharField(max_length=8, choices=SanctionSource.choices)
    authority = models.CharField(max_length=300, blank=True)
    program = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=10, blank=True)
    # FtM dates may be partial ("2022", "2022-03"): kept as written, ISO prefixes sort right.
    start_date = models.CharField(max_length=10, blank=True)
    listing_date = models.CharField(max_length=10, blank=True)
    end_date = models.CharField(max_length=10, blank=True)
    datasets = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["public_list", "entity_id"], name="list_sanction_entity")]

    @property
    def since(self) -> str:
        return self.start_date or self.listing_date


class ListDecision(models.TextChoices):
    CONFIRMED = "match", "It is this perpetrator"
    DISMISSED = "not_match", "Not this perpetrator"


class PerpetratorListDecision(Scoped):
    """A case worker's decision on a list entity the perpetrator's names matched: it is the
    perpetrator, or a namesake set aside so that it no longer says "sanctioned". One per
    perpetrator and entity (the service replaces it). The entity's id is sealed: with the
    public list it names the perpetrator, like a screening match's."""

    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.CASCADE, related_name="list_decisions"
    )
    entity_ref_sealed = models.BinaryField(default=b"")
    entity_ref = Sealed["PerpetratorListDecision"]()  # the list entity's FtM id
    list_name = models.CharField(max_length=100)  # where it was seen (a public list's name)
    decision = models.CharField(max_length=9, choices=ListDecision.choices)
    decided_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
