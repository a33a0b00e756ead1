"""INTERPOL cases and designations (issue 12, items 1 and 2). A notice or diffusion is a
record of its own, linked to the defended person and the incidents it caused, with the
defence's requests to the Commission for the Control of INTERPOL's Files (CCF) and the steps
taken in each host country; a designation (a state's terrorist list) likewise, with its
effects and the appeals against it.

Coded parts (kind, issuing state, dates, status, outcome, grounds) stay queryable for counts;
what can identify (the notice's reference, the charge as stated, notes) is sealed."""

from __future__ import annotations

from django.db import models

from beyondreach.alerts.models import Deadline
from beyondreach.cases.models import DatePrecision, Incident, Person, Scoped
from beyondreach.core.models import User
from beyondreach.core.sealed import Sealed


class NoticeKind(models.TextChoices):
    RED_NOTICE = "red_notice", "Red Notice"
    DIFFUSION = "diffusion", "Diffusion"
    BLUE_NOTICE = "blue_notice", "Blue Notice (locate)"
    OTHER_NOTICE = "other_notice", "Notice of another colour"
    SLTD = "sltd", "Passport reported lost or stolen (SLTD)"


class NoticeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DELETED = "deleted", "Deleted"
    BLOCKED = "blocked", "Blocked (data kept, not circulated)"
    WITHDRAWN = "withdrawn", "Withdrawn by the issuing state"
    UNKNOWN = "unknown", "Unknown"


class CcfRequestKind(models.TextChoices):
    ACCESS = "access", "Access to the data"
    CORRECTION_DELETION = "correction_deletion", "Correction or deletion"


# The CCF's time to decide, from the day a request is found admissible, as its statute sets
# it: four months for access, nine for correction or deletion.
CCF_MONTHS = {CcfRequestKind.ACCESS: 4, CcfRequestKind.CORRECTION_DELETION: 9}


class CcfOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    INADMISSIBLE = "inadmissible", "Not admissible"
    COMPLIANT = "compliant", "Data found compliant"
    DELETED = "deleted", "Not compliant: data deleted"
    CORRECTED = "corrected", "Not compliant: data corrected"
    BLOCKED = "blocked", "Data blocked pending a decision"
    ACCESS_GIVEN = "access_given", "Access given"


class CcfGround(models.TextChoices):
    """Why the CCF decided as it did, coded so that decisions can be counted."""

    ARTICLE_3 = "article_3", "Article 3: political, military, religious or racial character"
    ARTICLE_2 = "article_2", "Article 2: human rights (the Universal Declaration)"
    ARTICLE_83 = "article_83", "Article 83: the conditions of a Red Notice not met"
    REFUGEE_STATUS = "refugee_status", "Refugee status of the person"
    DUE_PROCESS = "due_process", "Due process: a fair trial in doubt"
    OTHER = "other", "Other grounds"


class StepKind(models.TextChoices):
    ARREST = "arrest", "Arrest or detention"
    RELEASE = "release", "Release"
    EXTRADITION_REQUEST = "extradition_request", "Extradition requested"
    EXTRADITION_REFUSED = "extradition_refused", "Extradition refused"
    EXTRADITION_GRANTED = "extradition_granted", "Extradition granted"
    ASYLUM_GRANTED = "asylum_granted", "Asylum or refugee status granted"
    ASYLUM_REFUSED = "asylum_refused", "Asylum refused"
    BORDER_STOP = "border_stop", "Stopped at a border"
    OTHER = "other", "Other step"


class InterpolCase(Scoped):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interpol_cases")
    incidents = models.ManyToManyField(Incident, related_name="interpol_cases")
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    issuing_state = models.CharField(max_length=2)
    issued_on = models.DateField(null=True, blank=True)
    issued_precision = models.CharField(max_length=12, choices=DatePrecision.choices, blank=True)
    public = models.BooleanField(default=False)  # on INTERPOL's public site
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ACTIVE
    )
    reference_sealed = models.BinaryField(default=b"")
    reference = Sealed["InterpolCase"]()  # the notice's number: it points to the person
    charge_sealed = models.BinaryField(default=b"")
    charge = Sealed["InterpolCase"]()  # the charge as the issuing state states it
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "issuing_state", "kind"], name="interpol_org_state"
            )
        ]


class CcfRequest(Scoped):
    case = models.ForeignKey(InterpolCase, on_delete=models.CASCADE, related_name="ccf_requests")
    kind = models.CharField(max_length=20, choices=CcfRequestKind.choices)
    filed_on = models.DateField()
    admissible_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=12, choices=CcfOutcome.choices, default=CcfOutcome.PENDING
    )
    grounds = models.JSONField(default=list)  # CcfGround codes
    decided_on = models.DateField(null=True, blank=True)
    # The CCF's clock on the deadlines board, from admissibility (alerts reminds of it).
    deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["filed_on", "id"]

    @property
    def ground_labels(self) -> list[str]:
        return [str(CcfGround(g).label) for g in self.grounds if g in CcfGround.values]


class NationalStep(Scoped):
    case = models.ForeignKey(InterpolCase, on_delete=models.CASCADE, related_name="steps")
    country = models.CharField(max_length=2)
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    on = models.DateField(null=True, blank=True)
    note_sealed = models.BinaryField(default=b"")
    note = Sealed["NationalStep"]()

    class Meta:
        ordering = ["on", "id"]


class DesignationEffect(models.TextChoices):
    ASSET_FREEZE = "asset_freeze", "Assets frozen"
    TRAVEL_BAN = "travel_ban", "Travel ban"
    PASSPORT = "passport_cancelled", "Passport cancelled or refused"
    PROSECUTION = "prosecution", "Prosecution in absentia"
    RELATIVES = "relatives_prosecuted", "Relatives prosecuted or questioned"
    BOUNTY = "bounty", "Bounty offered"
    CITIZENSHIP = "citizenship_revoked", "Citizenship revoked"
    OTHER = "other", "Other effect"


class DesignationStatus(models.TextChoices):
    ACTIVE = "active", "Listed"
    UNDER_APPEAL = "under_appeal", "Under appeal"
    DELISTED = "delisted", "Delisted"
    UNKNOWN = "unknown", "Unknown"


class DesignationStepKind(models.TextChoices):
    APPEAL = "appeal", "Appeal to a court"
    DELISTING_REQUEST = "delisting_request", "Request to delist"
    FOREIGN_REFUSAL = "foreign_refusal", "A foreign authority refused to act on it"
    OTHER = "other", "Other step"


class StepOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    UPHELD = "upheld", "Listing upheld"
    DELISTED = "delisted", "Delisted"
    REFUSED = "refused", "Refused"
    OTHER = "other", "Other outcome"


class Designation(Scoped):
    """A state's listing of a person as a terrorist or the like, used to reach them abroad:
    the listing state and authority, the list, the date, the grounds it states (sealed), its
    effects (coded, for counts), its status, and the defence's steps."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="designations")
    incidents = models.ManyToManyField(Incident, related_name="designations")
    listing_state = models.CharField(max_length=2)
    # The state's body and list, as the state names them ("Ministry of the Interior"): they
    # name the state's side, never the person, so they stay plain and countable.
    authority = models.CharField(max_length=200, blank=True)
    list_name = models.CharField(max_length=200, blank=True)
    designated_on = models.DateField(null=True, blank=True)
    designated_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, blank=True
    )
    effects = models.JSONField(default=list)  # DesignationEffect codes
    status = models.CharField(
        max_length=14, choices=DesignationStatus.choices, default=DesignationStatus.ACTIVE
    )
    grounds_sealed = models.BinaryField(default=b"")
    grounds = Sealed["Designation"]()  # the grounds as stated: they name the person's work
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "listing_state"], name="designation_org_state")
        ]

    @property
    def effect_labels(self) -> list[str]:
        return [
            str(DesignationEffect(e).label) for e in self.effects if e in DesignationEffect.values
        ]


class DesignationStep(Scoped):
    designation = models.ForeignKey(Designation, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=20, choices=DesignationStepKind.choices)
    country = models.CharField(max_length=2)  # where: the listing state, or another
    filed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=StepOutcome.choices, default=StepOutcome.PENDING
    )
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "id"]


# Perpetrators, their incidents, the dossier and the lists' sanctions records: in a module of
# their own, imported here so that Django finds them.
from beyondreach.accountability.perpetrator_models import (  # noqa: E402, F401
    LegalBasis,
    ListSanction,
    Perpetrator,
    PerpetratorKind,
    PerpetratorLink,
    PerpetratorName,
    PerpetratorNameToken,
    SanctionsDossier,
    SanctionSource,
)
