"""The `ftm` export: FollowTheMoney entities that followthemoney itself validates and reads
back, whose references resolve inside the file, and which name nobody when pseudonymised."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from django.test import override_settings
from followthemoney import model
from followthemoney.cli.aggregate import aggregate
from followthemoney.cli.cli import validate
from followthemoney.cli.util import path_entities
from followthemoney.entity import ValueEntity
from followthemoney.proxy import EntityProxy

from beyondreach.cases.export import WITHHELD, incident_snapshot
from beyondreach.cases.inputs import TargetData
from beyondreach.cases.models import Incident
from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.models import User
from beyondreach.core.sealed import org_keys
from beyondreach.interchange.export_formats.ftm import FORMAT, SANCTION_NOTE
from beyondreach.interchange.exports import export_incidents
from beyondreach.interchange.formats import ExportContext, Snapshot, export_formats

from ..conftest import Personas
from .export_cases import CANARY, SECRETS, TEST_ID_KEY, rich_incident

OWNER = ExportContext(pseudonymised=False, id_key=TEST_ID_KEY)
PSEUDONYMISED = ExportContext(pseudonymised=True, id_key=TEST_ID_KEY)


def _export(snapshots: list[Snapshot], context: ExportContext) -> bytes:
    return b"".join(FORMAT.write(snapshots, context))


def _entities(content: bytes) -> list[EntityProxy]:
    return [model.get_proxy(json.loads(line), cleaned=False) for line in content.splitlines()]


def _by_schema(entities: list[EntityProxy], schema: str) -> list[EntityProxy]:
    return [e for e in entities if e.schema.name == schema]


def _assert_valid(content: bytes) -> list[EntityProxy]:
    """Every line an entity that followthemoney accepts as it is: its schema's validation,
    its required properties present, values unchanged by cleaning, references resolved."""
    entities = _entities(content)
    ids = {e.id for e in entities}
    for line, entity in zip(content.splitlines(), entities, strict=True):
        raw = json.loads(line)
        assert entity.schema.validate(raw) is None
        assert entity.properties == raw["properties"], "a value changed when cleaned again"
        for required in entity.schema.required:
            assert entity.get(required), f"{entity.schema.name} lacks {required}"
        for prop, value in entity.itervalues():
            if prop.type.name == "entity":
                assert value in ids, f"{entity.schema.name}.{prop.name} -> {value} unresolved"
                assert model.get_proxy(_find(entities, value).to_dict()).schema.is_a(prop.range)
    return entities


def _find(entities: list[EntityProxy], id_: str) -> EntityProxy:
    return next(e for e in entities if e.id == id_)


def test_the_format_is_found_by_its_code() -> None:
    assert export_formats()["ftm"] is FORMAT


def test_an_owner_export_validates_and_maps_each_part(personas: Personas) -> None:
    incident = rich_incident(personas.case_worker)
    snapshot = incident_snapshot(incident)
    entities = _assert_valid(_export([snapshot], OWNER))

    [event] = _by_schema(entities, "Event")
    assert event.get("name") == [SECRETS["title"]]
    assert event.get("summary") == [SECRETS["narrative"]]
    assert event.get("startDate") == ["2024-03"]  # known to the month only
    assert sorted(event.get("country")) == ["cn", "tr"]
    assert event.get("sourceUrl") == [SECRETS["source_url"]]
    people = {p.first("name"): p for p in _by_schema(entities, "Person")}
    assert set(people) == {SECRETS["primary"], SECRETS["relative"]}
    primary = people[SECRETS["primary"]]
    assert set(event.get("involved")) >= {p.id for p in people.values()}

    links = {
        (_find(entities, link.first("subject") or "").first("name"), link.first("role"))
        for link in _by_schema(entities, "UnknownLink")
    }
    assert (SECRETS["primary"], "Primary target") in links
    assert (SECRETS["relative"], "Relative: Parent") in links
    assert (SECRETS["actor"], "Perpetrator") in links
    assert ("Police (TR)", "Facilitating host authority") in links
    assert {o.schema.name for o in entities if o.id in event.get("organizer")} == {"PublicBody"}

    notice, cancellation = _by_schema(entities, "Sanction")
    assert notice.get("entity") == [primary.id]  # the notice is against the primary target
    assert notice.get("program") == ["INTERPOL Red Notice"]
    assert notice.get("authority") == ["INTERPOL"] and notice.get("country") == ["cn"]
    assert notice.get("authorityId") == [SECRETS["notice"]]
    assert notice.get("startDate") == ["2023-05"] and notice.get("status") == ["Active"]
    assert notice.get("summary") == [SANCTION_NOTE]
    assert cancellation.get("program") == ["Passport cancellation"]
    [passport] = _by_schema(entities, "Passport")
    assert passport.get("holder") == [primary.id]
    assert passport.get("number") == [SECRETS["passport"]]
    [outlet] = _by_schema(entities, "Organization")
    assert outlet.get("name") == [SECRETS["organisation"]] and outlet.get("country") == ["tr"]


def test_a_pseudonymised_export_names_nobody_even_from_a_full_snapshot(
    personas: Personas,
) -> None:
    incident = rich_incident(personas.case_worker)
    snapshot = incident_snapshot(incident)  # identities included: the writer must drop them
    content = _export([snapshot], PSEUDONYMISED)
    entities = _assert_valid(content)

    text = content.decode()
    for what, secret in SECRETS.items():
        assert secret not in text, what
    assert CANARY not in text and WITHHELD not in text
    # Nor a record's internal id, which a reader with other files could join on.
    assert snapshot["id"] not in text
    assert not any(t["person"] in text for t in snapshot["targets"])
    names = {p.first("name") for p in _by_schema(entities, "Person")}
    assert names == {t["pseudonym"] for t in snapshot["targets"]}
    assert not _by_schema(entities, "Passport")  # its number names the holder
    [notice, _] = _by_schema(entities, "Sanction")
    assert notice.get("authorityId") == [] and notice.get("program") == ["INTERPOL Red Notice"]
    [event] = _by_schema(entities, "Event")
    name = event.first("name") or ""
    assert "INTERPOL Red Notice or Diffusion" in name and name.endswith(": CN in TR (2024)")


def test_a_snapshot_already_withheld_gives_no_placeholder_either(personas: Personas) -> None:
    snapshot = incident_snapshot(rich_incident(personas.case_worker), identities=False)
    text = _export([snapshot], OWNER).decode()
    _assert_valid(text.encode())
    assert WITHHELD not in text
    assert SECRETS["primary"] not in text and SECRETS["narrative"] not in text


def test_followthemoney_reads_the_file_back_and_merges_a_person_of_two_incidents(
    personas: Personas, tmp_path: Path
) -> None:
    first = rich_incident(personas.case_worker)
    person_uuid = first.targets.get(role="primary").person.uuid
    second = rich_incident(
        personas.case_worker, targets=[TargetData(role="primary", person_uuid=person_uuid)]
    )
    path = tmp_path / "export.ftm.json"
    path.write_bytes(_export([incident_snapshot(i) for i in (first, second)], PSEUDONYMISED))

    read = list(path_entities(path, ValueEntity, cleaned=False))
    assert len(read) == len(path.read_bytes().splitlines())
    runner = CliRunner()
    checked = runner.invoke(validate, ["-i", str(path), "-o", str(tmp_path / "valid.json")])
    assert checked.exit_code == 0, checked.output
    assert (tmp_path / "valid.json").read_bytes().count(b"\n") == len(read)
    merged = runner.invoke(aggregate, ["-i", str(path), "-o", str(tmp_path / "merged.json")])
    assert merged.exit_code == 0, merged.output
    aggregated = list(path_entities(tmp_path / "merged.json", ValueEntity))
    people = [e for e in aggregated if e.schema.name == "Person"]
    assert len(people) == 2  # the poet once, though in both incidents; her father once
    events = [e for e in aggregated if e.schema.name == "Event"]
    assert len(events) == 2


def test_ids_are_stable_keyed_and_not_the_records_uuids(personas: Personas) -> None:
    snapshot = incident_snapshot(rich_incident(personas.case_worker))
    ids = [e.id for e in _entities(_export([snapshot], PSEUDONYMISED))]
    assert ids == [e.id for e in _entities(_export([snapshot], PSEUDONYMISED))]
    assert len(ids) == len(set(ids))
    assert not any(snapshot["id"] in i or snapshot["id"].replace("-", "") in i for i in ids)
    another = ExportContext(pseudonymised=True, id_key=b"another organisation's key, 32 b")
    assert not {e.id for e in _entities(_export([snapshot], another))} & set(ids)


def test_ids_are_keyed_by_the_organisation_not_the_server_s_secret_key(
    personas: Personas,
) -> None:
    """A leaked SECRET_KEY (every web process holds it) must not match ids to records, and
    two organisations' files do not share ids."""
    rich_incident(personas.case_worker)
    rich_incident(personas.outsider)

    def exported(viewer: User) -> set[str]:
        found = export_incidents(viewer=viewer, filters=IncidentFilters(), format="ftm")
        return {json.loads(line)["id"] for line in b"".join(found.chunks).splitlines()}

    ours = exported(personas.case_worker)
    with override_settings(SECRET_KEY="another server's key, long enough to be a key......"):
        assert exported(personas.case_worker) == ours
    theirs = exported(personas.outsider)
    assert ours and theirs and not ours & theirs
    key = org_keys(personas.org.pk).pseudonym
    mine = ExportContext(pseudonymised=False, id_key=key)
    [snapshot] = [incident_snapshot(i) for i in Incident.objects.filter(organisation=personas.org)]
    assert {e.id for e in _entities(_export([snapshot], mine))} == ours


def test_the_writer_streams_one_incident_at_a_time(personas: Personas) -> None:
    snapshot = incident_snapshot(rich_incident(personas.case_worker))
    taken: list[int] = []

    def records() -> Iterator[dict[str, Any]]:
        for n in range(3):
            taken.append(n)
            yield dict(snapshot, id=f"{snapshot['id'][:-1]}{n}")

    chunks = FORMAT.write(records(), OWNER)
    first = next(chunks)
    assert taken == [0] and first.endswith(b"\n")
    assert len(list(chunks)) == 2 and taken == [0, 1, 2]
