"""An import: the uploaded file (sealed: it holds names and narratives), how its columns and
words map to our fields and codes, its progress and its result; and, per incident imported,
the external id it came from, so the same file imported twice changes nothing."""

from __future__ import annotations

from django.db import models

from beyondreach.cases.models import Incident, Person, Scoped, TargetedOrganisation
from beyondreach.core.models import User
from beyondreach.core.sealed import Sealed


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", "To map and check"
    QUEUED = "queued", "Waiting to run"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportFormat(models.TextChoices):
    FH = "fh", "Freedom House-style incident rows"
    CSV = "csv", "Spreadsheet rows (CSV or XLSX), one incident per row or per id"
    UWAZI = "uwazi", "Uwazi CSV, one entity per row"
    BEYONDREACH = "beyondreach", "Beyond Reach transfer file, encrypted to this organisation"


class ImportJob(Scoped):
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(max_length=12, choices=ImportFormat.choices)
    # The file as uploaded, base64 (Sealed holds text), and its name: both may name people.
    filename_sealed = models.BinaryField(default=b"")
    filename = Sealed["ImportJob"]()
    content_sealed = models.BinaryField(default=b"")
    content = Sealed["ImportJob"]()
    # The header, the column mapping {column: field} and the value mapping
    # {field: {their word: our code}}: words of coded fields, which name nobody.
    columns = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    values = models.JSONField(default=dict)
    # How the file writes what the mapping cannot tell: {"date_format": "DD/MM/YYYY"} for
    # an Uwazi file whose dates read either way round.
    options = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.MAPPING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Persons of the file found recorded already: linked to them, or made new but listed for
    # a case worker to review, [{"row", "person", "candidates": [uuid], "why": [[...]]}]:
    # row numbers, person ids and reasons in words, no name.
    linked = models.PositiveIntegerField(default=0)
    reviews = models.JSONField(default=list)
    # Each rejected row's errors, JSON [{"row", "column", "value", "why"}]: values may be names.
    errors_sealed = models.BinaryField(default=b"")
    errors = Sealed["ImportJob"]()
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class ImportedRecord(models.Model):
    """An incident that came from an import: the blind index of its external id (the id
    column, or a digest of the row) and a digest of what the file said, so that importing
    again skips what is unchanged and updates what was corrected."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    external_key = models.CharField(max_length=32)
    digest = models.CharField(max_length=32)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey(ImportJob, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_key"], name="imported_record_once"
            )
        ]


class TransferKey(Scoped):
    """An organisation's keys for `beyondreach` transfer files (interchange/transfer.py): an
    X25519 pair to receive (files are encrypted to `public_key`) and an Ed25519 pair to send
    (its files are signed with `signing_key`, checked with `verify_key`). Both public halves
    are given to partners, as one string (`exchange`); the private halves are sealed with
    the organisation's data key. A retired key still opens files made for it, and is no
    longer offered to senders nor used to sign."""

    public_key = models.CharField(max_length=44, unique=True)  # base64, not secret
    private_key_sealed = models.BinaryField(default=b"")
    private_key = Sealed["TransferKey"]()  # base64
    # Empty on a key made before files were signed, until it first signs (transfer.py).
    verify_key = models.CharField(max_length=44, default="", blank=True, db_index=True)
    signing_key_sealed = models.BinaryField(default=b"")
    signing_key = Sealed["TransferKey"]()  # base64 of the Ed25519 seed
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def exchange(self) -> str:
        """Both public keys as one string, for an admin to give a partner once."""
        return f"{self.public_key}:{self.verify_key}"


class TrustedSender(Scoped):
    """A partner's verify key that the organisation's admin saved, under a name, as a sender
    of transfer files it knows (a key of an organisation of this server is known without).
    The name is sealed: which organisations exchange records is itself sensitive."""

    verify_key = models.CharField(max_length=44)  # base64, not secret
    name_sealed = models.BinaryField(default=b"")
    name = Sealed["TrustedSender"]()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "verify_key"], name="trusted_sender_once"
            )
        ]


class ImportedPart(models.Model):
    """A person or targeted organisation that came from a transfer file, by the blind index
    of its UUID at the sender, so that one person named in several incidents, of one file
    or of several, is made once."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    external_key = models.CharField(max_length=32)
    digest = models.CharField(max_length=32)  # of what the file said of it
    person = models.ForeignKey(Person, null=True, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(
        TargetedOrganisation, null=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_key"], name="imported_part_once"
            )
        ]
