"""Plant canaries in every sealed field through the real services, then change them all.

After `plant` the database holds, for each canary of version v1, only history (sealed
snapshots), rows deleted by the update (child rows, replaced names, name tokens) and the
pages those rows once sat in; the v2 canaries sit in the live rows. A plain copy anywhere
is a leak.

Run as a script (``python -c 'from tests.core.plant import main; main()' canaries.json``) it
writes a real SQLite file for the WAL test: see test_encryption_at_rest.py.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from beyondreach.cases import models as m
from beyondreach.cases.inputs import (
    ActorData,
    GroupData,
    IncidentData,
    MechanismData,
    NameData,
    OrganisationData,
    PersonData,
    ResponseData,
    SourceData,
    TargetData,
)
from beyondreach.cases.selectors import access_incident, access_person, person_ids_matching
from beyondreach.cases.services import (
    incident_create,
    incident_update,
    person_update,
    record_viewed,
)
from beyondreach.core.models import User

from ..cases.factories import incident_data


@dataclass
class Planted:
    incident: m.Incident
    primary: m.Person
    relatives: list[m.Person]


def _names(c: Mapping[str, str], v: str) -> list[NameData]:
    return [
        NameData(c[f"{v} primary name ({script})"], script)
        for script in ("Latn", "Cyrl", "Hans", "Arab")
    ]


def _person(c: Mapping[str, str], v: str) -> PersonData:
    return PersonData(
        names=_names(c, v),
        birth_date=c[f"{v} person.birth_date"],
        contact=c[f"{v} person.contact"],
        risk_notes=c[f"{v} person.risk_notes"],
        nationalities=["CN"],
        residence_country="TR",
    )


def _incident(c: Mapping[str, str], v: str, primary: TargetData) -> IncidentData:
    return incident_data(
        title=c[f"{v} incident.title"],
        narrative=(
            f"Followed from the consulate. {c[f'{v} incident.narrative (Cyrillic)']} "
            f"{c[f'{v} incident.narrative (Chinese)']}"
        ),
        place=c[f"{v} incident.place"],
        coordinates=c[f"{v} incident.coordinates"],
        verification_override="disputed",
        verification_reason=c[f"{v} incident.verification_reason"],
        scope="borderline",
        scope_criteria=["cross_border"],
        scope_reason=c[f"{v} incident.scope_reason"],
        targets=[
            primary,
            TargetData(
                role="relative",
                relation="parent",
                person=PersonData(names=[NameData(c[f"{v} relative name (Latn)"], "Latn")]),
            ),
        ],
        groups=[GroupData(size=40, description=c[f"{v} group.description"])],
        organisations=[OrganisationData(name=c[f"{v} organisation.name"], kind="media_outlet")],
        actors=[
            ActorData(
                role="perpetrator", actor_type="police", country="CN", name=c[f"{v} actor.name"]
            )
        ],
        mechanisms=[
            MechanismData(
                kind="interpol_red_notice",
                issued_by="CN",
                status="active",
                reference=c[f"{v} mechanism.reference (Red Notice)"],
            )
        ],
        sources=[
            SourceData(
                reference=c[f"{v} source.reference (URL)"],
                publisher=c[f"{v} source.publisher"],
                reliability="reliable",
                independent=True,
            )
        ],
        responses=[ResponseData(kind="referral", description=c[f"{v} response.description"])],
    )


def plant(actor: User, canaries: Mapping[str, str]) -> Planted:
    """Create with the v1 canaries, then replace every value with its v2 canary."""
    created = incident_create(
        actor=actor,
        data=_incident(
            canaries,
            "v1",
            TargetData(role="primary", target_group="journalist", person=_person(canaries, "v1")),
        ),
    )
    primary = created.targets.get(role="primary").person
    person_update(
        actor=actor, person=access_person(actor, primary.uuid), data=_person(canaries, "v2")
    )
    incident = incident_update(
        actor=actor,
        incident=access_incident(actor, created.uuid),
        data=_incident(
            canaries,
            "v2",
            TargetData(role="primary", target_group="journalist", person_uuid=primary.uuid),
        ),
    )
    record_viewed(actor=actor, record_type="incident", record=incident)
    # A name search, as a case worker types it: the query must leave no trace either.
    found = person_ids_matching(actor, canaries["v2 primary name (Cyrl)"])
    assert found == [primary.pk], "the planted person is not found by name"
    relatives = list(
        m.Person.objects.filter(organisation_id=primary.organisation_id).exclude(pk=primary.pk)
    )
    return Planted(incident=incident, primary=primary, relatives=relatives)


def main() -> None:
    """Migrate the database named by BEYONDREACH_DATABASE_URL, plant, and hold it open.

    Prints one JSON line when the rows are written, then waits for a line on stdin before
    closing the connection, so that the test can read the -wal and -shm files while they
    exist (SQLite checkpoints and removes them when the last connection closes).
    """
    from django.core.management import call_command
    from django.db import connection

    from beyondreach.core.services import organisation_create, user_create

    with open(sys.argv[1], encoding="utf-8") as fh:
        payload = json.load(fh)
    call_command("migrate", verbosity=0)
    # Log every SQL statement with its parameters: they must carry ciphertext only.
    connection.force_debug_cursor = True
    logging.getLogger("django").setLevel(logging.DEBUG)
    organisation_create(name=payload["control"])
    org = organisation_create(name="Safeguard Exiles")
    actor = user_create(
        organisation=org, username="cora", password="a long test passphrase 42", role="case_worker"
    )
    plant(actor, payload["canaries"])
    with connection.cursor() as cursor:
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        secure_delete = cursor.execute("PRAGMA secure_delete").fetchone()[0]
    print(json.dumps({"journal_mode": journal, "secure_delete": secure_delete}), flush=True)
    sys.stdin.readline()
    connection.close()
