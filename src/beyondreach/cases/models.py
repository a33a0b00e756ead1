"""The record of an incident of transnational repression (see docs/data-model.md).

Identifying values (names, contacts, narratives, places, notice ids, source addresses) live
only in ``*_sealed`` columns, encrypted with the organisation's data key through `Sealed`.
Coded values (countries, tactics, dates, statuses) are plain so they can be filtered and
counted. Every table carries ``organisation`` so that every query is scoped by it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from beyondreach.core.indexes import NewestFirstIndex
from beyondreach.core.models import Organisation, User
from beyondreach.core.sealed import Sealed


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    SEASON = "season", "Season"  # the date is the first day of the season's first month
    YEAR = "year", "Year"
    APPROXIMATE = "approximate", "Approximate"
    UNKNOWN = "unknown", "Unknown"  # no date: the date column is empty, and sorts last


class Tlp(models.TextChoices):
    RED = "red", "TLP:RED"
    AMBER = "amber", "TLP:AMBER"
    GREEN = "green", "TLP:GREEN"
    CLEAR = "clear", "TLP:CLEAR"


class CaseStatus(models.TextChoices):
    NEW = "new", "New"
    TRIAGE = "triage", "Triage"
    OPEN = "open", "Open"
    REFERRED = "referred", "Referred"
    CLOSED = "closed", "Closed"


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified (no source)"
    REPORTED = "reported", "Reported (not corroborated)"
    CORROBORATED = "corroborated", "Corroborated (two independent, reliable sources)"
    DISPUTED = "disputed", "Disputed"


class Scope(models.TextChoices):
    """The organisation's judgement of whether an incident is transnational repression."""

    IN_SCOPE = "in_scope", "In scope"
    BORDERLINE = "borderline", "Borderline"
    OUT_OF_SCOPE = "out_of_scope", "Out of scope"


class HostReason(models.TextChoices):
    """Why an incident has no host country: where it took effect is not a country of
    residence, or is not known. Blank when host countries are given."""

    UNKNOWN = "unknown", "Not known"
    IN_TRANSIT = "in_transit", "In transit (airspace, at sea, a border)"
    ONLINE_ONLY = "online_only", "Online only"
    ORIGIN_ONLY = "origin_only", "Origin state only (relatives at home)"


class ScopeCriterion(models.TextChoices):
    """The criteria an organisation applies to judge the scope (docs/data-model.md)."""

    CROSS_BORDER = "cross_border", "Cross-border element"
    STATE_OR_PROXY = "state_or_proxy", "State or proxy perpetrator"
    TARGET_ACTIVITY = "target_activity", "Targeted for their activity, identity or origin"


class Scoped(models.Model):
    """A row of one organisation, exposed by UUID."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Incident(Scoped):
    title_sealed = models.BinaryField(default=b"")
    title = Sealed["Incident"]()
    narrative_sealed = models.BinaryField(default=b"")
    narrative = Sealed["Incident"]()
    start_date = models.DateField(null=True, blank=True)  # empty: precision "unknown"
    start_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(max_length=12, choices=DatePrecision.choices, blank=True)
    # A campaign still going on: no end date, and it overlaps every period from its start.
    ongoing = models.BooleanField(default=False)
    # Host countries are rows of IncidentHost; with none, the reason why.
    host_reason = models.CharField(max_length=12, choices=HostReason.choices, blank=True)
    # A host country that is also an origin state looks like domestic repression: kept only
    # when the case worker confirmed it (docs/data-model.md).
    host_origin_confirmed = models.BooleanField(default=False)
    place_sealed = models.BinaryField(default=b"")
    place = Sealed["Incident"]()  # city or region
    coordinates_sealed = models.BinaryField(default=b"")
    coordinates = Sealed["Incident"]()  # "lat,lon"; precise places can identify a home
    tlp = models.CharField(max_length=5, choices=Tlp.choices, default=Tlp.AMBER)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.NEW)
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    # The effective status: derived from the sources unless a person overrode it.
    verification = models.CharField(
        max_length=12, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verification_overridden = models.BooleanField(default=False)
    verification_reason_sealed = models.BinaryField(default=b"")
    verification_reason = Sealed["Incident"]()
    # Kept whatever the judgement: an out-of-scope incident stays on record, and analyses
    # leave it out of their counts by default.
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.IN_SCOPE)
    scope_criteria = models.JSONField(default=list, blank=True)  # ScopeCriterion codes met
    scope_reason_sealed = models.BinaryField(default=b"")
    scope_reason = Sealed["Incident"]()
    # How many people and organisations it targeted: persons (a group's known members are
    # in its count), organisations, and each group by its size. Kept with the incident by
    # the services (cases/rows.py), so that a count of targets is a sum of one column.
    target_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            NewestFirstIndex(
                fields=["organisation", "-start_date", "-id"], name="incident_org_date"
            ),
            NewestFirstIndex(
                fields=["organisation", "status", "-start_date"], name="incident_org_status"
            ),
            NewestFirstIndex(
                fields=["organisation", "verification", "-start_date"], name="incident_org_verif"
            ),
            NewestFirstIndex(
                fields=["organisation", "scope", "-start_date"], name="incident_org_scope"
            ),
        ]


class IncidentOrigin(models.Model):
    """One origin (perpetrator) state of an incident, ISO 3166-1 alpha-2."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="origins")
    country = models.CharField(max_length=2)
    # The incident's start date, copied so that one index serves both a filter on the
    # country and the list's newest-first order (bench/README.md). Written with the row:
    # the services recreate an incident's origins on every save.
    start_date = models.DateField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "country"], name="origin_once")]
        indexes = [
            NewestFirstIndex(
                fields=["organisation", "country", "-start_date", "-incident"],
                name="origin_org_country_date",
            )
        ]


class IncidentHost(models.Model):
    """One host country of an incident: where the target lives or the act took effect."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="hosts")
    country = models.CharField(max_length=2)
    start_date = models.DateField(null=True)  # the incident's, as IncidentOrigin.start_date

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "country"], name="host_once")]
        indexes = [
            NewestFirstIndex(
                fields=["organisation", "country", "-start_date", "-incident"],
                name="host_org_country_date",
            )
        ]


class IncidentTactic(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tactics")
    tactic = models.CharField(max_length=40)  # a code of vocab "tactics"
    start_date = models.DateField(null=True)  # the incident's, as IncidentOrigin.start_date

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "tactic"], name="tactic_once")]
        indexes = [
            NewestFirstIndex(
                fields=["organisation", "tactic", "-start_date", "-incident"],
                name="tactic_org_code_date",
            )
        ]


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class ResidenceStatus(models.TextChoices):
    REFUGEE = "refugee", "Refugee"
    ASYLUM_SEEKER = "asylum_seeker", "Asylum seeker"
    RESIDENT = "resident", "Resident"
    CITIZEN = "citizen", "Citizen"
    UNKNOWN = "unknown", "Unknown"


class Person(Scoped):
    birth_date_sealed = models.BinaryField(default=b"")
    birth_date = Sealed["Person"]()  # "1984-03-02" or "1984": both identify
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    nationalities = models.JSONField(default=list)  # ISO 3166-1 alpha-2 codes
    residence_country = models.CharField(max_length=2, blank=True)
    residence_status = models.CharField(
        max_length=14, choices=ResidenceStatus.choices, default=ResidenceStatus.UNKNOWN
    )
    statuses = models.JSONField(default=list)  # codes of vocab "person_statuses"
    contact_sealed = models.BinaryField(default=b"")
    contact = Sealed["Person"]()
    risk_notes_sealed = models.BinaryField(default=b"")
    risk_notes = Sealed["Person"]()
    consent_share_partners = models.BooleanField(default=False)
    consent_share_authorities = models.BooleanField(default=False)
    consent_public_statistics = models.BooleanField(default=False)
    # Set when the person was found to be another one recorded twice and merged into it:
    # kept, so that the merge can be undone, but no longer listed or found by name.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class PersonName(Scoped):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    value_sealed = models.BinaryField(default=b"")
    value = Sealed["PersonName"]()
    script = models.CharField(max_length=4, blank=True)  # ISO 15924: Latn, Cyrl, Arab, Hans
    language = models.CharField(max_length=8, blank=True)  # BCP 47: ug, ru, zh
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]  # the order the case worker entered them


class NameToken(models.Model):
    """Blind index of normalised, transliterated name tokens (see cases/names.py)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["organisation", "digest"], name="nametoken_lookup")]


class TargetRole(models.TextChoices):
    PRIMARY = "primary", "Primary target"
    RELATIVE = "relative", "Relative"
    ASSOCIATE = "associate", "Associate"
    BYSTANDER = "bystander", "Bystander"


class TargetRelation(models.TextChoices):
    """How a target relates to the primary target. A code, not free text: it is stored in the
    clear and shown to roles that see no identities, so it must never be able to hold a name."""

    PARENT = "parent", "Parent"
    CHILD = "child", "Child"
    SIBLING = "sibling", "Sibling"
    SPOUSE = "spouse", "Spouse or partner"
    OTHER_FAMILY = "other_family", "Other family member"
    COLLEAGUE = "colleague", "Colleague or employer"
    LAWYER = "lawyer", "Lawyer"
    FRIEND = "friend", "Friend or associate"
    OTHER = "other", "Other"


class IncidentGroup(Scoped):
    """A group targeted as one: "317 people stripped of nationality", "11 people designated".
    Counted by its size; the members known by name are person targets linked to it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="groups")
    target_group = models.CharField(max_length=40, blank=True)  # vocab "target_groups"
    size = models.PositiveIntegerField()
    country = models.CharField(max_length=2, blank=True)  # where they live, if one country
    description_sealed = models.BinaryField(default=b"")
    description = Sealed["IncidentGroup"]()  # "students of one university": can identify

    class Meta:
        ordering = ["id"]


class IncidentTargetGroup(models.Model):
    """One target group an incident reached, through a person or a group target: the
    groups of its targets, once each, kept by the services with the targets (cases/rows.py)
    and dated like IncidentOrigin, so the list filters and statistics count by one table."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="target_group_codes"
    )
    target_group = models.CharField(max_length=40)  # vocab "target_groups"
    start_date = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "target_group"], name="target_group_once")
        ]
        indexes = [
            NewestFirstIndex(
                fields=["organisation", "target_group", "-start_date", "-incident"],
                name="target_group_org_code_date",
            )
        ]


class OrganisationKind(models.TextChoices):
    MEDIA = "media_outlet", "Media outlet"
    NGO = "ngo", "Non-governmental organisation"
    COMPANY = "company", "Company or business"
    COMMUNITY = "community_group", "Community group or association"
    OTHER = "other", "Other organisation"


class TargetedOrganisation(Scoped):
    """An organisation targeted by incidents (a media outlet, an NGO, a company), recorded
    once by the organisation that holds the records. Not `core.Organisation`, the tenant."""

    name_sealed = models.BinaryField(default=b"")
    name = Sealed["TargetedOrganisation"]()
    kind = models.CharField(max_length=16, choices=OrganisationKind.choices)
    country = models.CharField(max_length=2, blank=True)  # where it is registered or works
    created_at = models.DateTimeField(auto_now_add=True)
    # Recorded twice and merged into another (cases/merges.py): kept for the undo, unlisted.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class IncidentOrganisation(Scoped):
    """An organisation as a target of an incident."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="organisation_targets"
    )
    target = models.ForeignKey(
        TargetedOrganisation, on_delete=models.PROTECT, related_name="targetings"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "target"], name="organisation_target_once")
        ]


class IncidentTarget(Scoped):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="targets")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="targetings")
    role = models.CharField(max_length=10, choices=TargetRole.choices)
    target_group = models.CharField(max_length=40, blank=True)  # vocab "target_groups"
    relation = models.CharField(max_length=16, blank=True, choices=TargetRelation.choices)
    # A known member of a group target: counted in the group's size, not again.
    group = models.ForeignKey(
        IncidentGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )

    class Meta:
        ordering = ["id"]  # entry order, so exports and history diffs are stable
        constraints = [models.UniqueConstraint(fields=["incident", "person"], name="target_once")]
        indexes = [
            models.Index(
                fields=["organisation", "target_group", "incident"], name="target_org_group"
            )
        ]


class ActorRole(models.TextChoices):
    PERPETRATOR = "perpetrator", "Perpetrator"
    PROXY = "proxy", "Proxy"
    HOST_AUTHORITY = "host_authority", "Facilitating host authority"
    COMPANY = "company", "Complicit company"


class IncidentActor(Scoped):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actors")
    role = models.CharField(max_length=16, choices=ActorRole.choices)
    actor_type = models.CharField(max_length=40)  # vocab "actor_types"
    country = models.CharField(max_length=2, blank=True)
    name_sealed = models.BinaryField(default=b"")
    name = Sealed["IncidentActor"]()

    class Meta:
        ordering = ["id"]


class MechanismKind(models.TextChoices):
    RED_NOTICE = "interpol_red_notice", "INTERPOL Red Notice"
    DIFFUSION = "interpol_diffusion", "INTERPOL Diffusion"
    EXTRADITION = "extradition_request", "Extradition request"
    TERRORIST_DESIGNATION = "terrorist_designation", "Terrorist or extremist designation"
    IN_ABSENTIA = "conviction_in_absentia", "Conviction in absentia"
    PASSPORT = "passport_cancellation", "Passport cancellation"
    DENATIONALISATION = "denationalisation", "Denationalisation"


class MechanismStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CHALLENGED = "challenged", "Challenged"
    WITHDRAWN = "withdrawn", "Withdrawn or deleted"
    REFUSED = "refused", "Refused"
    ENFORCED = "enforced", "Enforced"
    UNKNOWN = "unknown", "Unknown"


class LegalMechanism(Scoped):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="mechanisms")
    kind = models.CharField(max_length=24, choices=MechanismKind.choices)
    reference_sealed = models.BinaryField(default=b"")
    reference = Sealed["LegalMechanism"]()  # e.g. the INTERPOL notice id: it names the person
    issued_by = models.CharField(max_length=40, blank=True)  # country code or body (UN, EU...)
    issued_on = models.DateField(null=True, blank=True)
    issued_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    status = models.CharField(
        max_length=12, choices=MechanismStatus.choices, default=MechanismStatus.UNKNOWN
    )
    status_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Reliability(models.TextChoices):
    RELIABLE = "reliable", "Reliable"
    USUALLY_RELIABLE = "usually_reliable", "Usually reliable"
    UNKNOWN = "unknown", "Cannot be judged"
    UNRELIABLE = "unreliable", "Unreliable"


RELIABLE_ENOUGH = frozenset({Reliability.RELIABLE, Reliability.USUALLY_RELIABLE})


class SourceKind(models.TextChoices):
    URL = "url", "Web page"
    DOCUMENT = "document", "Document"
    TESTIMONY = "testimony", "Testimony"


class Source(Scoped):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=10, choices=SourceKind.choices, default=SourceKind.URL)
    reference_sealed = models.BinaryField(default=b"")
    reference = Sealed["Source"]()  # URL or document title: can lead to the target
    publisher_sealed = models.BinaryField(default=b"")
    publisher = Sealed["Source"]()
    published_on = models.DateField(null=True, blank=True)
    reliability = models.CharField(
        max_length=16, choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    # Independent of the incident's parties and of the other sources recorded.
    independent = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class IncidentDocument(Scoped):
    """A file kept with an incident (a court summons, a screenshot, a Red Notice): the
    original for evidence and a copy without metadata, both sealed with the data key, and
    the file name sealed too. Kept on the incident, not on a source row, because an edit of
    the incident replaces its source rows."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="documents")
    name_sealed = models.BinaryField(default=b"")
    name = Sealed["IncidentDocument"]()
    media_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    original_sealed = models.BinaryField()
    clean_sealed = models.BinaryField()
    added_on = models.DateField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]


class ResponseKind(models.TextChoices):
    REFERRAL = "referral", "Referral"
    PROTECTION = "protection_measure", "Protection measure"
    LEGAL = "legal_challenge", "Legal challenge"


class Outcome(models.TextChoices):
    PENDING = "pending", "Pending"
    GRANTED = "granted", "Granted or successful"
    PARTIAL = "partial", "Partly successful"
    REFUSED = "refused", "Refused or failed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Response(Scoped):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=20, choices=ResponseKind.choices)
    description_sealed = models.BinaryField(default=b"")
    description = Sealed["Response"]()
    started_on = models.DateField(null=True, blank=True)
    started_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class PersonMerge(Scoped):
    """One person merged into another, and what moved, so that it can be undone: the
    incidents whose target moved, the names copied to the survivor, and the targets dropped
    because the survivor was already a target of the same incident (ids and codes only:
    nothing sealed here). The merged person keeps its own names, for the undo."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved_incidents = models.JSONField(default=list)  # incident ids
    copied_names = models.JSONField(default=list)  # PersonName ids on the survivor
    dropped_targets = models.JSONField(default=list)  # [{"incident", "role", ...}]
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class OrganisationMerge(Scoped):
    """A targeted organisation merged into another, and what moved, so that it can be undone:
    the incidents whose target row moved, and those where the survivor was a target already
    (the merged one's row was dropped). Ids only: nothing sealed here."""

    survivor = models.ForeignKey(TargetedOrganisation, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(TargetedOrganisation, on_delete=models.PROTECT, related_name="+")
    moved_incidents = models.JSONField(default=list)  # incident ids
    dropped_incidents = models.JSONField(default=list)  # incident ids
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class RecordVersion(models.Model):
    """Every saved state of an incident or person, sealed; the record's history."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=20)
    record_uuid = models.UUIDField()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20)
    changed_fields = models.JSONField(default=list)  # names only, never values
    snapshot_sealed = models.BinaryField(default=b"")
    snapshot = Sealed["RecordVersion"]()  # JSON of the full record at this version

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_uuid", "version"], name="version_once")
        ]
