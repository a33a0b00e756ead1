"""The rules of sharing, through the real services and selectors: the handshake, consent,
TLP, levels, live reading, revocation, and the audit events in both organisations."""

from __future__ import annotations

import pytest

from beyondreach.cases.inputs import NameData, PersonData
from beyondreach.cases.services import incident_update, person_update
from beyondreach.core.audit import audit_verify
from beyondreach.core.errors import NotFoundError, PermissionDeniedError
from beyondreach.core.models import AuditEvent, Organisation
from beyondreach.core.services import user_create
from beyondreach.sharing.export import shared_incident_view
from beyondreach.sharing.models import Agreement, AgreementStatus, Share
from beyondreach.sharing.selectors import (
    access_shared_incident,
    counted_summary_for,
    shared_incident_list_visible_to,
    shared_incidents_counted_for,
)
from beyondreach.sharing.services import (
    ConsentMissingError,
    SharingError,
    agreement_accept,
    agreement_end,
    agreement_propose,
    incident_share,
    share_revoke,
    shared_incident_viewed,
)

from ..cases.factories import incident_data
from ..conftest import PASSWORD, Personas
from .conftest import TITLE, Partners, consenting, record, share


def _events(org: Organisation, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(organisation=org, action=action).order_by("seq"))


# --- The handshake ----------------------------------------------------------------------


def test_an_admin_proposes_and_the_partners_admin_accepts(personas: Personas) -> None:
    b_admin = user_create(
        organisation=personas.other_org, username="bea", password=PASSWORD, role="admin"
    )
    agreement = agreement_propose(actor=personas.admin, partner_code=personas.other_org.uuid)
    assert agreement.status == AgreementStatus.PROPOSED
    with pytest.raises(SharingError, match="proposed to can accept"):
        agreement_accept(actor=personas.admin, agreement=agreement)  # not its own proposal
    agreement_accept(actor=b_admin, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE and agreement.accepted_by == b_admin
    for org in (personas.org, personas.other_org):
        assert [e.record_id for e in _events(org, "agreement.propose")] == [agreement.uuid]
        assert [e.actor for e in _events(org, "agreement.accept")] == [b_admin]
    with pytest.raises(SharingError, match="not waiting"):
        agreement_accept(actor=b_admin, agreement=agreement)


def test_only_admins_propose_and_only_to_another_known_organisation(partners: Partners) -> None:
    p = partners.personas
    with pytest.raises(PermissionDeniedError):
        agreement_propose(actor=p.case_worker, partner_code=partners.c_org.uuid)
    with pytest.raises(SharingError, match="No organisation has this sharing code"):
        agreement_propose(actor=p.admin, partner_code=p.case_worker.uuid)
    with pytest.raises(SharingError, match="your own organisation"):
        agreement_propose(actor=p.admin, partner_code=p.org.uuid)


def test_there_is_one_live_agreement_per_pair_whoever_proposes(partners: Partners) -> None:
    p = partners.personas
    with pytest.raises(SharingError, match="already a proposed or active agreement"):
        agreement_propose(actor=p.admin, partner_code=partners.b.uuid)
    with pytest.raises(SharingError, match="already a proposed or active agreement"):
        agreement_propose(actor=partners.b_admin, partner_code=partners.a.uuid)
    agreement_end(actor=partners.b_admin, agreement=partners.agreement)
    again = agreement_propose(actor=partners.b_admin, partner_code=partners.a.uuid)
    assert again.status == AgreementStatus.PROPOSED
    assert Agreement.objects.count() == 2


def test_a_share_needs_an_active_agreement(partners: Partners) -> None:
    incident = record(partners)
    proposal = agreement_propose(actor=partners.c_admin, partner_code=partners.a.uuid)
    with pytest.raises(SharingError, match="no active agreement") as refused:
        incident_share(
            actor=partners.a_case_worker,
            incident=incident,
            partner_id=partners.c_org.uuid,
            level="pseudonymised",
        )
    assert refused.value.field == "partner"
    agreement_end(actor=partners.c_admin, agreement=proposal)  # withdrawn
    assert Share.objects.count() == 0


def test_ending_the_agreement_closes_every_share_at_once(partners: Partners) -> None:
    shared = share(partners, record(partners))
    access_shared_incident(partners.b_case_worker, shared.incident.uuid)
    agreement_end(actor=partners.b_admin, agreement=partners.agreement)
    with pytest.raises(NotFoundError):
        access_shared_incident(partners.b_case_worker, shared.incident.uuid)
    shared.refresh_from_db()
    assert shared.revoked_at is not None and shared.revoked_by == partners.b_admin
    for org in (partners.a, partners.b):
        [event] = _events(org, "incident.share_revoke")
        assert event.detail["reason"] == "agreement_ended"
        assert _events(org, "agreement.end")
    with pytest.raises(SharingError, match="already ended"):
        agreement_end(actor=partners.personas.admin, agreement=partners.agreement)


# --- Consent ----------------------------------------------------------------------------


def test_a_full_share_is_refused_while_a_target_has_not_consented(partners: Partners) -> None:
    data = consenting()
    assert data.targets[1].person is not None
    data.targets[1].person.consent_share_partners = False  # the father did not agree
    incident = record(partners, data)
    with pytest.raises(ConsentMissingError) as refused:
        share(partners, incident, "full")
    assert refused.value.field == "level"
    assert [p.names.get().value for p in refused.value.persons] == ["Tokhti Akhmed"]
    assert "Tokhti" not in refused.value.message  # names go on the page, not in the error
    assert not Share.objects.exists() and not _events(partners.a, "incident.share")
    share(partners, incident, "pseudonymised")  # nothing identifying: no consent needed


def test_a_full_share_shows_names_to_the_partners_case_workers_only(partners: Partners) -> None:
    incident = record(partners, consenting())
    share(partners, incident, "full")
    seen = shared_incident_view(access_shared_incident(partners.b_case_worker, incident.uuid))
    assert seen["title"] == TITLE and seen["targets"][0]["name"] == "Gulnara Tokhtieva"
    assert seen["legal_mechanisms"][0]["reference"] == "A-1234/5-2023"
    for reader in (partners.b_analyst, partners.b_viewer):
        shared = access_shared_incident(reader, incident.uuid)
        assert not shared.identities
        assert shared.withheld_because == "your role does not see identities"
        view = shared_incident_view(shared)
        assert view["title"] == "[withheld]" and view["targets"][0]["name"] == "[withheld]"


def test_a_consent_withdrawn_after_sharing_withholds_the_names_at_once(
    partners: Partners,
) -> None:
    incident = record(partners, consenting())
    share(partners, incident, "full")
    father = incident.targets.get(role="relative").person
    withdrawn = PersonData(names=[NameData("Tokhti Akhmed", "Latn")])  # consent: False
    person_update(actor=partners.a_case_worker, person=father, data=withdrawn)
    shared = access_shared_incident(partners.b_case_worker, incident.uuid)
    assert not shared.identities
    assert shared.withheld_because == "a target has not agreed to sharing with partners"
    assert "Gulnara" not in str(shared_incident_view(shared))


# --- Levels -----------------------------------------------------------------------------


def test_a_pseudonymised_share_keeps_the_coded_facts_and_withholds_every_name(
    partners: Partners,
) -> None:
    incident = record(partners, consenting())
    share(partners, incident, "pseudonymised")
    shared = access_shared_incident(partners.b_admin, incident.uuid)
    assert not shared.identities and shared.withheld_because == "it was shared pseudonymised"
    view = shared_incident_view(shared)
    text = str(view)
    for secret in ("Gulnara", "Tokhti", "Гульнара", "A-1234", "news.example.org", "Example News"):
        assert secret not in text
    assert view["tactics"] == ["family_coercion", "host_detention", "interpol_abuse"]
    assert (view["origin_states"], view["host_countries"]) == (["CN"], ["TR"])
    assert view["targets"][0]["pseudonym"].startswith("P-")
    assert view["targets"][0]["target_group"] == "ethnic_or_religious_group"
    # The owner's internal ids and staff stay at home.
    assert "assignee" not in view and "person" not in view["targets"][0]
    assert "id" not in view["sources"][0]
    assert view["shared"]["by"] == "Safeguard Exiles"


def test_a_counted_only_share_opens_no_record_and_counts(partners: Partners) -> None:
    counted = record(partners)
    shared = record(partners)
    share(partners, counted, "counted")
    share(partners, shared, "pseudonymised")
    for reader in (partners.b_admin, partners.b_case_worker, partners.b_analyst):
        with pytest.raises(NotFoundError):
            access_shared_incident(reader, counted.uuid)
        assert [s.incident for s in shared_incident_list_visible_to(reader)] == [shared]
    assert set(shared_incidents_counted_for(partners.b)) == {counted, shared}
    assert not shared_incidents_counted_for(partners.a).exists()
    [summary] = counted_summary_for(partners.b_viewer)
    assert (summary.organisation, summary.counted, summary.counted_only) == (
        "Safeguard Exiles",
        2,
        1,
    )
    with pytest.raises(SharingError, match="no readers") as refused:
        incident_share(
            actor=partners.a_case_worker,
            incident=record(partners),
            partner_id=partners.b.uuid,
            level="counted",
            reader_ids=[partners.b_admin.uuid],
        )
    assert refused.value.field == "readers"


# --- TLP --------------------------------------------------------------------------------


def test_a_red_incident_goes_to_named_people_only(partners: Partners) -> None:
    incident = record(partners, tlp="red")
    with pytest.raises(SharingError, match="name the people at Other Network") as refused:
        share(partners, incident, "pseudonymised")
    assert refused.value.field == "readers"
    with pytest.raises(SharingError, match="cannot be counted") as refused:
        share(partners, incident, "counted")
    assert refused.value.field == "level"
    share(partners, incident, "pseudonymised", readers=[partners.b_analyst])
    assert access_shared_incident(partners.b_analyst, incident.uuid).incident == incident
    for other in (partners.b_admin, partners.b_case_worker, partners.b_viewer):
        with pytest.raises(NotFoundError):
            access_shared_incident(other, incident.uuid)
        assert not shared_incident_list_visible_to(other).exists()
    # Its facts may reach named people only, so it is not in the organisation's figures.
    assert not shared_incidents_counted_for(partners.b).exists()
    assert counted_summary_for(partners.b_admin) == []


def test_a_share_naming_people_stays_out_of_the_organisations_figures(
    partners: Partners,
) -> None:
    incident = record(partners)  # TLP:AMBER
    share(partners, incident, readers=[partners.b_case_worker])
    assert access_shared_incident(partners.b_case_worker, incident.uuid).incident == incident
    with pytest.raises(NotFoundError):
        access_shared_incident(partners.b_admin, incident.uuid)
    assert not shared_incidents_counted_for(partners.b).exists()
    assert counted_summary_for(partners.b_admin) == []


def test_named_readers_must_be_people_of_the_partner(partners: Partners) -> None:
    with pytest.raises(SharingError, match="Name people of Other Network only"):
        share(partners, record(partners, tlp="red"), readers=[partners.c_case_worker])


def test_raising_the_marking_to_red_closes_an_organisation_wide_share(
    partners: Partners,
) -> None:
    incident = record(partners)
    share(partners, incident)
    incident_update(actor=partners.a_case_worker, incident=incident, data=incident_data(tlp="red"))
    with pytest.raises(NotFoundError):
        access_shared_incident(partners.b_case_worker, incident.uuid)
    assert not shared_incidents_counted_for(partners.b).exists()


# --- Live reading, revocation -----------------------------------------------------------


def test_the_partner_reads_the_owners_live_record(partners: Partners) -> None:
    incident = record(partners, consenting())
    share(partners, incident, "full")
    incident_update(
        actor=partners.a_case_worker,
        incident=incident,
        data=consenting(incident_data(title="Poet deported to Urumqi", status="referred")),
    )
    view = shared_incident_view(access_shared_incident(partners.b_case_worker, incident.uuid))
    assert (view["title"], view["status"], view["version"]) == (
        "Poet deported to Urumqi",
        "referred",
        2,
    )


def test_revocation_closes_the_record_at_once_and_can_be_shared_again(
    partners: Partners,
) -> None:
    incident = record(partners)
    first = share(partners, incident)
    with pytest.raises(SharingError, match="already shared with Other Network"):
        share(partners, incident, "counted")
    with pytest.raises(NotFoundError):
        share_revoke(actor=partners.b_case_worker, share=first)  # not the owner
    with pytest.raises(PermissionDeniedError):
        share_revoke(actor=partners.personas.analyst, share=first)
    share_revoke(actor=partners.a_case_worker, share=first)
    with pytest.raises(NotFoundError):
        access_shared_incident(partners.b_case_worker, incident.uuid)
    assert not shared_incidents_counted_for(partners.b).exists()
    with pytest.raises(SharingError, match="already revoked"):
        share_revoke(actor=partners.a_case_worker, share=first)
    share(partners, incident, "counted")  # a new share, at another level
    assert Share.objects.filter(incident=incident).count() == 2


def test_only_the_owners_writers_share(partners: Partners) -> None:
    incident = record(partners)
    with pytest.raises(PermissionDeniedError):
        incident_share(
            actor=partners.personas.analyst,
            incident=incident,
            partner_id=partners.b.uuid,
            level="pseudonymised",
        )
    with pytest.raises(NotFoundError):  # B's case worker cannot re-share A's incident
        incident_share(
            actor=partners.b_case_worker,
            incident=incident,
            partner_id=partners.a.uuid,
            level="pseudonymised",
        )


def test_every_share_view_and_revocation_is_in_both_organisations_logs(
    partners: Partners,
) -> None:
    incident = record(partners)
    shared = share(partners, incident, "pseudonymised")
    seen = access_shared_incident(partners.b_analyst, incident.uuid)
    shared_incident_viewed(actor=partners.b_analyst, shared=seen, via="web")
    share_revoke(actor=partners.a_case_worker, share=shared)
    for org in (partners.a, partners.b):
        events = [
            e
            for e in AuditEvent.objects.filter(organisation=org, record_id=incident.uuid)
            if e.action.startswith("incident.share")
        ]
        assert [(e.action, e.actor) for e in events] == [
            ("incident.share", partners.a_case_worker),
            ("incident.share_view", partners.b_analyst),
            ("incident.share_revoke", partners.a_case_worker),
        ]
        assert {e.detail["share"] for e in events} == {str(shared.uuid)}
        assert events[1].detail["shown"] == "pseudonymised" and events[1].detail["via"] == "web"
        assert "Gulnara" not in str([e.detail for e in events])
    assert not AuditEvent.objects.filter(organisation=partners.c_org, record_id=incident.uuid)
    assert audit_verify() == []  # both chains still whole
