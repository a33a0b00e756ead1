"""Load fictional demo data: the demo organisations, their users, and N incidents.

Up to BULK_THRESHOLD incidents go through the real services (`incident_create`, and
`incident_update` for one in five), so every record has its history and audit events.
Beyond that, `beyondreach.demo.bulk` writes the same plans in batches, fast enough for a
million incidents.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import transaction

from beyondreach.cases import models as m
from beyondreach.cases.inputs import IncidentData, TargetData
from beyondreach.cases.services import incident_create, incident_update
from beyondreach.core.errors import ApplicationError
from beyondreach.core.models import Organisation, User
from beyondreach.core.services import organisation_create, user_create
from beyondreach.demo.plans import DemoPlanner, Plan

DEMO_PASSWORD = "demo passphrase for beyond reach"  # noqa: S105 - printed demo login, fictional data
DEMO_ORG = "Demo Exile Support"
PARTNER_ORG = "Demo Partner Network"
# An organisation without incidents, whose admin has proposed an agreement to the partner
# (demo/flows.py): the partner's admin has a proposal to accept.
THIRD_ORG = "Demo Legal Aid Collective"
DEMO_USERS = {
    DEMO_ORG: (
        ("demo_admin", "admin"),
        ("demo_caseworker", "case_worker"),
        ("demo_analyst", "analyst"),
        ("demo_viewer", "viewer"),
    ),
    PARTNER_ORG: (("demo_partner_admin", "admin"), ("demo_partner", "case_worker")),
    THIRD_ORG: (("demo_legal_admin", "admin"),),
}
INCIDENT_ORGS = (DEMO_ORG, PARTNER_ORG)  # the organisations the generated incidents go to
BULK_THRESHOLD = 2000
PARALLEL_FROM = 20_000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoOrgs:
    organisations: tuple[Organisation, Organisation]  # the main organisation, the partner
    writers: tuple[User, User]  # the case worker who records each one's incidents


def demo_orgs() -> DemoOrgs:
    """The demo organisations and their users, created if missing; the two that the
    generated incidents go to, with the case worker who records them."""
    orgs, writers = [], []
    for name, users in DEMO_USERS.items():
        org = Organisation.objects.filter(name=name).first() or organisation_create(name=name)
        for username, role in users:
            if not User.objects.filter(username=username).exists():
                user_create(organisation=org, username=username, password=DEMO_PASSWORD, role=role)
        if name not in INCIDENT_ORGS:
            continue
        writer = User.objects.filter(organisation=org, role="case_worker").order_by("pk").first()
        if writer is None:
            raise ApplicationError(f"{name} has no case worker to record the demo incidents.")
        orgs.append(org)
        writers.append(writer)
    return DemoOrgs((orgs[0], orgs[1]), (writers[0], writers[1]))


def demo_load(
    *,
    incidents: int,
    if_empty: bool,
    seed: int,
    mode: str = "auto",
    batch_size: int = 1000,
    workers: int = 0,
    progress: Progress | None = None,
) -> int | None:
    """Load `incidents` fictional incidents; return how many, or None if skipped (if_empty).

    `workers` processes share a bulk load (0: one per CPU, up to 4, from PARALLEL_FROM
    incidents on).
    """
    if incidents < 0 or batch_size < 1 or workers < 0:
        raise ApplicationError(
            "--incidents and --workers must be 0 or more, and --batch-size 1 or more."
        )
    if mode not in {"auto", "services", "bulk"}:
        raise ApplicationError(f"Unknown mode {mode!r}: auto, services or bulk.")
    if if_empty and Organisation.objects.exists():
        return None
    orgs = demo_orgs()
    if mode == "bulk" or (mode == "auto" and incidents > BULK_THRESHOLD):
        from beyondreach.demo.bulk import bulk_load

        if not workers:
            workers = min(os.cpu_count() or 1, 4) if incidents >= PARALLEL_FROM else 1
        bulk_load(
            seed=seed,
            count=incidents,
            orgs=orgs,
            batch_size=batch_size,
            workers=workers,
            progress=progress,
        )
    else:
        services_load(planner=DemoPlanner(seed), count=incidents, orgs=orgs, progress=progress)
    return incidents


def services_load(
    *, planner: DemoPlanner, count: int, orgs: DemoOrgs, progress: Progress | None = None
) -> None:
    """Record every plan through the services, in one transaction: all or nothing."""
    persons: dict[int, uuid.UUID] = {}
    with transaction.atomic():
        for plan in planner.plans(count):
            _record(plan, orgs, persons)
            if progress and (plan.number + 1) % 100 == 0:
                progress(plan.number + 1, count)


def _record(plan: Plan, orgs: DemoOrgs, persons: dict[int, uuid.UUID]) -> None:
    writer = orgs.writers[plan.organisation]
    final = replace(
        plan.data,
        targets=_targets(plan, persons),
        assignee_uuid=writer.uuid if plan.assigned else None,
    )
    first = _first_draft(final) if plan.revised else final
    incident = incident_create(actor=writer, data=first)
    rows = m.IncidentTarget.objects.filter(incident=incident).order_by("pk")
    for target, person_uuid in zip(
        plan.targets, rows.values_list("person__uuid", flat=True), strict=True
    ):
        persons[target.person] = person_uuid
    if plan.revised:
        incident_update(
            actor=writer, incident=incident, data=replace(final, targets=_targets(plan, persons))
        )


def _targets(plan: Plan, persons: dict[int, uuid.UUID]) -> list[TargetData]:
    return [
        TargetData(
            role=t.role,
            target_group=t.target_group,
            relation=t.relation,
            person=t.new,
            person_uuid=persons.get(t.person),
        )
        for t in plan.targets
    ]


def _first_draft(data: IncidentData) -> IncidentData:
    """What was known first: a new case with one source, before triage and follow-up."""
    return replace(
        data,
        status="new",
        sources=data.sources[:1],
        responses=[],
        due_date=None,
        assignee_uuid=None,
        verification_override="",
        verification_reason="",
    )
