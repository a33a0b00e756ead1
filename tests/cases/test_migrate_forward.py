"""A database made before issue 9 migrates forward with every record intact.

The records are written through the historical models of that schema (tests/cases/pre_issue.py)
as the services of the time wrote them: sealed columns hold ciphertext made with the
organisation's data key (the format has not changed since), persons have their blind name
index, records their sealed versions, and every write its link in the audit chain. After
`migrate`, today's models, selectors and pages must read the same incidents, persons and
history.

When a migration of the issue moves data (host countries to their own table, targets that
are organisations or groups), adapt `_hosts_of` and `_incident_as_read`, and add the new
columns to `test_the_new_columns_have_their_documented_defaults`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.state import StateApps

from beyondreach.cases import models as m
from beyondreach.cases.documents import incident_document_open
from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.names import name_digests
from beyondreach.cases.selectors import (
    IncidentFilters,
    access_incident,
    access_person,
    incident_list_visible_to,
    person_ids_matching,
    record_history,
)
from beyondreach.core import crypto
from beyondreach.core.audit import GENESIS, audit_verify
from beyondreach.core.models import AuditEvent, User
from beyondreach.core.sealed import aad_for

from ..conftest import PASSWORD, verified_client
from .pre_issue import migrate_to_leaves, migrate_to_pre_issue

ORGS = {"main": "Safeguard Exiles", "other": "Other Network"}
# The user of each organisation who writes its records, and a reader who sees no identities.
WRITERS = {"main": "cora_caseworker", "other": "otto_outsider"}
ANALYST = "ana_analyst"

# Persons by key: the organisation, names (value, script, language) in the order entered.
PERSONS: dict[str, dict[str, Any]] = {
    "gulnara": {
        "org": "main",
        "names": [
            ("Gulnara Dawut", "Latn", "en"),
            ("Гульнара Давут", "Cyrl", "ru"),
            ("古丽娜尔·达吾提", "Hans", "zh"),
        ],
        "birth_date": "1984-03-02",
        "sex": "female",
        "nationalities": ["CN"],
        "residence_country": "DE",
        "residence_status": "refugee",
        "statuses": ["human_rights_defender"],
        "contact": "Signal +49 151 0000 0000",
        "risk_notes": "Brother questioned twice in Ürümqi.",
        "consent_share_partners": True,
    },
    "dilnur": {
        "org": "main",
        "names": [("Dilnur Dawut", "Latn", "en"), ("دىلنۇر داۋۇت", "Arab", "ug")],
        "sex": "male",
        "nationalities": ["CN"],
        "residence_country": "CN",
    },
    "ahmad": {
        "org": "main",
        "names": [("احمد رضایی", "Arab", "fa"), ("Ahmad Rezaei", "Latn", "")],
        "birth_date": "1979",
        "sex": "male",
        "nationalities": ["IR", "TR"],
        "residence_country": "TR",
        "residence_status": "asylum_seeker",
        "statuses": ["journalist"],
    },
    "wang": {
        "org": "main",
        "names": [("王伟", "Hans", "zh"), ("Wang Wei", "Latn", "")],
        "nationalities": ["CN"],
        "residence_country": "NL",
        "statuses": ["human_rights_defender"],
    },
    "olga": {"org": "other", "names": [("Ольга Петрова", "Cyrl", "ru")], "sex": "female"},
}

# What migration 0013 makes of each relation the specs below recorded as free text.
RELATION_AFTER_0013 = {"": "", "Brother ": "sibling"}

# Incidents by key. "red_notice" was created under `first_title`, status new, then edited.
INCIDENTS: dict[str, dict[str, Any]] = {
    "red_notice": {
        "org": "main",
        "title": "Red Notice against Gulnara Dawut, relatives questioned",
        "first_title": "Red Notice against a Uyghur defender",
        "narrative": "A Red Notice was issued in June 2019.\nHer brother was questioned twice.",
        "start_date": date(2019, 5, 1),
        "start_precision": "month",
        "end_date": date(2021, 2, 14),
        "end_precision": "day",
        "host_country": "DE",
        "origins": ["CN"],
        "tactics": ["family_coercion", "interpol_abuse"],
        "place": "Munich",
        "coordinates": "48.137,11.575",
        "status": "open",
        "verification": "corroborated",
        "assignee": True,
        "due_date": date(2021, 6, 30),
        "targets": [
            ("gulnara", "primary", "human_rights_defender", ""),
            # Free text, as the form took before migration 0013 made it a code.
            ("dilnur", "relative", "", "Brother "),
        ],
        "actors": [("perpetrator", "security_service", "CN", "Ministry of Public Security")],
        "mechanisms": [
            ("interpol_red_notice", "2019/41234-A", "CN", date(2019, 6, 3), "withdrawn"),
        ],
        "sources": [
            ("url", "https://example.org/statements/dawut", "Example Watch", "reliable", True),
            ("testimony", "Interview with the target", "", "usually_reliable", True),
        ],
        "responses": [("legal_challenge", "Request to the CCF to delete the notice", "granted")],
        "document": ("notice.pdf", b"%PDF-1.4 the notice", b"%PDF-1.4 the notice, cleaned"),
    },
    "istanbul": {
        "org": "main",
        "title": "Abduction attempt against Ahmad Rezaei in Istanbul",
        "narrative": "Two men tried to force him into a car.",
        "start_date": date(2022, 1, 1),
        "start_precision": "year",
        "host_country": "TR",
        "origins": ["IR"],
        "tactics": ["host_detention", "unlawful_deportation"],
        "status": "referred",
        "verification": "reported",
        "targets": [("ahmad", "primary", "journalist", "")],
        "actors": [("proxy", "criminal_group", "IR", "")],
        "sources": [("url", "https://example.org/news/rezaei", "", "unknown", False)],
        "responses": [("protection_measure", "Police protection requested", "pending")],
    },
    "police_station": {
        "org": "main",
        "title": "Summoned to an overseas police station",
        "start_date": date(2023, 9, 15),
        "start_precision": "approximate",
        "host_country": "NL",
        "origins": ["CN", "HK"],
        "tactics": ["overseas_police_station"],
        "tlp": "red",
        "targets": [("wang", "primary", "human_rights_defender", "")],
    },
    "elsewhere": {
        "org": "other",
        "title": "Poisoning in Berlin",
        "narrative": "Recorded by another organisation.",
        "start_date": date(2020, 8, 20),
        "host_country": "DE",
        "origins": ["RU"],
        "tactics": ["assassination"],
        "targets": [("olga", "primary", "", "")],
    },
}
INCIDENT_DEFAULTS: dict[str, Any] = {
    "narrative": "",
    "start_precision": "day",
    "end_date": None,
    "end_precision": "",
    "place": "",
    "coordinates": "",
    "tlp": "amber",
    "status": "new",
    "verification": "unverified",
    "assignee": False,
    "due_date": None,
    "targets": [],
    "actors": [],
    "mechanisms": [],
    "sources": [],
    "responses": [],
}


def _incident(key: str) -> dict[str, Any]:
    return {**INCIDENT_DEFAULTS, **INCIDENTS[key]}


def _person(key: str) -> dict[str, Any]:
    defaults = {"birth_date": "", "contact": "", "risk_notes": "", "sex": "unknown"}
    defaults |= {"nationalities": [], "residence_country": "", "residence_status": "unknown"}
    defaults |= {"statuses": [], "consent_share_partners": False}
    return defaults | PERSONS[key]


class _OldDatabase:
    """Writes the records as the pre-issue services did, through that schema's models."""

    def __init__(self, apps: StateApps) -> None:
        self.apps = apps
        self.clock = datetime(2021, 3, 1, 9, 0, tzinfo=UTC)
        self.chains: dict[int, tuple[int, str]] = {}
        self.keys: dict[int, crypto.OrgKeys] = {}
        self.orgs = {key: self._organisation(name) for key, name in ORGS.items()}
        self.users = {key: self._user(key, name, "case_worker") for key, name in WRITERS.items()}
        self._user("main", ANALYST, "analyst")
        self.persons = {key: self._person(key) for key in PERSONS}
        self.incidents = {key: self._incident(key) for key in INCIDENTS}

    def new(self, label: str, **values: Any) -> Any:
        return self.apps.get_model(*label.split("."))(**values)

    def sealed(self, row: Any, **texts: str) -> Any:
        """Seal as `core.sealed.Sealed` does: the row's organisation's key, bound to the row."""
        key = self.keys[row.organisation_id].data
        for name, text in texts.items():
            blob = crypto.seal(key, text.encode(), aad_for(row, name)) if text else b""
            setattr(row, f"{name}_sealed", blob)
        return row

    def tick(self) -> datetime:
        self.clock += timedelta(minutes=7, microseconds=1234)
        return self.clock

    def audit(
        self, org: Any, actor: Any, action: str, kind: str, record: Any, **detail: Any
    ) -> None:
        """The next link of the organisation's chain, hashed as the pre-issue audit_record did."""
        seq, prev = self.chains.get(org.pk, (0, GENESIS))
        event = self.new(
            "core.AuditEvent",
            organisation=org,
            seq=seq + 1,
            at=self.tick(),
            actor=actor,
            action=action,
            record_type=kind,
            record_id=record,
            detail=detail,
            prev_hash=prev,
        )
        fields = {
            "organisation": str(org.pk),
            "seq": event.seq,
            "at": event.at.isoformat(),
            "actor": str(actor.pk) if actor else None,
            "action": action,
            "record_type": kind,
            "record_id": str(record) if record else None,
            "detail": detail,
        }
        body = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
        event.hash = hashlib.sha256((prev + body).encode()).hexdigest()
        event.save()
        self.chains[org.pk] = (event.seq, event.hash)

    def version(self, record: Any, kind: str, snapshot: dict[str, Any], before: Any) -> None:
        """A sealed RecordVersion and its audit event, as the pre-issue `_version` wrote them."""
        changed = sorted(k for k in snapshot if before is None or before.get(k) != snapshot[k])
        action = "create" if before is None else "update"
        org = self.orgs[self._org_key(record.organisation_id)]
        actor = self.users[self._org_key(record.organisation_id)]
        row = self.new(
            "cases.RecordVersion",
            organisation=org,
            record_type=kind,
            record_uuid=record.uuid,
            version=snapshot["version"],
            at=self.tick(),
            actor=actor,
            action=action,
            changed_fields=changed,
        )
        self.sealed(row, snapshot=json.dumps(snapshot, sort_keys=True, default=str)).save()
        detail = {"fields": changed} if before is not None else {}
        self.audit(org, actor, f"{kind}.{action}", kind, record.uuid, **detail)

    def _org_key(self, org_id: int) -> str:
        return next(key for key, org in self.orgs.items() if org.pk == org_id)

    def _organisation(self, name: str) -> Any:
        data_key = crypto.new_key()
        wrapped = crypto.wrap_key(crypto.load_master_key(), data_key)
        org = self.new("core.Organisation", name=name, wrapped_data_key=wrapped)
        org.save()
        self.keys[org.pk] = crypto.keys_from_wrapped(wrapped)
        self.audit(org, None, "organisation.create", "organisation", org.uuid)
        return org

    def _user(self, org: str, username: str, role: str) -> Any:
        user = self.new(
            "core.User",
            username=username,
            password=make_password(PASSWORD),
            organisation=self.orgs[org],
            role=role,
        )
        user.save()
        self.audit(self.orgs[org], None, "user.create", "user", user.uuid, role=role)
        return user

    def _person(self, key: str) -> Any:
        spec = _person(key)
        org = self.orgs[spec["org"]]
        plain = ("sex", "nationalities", "residence_country", "residence_status", "statuses")
        person = self.new(
            "cases.Person",
            organisation=org,
            consent_share_partners=spec["consent_share_partners"],
            **{name: spec[name] for name in plain},
        )
        sealed = ("birth_date", "contact", "risk_notes")
        self.sealed(person, **{name: spec[name] for name in sealed}).save()
        for position, (value, script, language) in enumerate(spec["names"]):
            name = self.new(
                "cases.PersonName",
                organisation=org,
                person=person,
                script=script,
                language=language,
                position=position,
            )
            self.sealed(name, value=value).save()
        values = [name[0] for name in spec["names"]]
        for digest in sorted(name_digests(self.keys[org.pk].index, values)):
            self.new("cases.NameToken", organisation=org, person=person, digest=digest).save()
        self.version(person, "person", self._person_snapshot(person, spec), None)
        return person

    def _person_snapshot(self, person: Any, spec: dict[str, Any]) -> dict[str, Any]:
        names = [{"value": v, "script": s, "language": lang} for v, s, lang in spec["names"]]
        return {
            "id": str(person.uuid),
            "names": names,
            **{k: spec[k] for k in ("birth_date", "sex", "nationalities", "statuses")},
            **{k: spec[k] for k in ("residence_country", "residence_status", "contact")},
            "risk_notes": spec["risk_notes"],
            "consent": {"share_partners": spec["consent_share_partners"]},
            "version": 1,
        }

    def _incident(self, key: str) -> Any:
        spec = _incident(key)
        org, writer = self.orgs[spec["org"]], self.users[spec["org"]]
        edited = "first_title" in spec
        incident = self.new(
            "cases.Incident",
            organisation=org,
            created_by=writer,
            assignee=writer if spec["assignee"] else None,
            version=2 if edited else 1,
            **{name: spec[name] for name in _PLAIN_INCIDENT_FIELDS},
        )
        sealed = ("title", "narrative", "place", "coordinates")
        self.sealed(incident, **{name: spec[name] for name in sealed}).save()
        self._parts(incident, spec)
        after = _old_incident_snapshot(incident, spec, self.persons)
        if edited:
            first = after | {"title": spec["first_title"], "status": "new", "version": 1}
            self.version(incident, "incident", first, None)
            self.version(incident, "incident", after, first)
        else:
            self.version(incident, "incident", after, None)
        return incident

    def _parts(self, incident: Any, spec: dict[str, Any]) -> None:
        scope = {"organisation": incident.organisation, "incident": incident}
        day = spec["start_date"]
        for country in spec["origins"]:
            self.new("cases.IncidentOrigin", country=country, start_date=day, **scope).save()
        for tactic in spec["tactics"]:
            self.new("cases.IncidentTactic", tactic=tactic, start_date=day, **scope).save()
        for person, role, group, relation in spec["targets"]:
            self.new(
                "cases.IncidentTarget",
                person=self.persons[person],
                role=role,
                target_group=group,
                relation=relation,
                **scope,
            ).save()
        for role, kind, country, name in spec["actors"]:
            actor = self.new(
                "cases.IncidentActor", role=role, actor_type=kind, country=country, **scope
            )
            self.sealed(actor, name=name).save()
        for kind, reference, issued_by, issued_on, status in spec["mechanisms"]:
            mechanism = self.new(
                "cases.LegalMechanism",
                kind=kind,
                issued_by=issued_by,
                issued_on=issued_on,
                status=status,
                **scope,
            )
            self.sealed(mechanism, reference=reference).save()
        for kind, reference, publisher, reliability, independent in spec["sources"]:
            source = self.new(
                "cases.Source",
                kind=kind,
                reliability=reliability,
                independent=independent,
                **scope,
            )
            self.sealed(source, reference=reference, publisher=publisher).save()
        for kind, description, outcome in spec["responses"]:
            response = self.new("cases.Response", kind=kind, outcome=outcome, **scope)
            self.sealed(response, description=description).save()
        if "document" in spec:
            self._document(incident, *spec["document"])

    def _document(self, incident: Any, name: str, original: bytes, clean: bytes) -> None:
        doc = self.new(
            "cases.IncidentDocument",
            organisation=incident.organisation,
            incident=incident,
            media_type="application/pdf",
            size=len(original),
            added_on=date(2021, 3, 2),
            added_by=incident.created_by,
        )
        key = self.keys[incident.organisation_id].data
        doc.original_sealed = crypto.seal(key, original, aad_for(doc, "original"))
        doc.clean_sealed = crypto.seal(key, clean, aad_for(doc, "clean"))
        self.sealed(doc, name=name).save()


_PLAIN_INCIDENT_FIELDS = (
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "host_country",
    "tlp",
    "status",
    "verification",
    "due_date",
)


def _old_incident_snapshot(
    incident: Any, spec: dict[str, Any], persons: dict[str, Any]
) -> dict[str, Any]:
    """The JSON the pre-issue `incident_snapshot` kept in an incident's versions."""
    return {
        "id": str(incident.uuid),
        **{name: spec[name] for name in ("title", "narrative", "place", "coordinates")},
        **{name: spec[name] for name in _PLAIN_INCIDENT_FIELDS},
        "origin_states": sorted(spec["origins"]),
        "tactics": sorted(spec["tactics"]),
        "targets": [
            {"person": str(persons[p].uuid), "role": r, "target_group": g, "relation": rel}
            for p, r, g, rel in spec["targets"]
        ],
        "actors": [
            {"role": r, "actor_type": t, "country": c, "name": n} for r, t, c, n in spec["actors"]
        ],
        "verification_overridden": False,
        "verification_reason": "",
        "assignee": str(incident.assignee.uuid) if incident.assignee else None,
        "version": incident.version,
    }


@pytest.fixture
def old_database(master_key: bytes) -> Iterator[_OldDatabase]:
    """A database at the pre-issue schema with the records above, then migrated forward."""
    try:
        old = _OldDatabase(migrate_to_pre_issue(connection))
    finally:
        applied = migrate_to_leaves(connection)  # also when the build failed: the next tests
    assert any(name.startswith("cases ") for name in applied)
    yield old


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _hosts_of(incident: m.Incident) -> list[str]:
    """The incident's host countries, however today's model keeps them."""
    if hasattr(incident, "hosts"):  # a table of host countries
        return sorted(host.country for host in incident.hosts.all())
    return [incident.host_country] if incident.host_country else []


def _incident_as_read(incident: m.Incident) -> dict[str, Any]:
    """An incident as today's model reads it, in the shape of the specs above."""
    return {
        "org": "main" if incident.organisation.name == ORGS["main"] else "other",
        **{
            name: getattr(incident, name) for name in ("title", "narrative", "place", "coordinates")
        },
        **{
            name: getattr(incident, name)
            for name in _PLAIN_INCIDENT_FIELDS
            if name != "host_country"
        },
        "host_country": _hosts_of(incident),
        "origins": sorted(o.country for o in incident.origins.all()),
        "tactics": sorted(t.tactic for t in incident.tactics.all()),
        "assignee": incident.assignee is not None,
        "targets": [
            (t.person.uuid, t.role, t.target_group, t.relation) for t in incident.targets.all()
        ],
        "actors": [(a.role, a.actor_type, a.country, a.name) for a in incident.actors.all()],
        "mechanisms": [
            (x.kind, x.reference, x.issued_by, x.issued_on, x.status)
            for x in incident.mechanisms.all()
        ],
        "sources": [
            (s.kind, s.reference, s.publisher, s.reliability, s.independent)
            for s in incident.sources.all()
        ],
        "responses": [(r.kind, r.description, r.outcome) for r in incident.responses.all()],
    }


def _incident_as_written(key: str, old: _OldDatabase) -> dict[str, Any]:
    spec = _incident(key)
    spec.pop("first_title", None)
    spec.pop("document", None)
    spec["host_country"] = [spec["host_country"]]
    spec["origins"], spec["tactics"] = sorted(spec["origins"]), sorted(spec["tactics"])
    spec["targets"] = [
        (old.persons[p].uuid, role, group, RELATION_AFTER_0013[relation])
        for p, role, group, relation in spec["targets"]
    ]
    return spec


@pytest.mark.django_db(transaction=True)
def test_every_incident_reads_as_it_was_written(old_database: _OldDatabase) -> None:
    for key, written in old_database.incidents.items():
        reader = _user(WRITERS[INCIDENTS[key]["org"]])
        incident = access_incident(reader, written.uuid)
        assert _incident_as_read(incident) == _incident_as_written(key, old_database), key
        assert incident.pk == written.pk and incident.version == written.version
        assert incident_snapshot(incident)["title"] == INCIDENTS[key]["title"]
    assert m.Incident.objects.count() == len(INCIDENTS)


@pytest.mark.django_db(transaction=True)
def test_the_list_and_its_filters_find_the_migrated_incidents(old_database: _OldDatabase) -> None:
    uuids = {key: incident.uuid for key, incident in old_database.incidents.items()}
    case_worker = _user(WRITERS["main"])

    def found(**filters: Any) -> set[str]:
        listed = incident_list_visible_to(case_worker, IncidentFilters(**filters))
        return {key for key, u in uuids.items() if u in {i.uuid for i in listed}}

    assert found() == {"red_notice", "istanbul", "police_station"}
    assert found(origin="CN") == {"red_notice", "police_station"}
    assert found(tactic="host_detention") == {"istanbul"}
    assert found(target_group="human_rights_defender") == {"red_notice", "police_station"}
    assert found(date_from=date(2020, 1, 1), date_to=date(2020, 12, 31)) == {"red_notice"}
    assert found(q="Гульнара") == {"red_notice"}


@pytest.mark.django_db(transaction=True)
def test_every_person_keeps_names_in_every_script_and_is_found_by_them(
    old_database: _OldDatabase,
) -> None:
    for key, written in old_database.persons.items():
        spec = _person(key)
        reader = _user(WRITERS[spec["org"]])
        person = access_person(reader, written.uuid)
        assert [(n.value, n.script, n.language) for n in person.names.all()] == spec["names"]
        assert (person.birth_date, person.contact, person.risk_notes) == (
            spec["birth_date"],
            spec["contact"],
            spec["risk_notes"],
        )
        assert (person.sex, person.nationalities, person.statuses) == (
            spec["sex"],
            spec["nationalities"],
            spec["statuses"],
        )
        assert person.consent_share_partners is spec["consent_share_partners"]
        for value, _, _ in spec["names"]:
            assert person_ids_matching(reader, value) == [person.pk], value
    gulnara = old_database.persons["gulnara"].pk
    assert person_ids_matching(_user(WRITERS["main"]), "Gulnora Davut") == [gulnara]


@pytest.mark.django_db(transaction=True)
def test_the_history_of_each_record_reads_through_todays_selectors(
    old_database: _OldDatabase,
) -> None:
    case_worker = _user(WRITERS["main"])
    edited = record_history(case_worker, old_database.incidents["red_notice"].uuid)
    assert [entry.version.version for entry in edited] == [2, 1]
    assert [entry.action for entry in edited] == ["Edited", "Created"]
    changes = {change.label: (change.before, change.after) for change in edited[0].changes}
    assert changes["Title"] == (
        [INCIDENTS["red_notice"]["first_title"]],
        [INCIDENTS["red_notice"]["title"]],
    )
    assert changes["Status"] == (["New"], ["Open"])
    for key in ("istanbul", "police_station"):
        history = record_history(case_worker, old_database.incidents[key].uuid)
        assert [(e.version.version, e.action) for e in history] == [(1, "Created")]
    person = record_history(case_worker, old_database.persons["gulnara"].uuid)
    assert [(e.version.version, e.action) for e in person] == [(1, "Created")]
    # An analyst sees that there were edits, never what they were.
    analysed = record_history(_user(ANALYST), old_database.incidents["red_notice"].uuid)
    assert [len(entry.changes) for entry in analysed] == [0, 0]


@pytest.mark.django_db(transaction=True)
def test_the_audit_chain_still_verifies_and_grows(old_database: _OldDatabase) -> None:
    written = sum(seq for seq, _ in old_database.chains.values())
    assert AuditEvent.objects.count() == written
    assert audit_verify() == []
    case_worker = _user(WRITERS["main"])
    document = m.IncidentDocument.objects.get(
        incident__uuid=old_database.incidents["red_notice"].uuid
    )
    opened = incident_document_open(actor=case_worker, doc=document, clean=False)
    assert (opened.name, opened.data) == ("notice.pdf", INCIDENTS["red_notice"]["document"][1])
    assert AuditEvent.objects.count() == written + 1  # the file's reading, chained on
    assert audit_verify() == []


@pytest.mark.django_db(transaction=True)
def test_the_pages_show_the_migrated_records(old_database: _OldDatabase) -> None:
    client = verified_client(_user(WRITERS["main"]))
    incident = old_database.incidents["red_notice"]
    page = client.get(f"/incidents/{incident.uuid}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert INCIDENTS["red_notice"]["title"] in text and "Gulnara Dawut" in text
    assert INCIDENTS["red_notice"]["first_title"] in text  # the history, as edited
    listing = client.get("/incidents/").content.decode()
    assert INCIDENTS["istanbul"]["title"] in listing
    for key in ("gulnara", "ahmad"):
        person = client.get(f"/persons/{old_database.persons[key].uuid}/")
        assert person.status_code == 200
        assert all(name in person.content.decode() for name, _, _ in PERSONS[key]["names"])
    assert client.get(f"/incidents/{old_database.incidents['elsewhere'].uuid}/").status_code == 404


# New columns of records that existed before, by "model.field", whose migration derives the
# value from the old record rather than giving the field's default: what each row should hold.
DERIVED: dict[str, Callable[[Any], Any]] = {
    # 0010: the incidents of then had person targets only.
    "Incident.target_count": lambda incident: incident.targets.count(),
}


@pytest.mark.django_db(transaction=True)
def test_the_new_columns_have_their_documented_defaults(old_database: _OldDatabase) -> None:
    for incident in m.Incident.objects.all():
        assert (incident.scope, incident.scope_criteria, incident.scope_reason) == (
            m.Scope.IN_SCOPE,
            [],
            "",
        )
        assert incident.ongoing is False
    # Every other new column of a table that existed then holds its field's default.
    checked = 0
    for old_model in old_database.apps.get_app_config("cases").get_models():
        model = apps.get_model("cases", old_model.__name__)
        old_columns = {f.column for f in old_model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if field.column in old_columns or field.primary_key:
                continue
            label = f"{model.__name__}.{field.name}"
            for row in model.objects.all():
                value = getattr(row, field.attname)
                value = bytes(value) if isinstance(value, memoryview) else value
                expected = DERIVED[label](row) if label in DERIVED else field.get_default()
                assert value == expected, (label, row.pk)
                checked += 1
    assert checked >= 4 * len(INCIDENTS)  # scope, criteria, reason, ongoing at least
