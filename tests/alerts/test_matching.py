"""Who is alerted about a saved incident, when, and what the alert says."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from beyondreach.alerts.matching import alerts_match
from beyondreach.alerts.models import DigestItem, FocalPoint
from beyondreach.cases.models import Incident
from beyondreach.cases.services import incident_update
from beyondreach.core.models import AuditEvent
from beyondreach.outbox.channels import Email, Webhook
from beyondreach.outbox.models import Message

from ..cases.factories import incident_data
from ..conftest import Personas
from .helpers import (
    IDENTIFYING,
    NOT_URGENT,
    envelopes,
    everything_sent,
    focal_point,
    incident,
    subscribe,
)


def test_a_focal_point_gets_an_urgent_incident_in_its_country_by_mail_and_webhook(
    personas: Personas,
) -> None:
    _point, subscription, secret = focal_point(
        personas.admin, host_countries=["TR"], urgent_only=True
    )
    saved = incident(personas.case_worker, tactics=["extradition_request"])
    result = alerts_match(incident_id=saved.pk)
    assert result.urgent == [subscription] and result.digest == []
    mail, hook = envelopes()
    assert isinstance(mail, Email) and mail.to == ("asylum.unit@interior.example",)
    assert mail.subject == "[Beyond Reach] Urgent: incident in TR (extradition request)"
    assert f"/incidents/{saved.uuid}/" in mail.body and "login required" in mail.body
    assert isinstance(hook, Webhook) and hook.url == "https://alerts.interior.example/tnr"
    assert hook.secret == secret and hook.event == "incident.urgent"
    facts = hook.payload["incident"]
    assert facts["host_countries"] == ["TR"] and facts["origin_states"] == ["CN"]
    assert facts["tactics"] == ["extradition_request"]
    assert facts["urgent"] is True and facts["urgency_reasons"] == ["tactic:extradition_request"]


def test_an_incident_in_another_country_alerts_nobody(personas: Personas) -> None:
    focal_point(personas.admin, host_countries=["TR"], urgent_only=True)
    result = alerts_match(incident_id=incident(personas.case_worker, host_countries=["DE"]).pk)
    assert result.urgent == result.digest == [] and not Message.objects.exists()
    assert not AuditEvent.objects.filter(action="alert.match").exists()


def test_without_any_active_rule_the_incident_is_not_read_at_all(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    """An import of thousands of rows in an organisation without alert rules: matching costs
    three small queries per incident, not the incident with all its parts (bench/README.md)."""
    saved = incident(personas.case_worker, tactics=["extradition_request"])
    with django_assert_max_num_queries(3):
        assert alerts_match(incident_id=saved.pk).urgent == []
    # A rule, even one that will not match, makes it read and match the incident as before.
    focal_point(personas.admin, host_countries=["DE"], urgent_only=True)
    _point, subscription, _secret = focal_point(personas.admin, host_countries=["TR"])
    assert alerts_match(incident_id=saved.pk).urgent == [subscription]


def test_a_focal_point_gets_coded_facts_only_never_a_name_or_narrative(
    personas: Personas,
) -> None:
    focal_point(personas.admin)
    alerts_match(incident_id=incident(personas.case_worker).pk)
    sent = everything_sent()
    assert "TR" in sent and "host_detention" in sent  # the control: the facts are there
    for value in IDENTIFYING:
        assert value not in sent, value
    assert '"title"' not in sent and '"targets"' not in sent and "P-" not in sent


def test_a_tlp_red_incident_never_goes_to_a_focal_point(personas: Personas) -> None:
    focal_point(personas.admin)
    subscribe(personas.case_worker)
    result = alerts_match(incident_id=incident(personas.case_worker, tlp="red").pk)
    assert [s.user for s in result.urgent] == [personas.case_worker]
    (mail,) = envelopes()
    assert isinstance(mail, Email) and mail.to == ("cora_caseworker@ngo.example",)
    assert "Title: [withheld: TLP:RED]" in mail.body and "Uyghur poet" not in mail.body


def test_a_case_worker_reads_the_title_and_an_analyst_a_pseudonymised_alert(
    personas: Personas,
) -> None:
    subscribe(personas.case_worker)
    subscribe(personas.analyst)
    alerts_match(incident_id=incident(personas.case_worker).pk)
    to_worker = everything_sent(key__in=_keys_to("cora_caseworker@ngo.example"))
    to_analyst = everything_sent(key__in=_keys_to("ana_analyst@ngo.example"))
    assert "Title: Red Notice against a Uyghur poet in Istanbul" in to_worker
    assert "Title: [withheld]" in to_analyst and "Uyghur" not in to_analyst
    for text in (to_worker, to_analyst):
        assert "Target: P-" in text  # targets by pseudonym only, for every role
        for value in IDENTIFYING[1:]:
            assert value not in text, value


def _keys_to(address: str) -> list[str]:
    return [
        m.key
        for m in Message.objects.all()
        if isinstance(e := _load(m.envelope), Email) and address in e.to
    ]


def _load(text: str) -> Any:
    from beyondreach.outbox.channels import envelope_load

    return envelope_load(text)


def test_a_matching_incident_that_is_not_urgent_waits_for_the_digest(
    personas: Personas,
) -> None:
    _, urgent_only, _ = focal_point(personas.admin, urgent_only=True)
    everything = subscribe(personas.case_worker, tactics=["interpol_abuse"])
    result = alerts_match(incident_id=incident(personas.case_worker, tactics=NOT_URGENT).pk)
    assert result.urgent == [] and result.digest == [everything]
    assert not Message.objects.exists()
    assert list(DigestItem.objects.values_list("subscription_id", flat=True)) == [everything.pk]
    assert urgent_only.pk not in DigestItem.objects.values_list("subscription_id", flat=True)


@pytest.mark.parametrize(
    ("rule", "matches"),
    [
        ({"origin_states": ["CN", "RU"]}, True),
        ({"origin_states": ["RU"]}, False),
        ({"tactics": ["rendition", "host_detention"]}, True),
        ({"tactics": ["rendition"]}, False),
        ({"target_groups": ["ethnic_or_religious_group"]}, True),
        ({"target_groups": ["journalist"]}, False),
        ({"host_countries": ["TR"], "origin_states": ["CN"]}, True),
        ({"host_countries": ["TR"], "origin_states": ["IR"]}, False),
    ],
)
def test_every_part_of_a_rule_must_match(
    personas: Personas, rule: dict[str, list[str]], matches: bool
) -> None:
    subscribe(personas.viewer, **rule)
    result = alerts_match(incident_id=incident(personas.case_worker).pk)
    assert bool(result.urgent) is matches


def test_an_update_alerts_again_only_for_a_new_urgent_reason(personas: Personas) -> None:
    subscription = subscribe(personas.case_worker)
    saved = incident(personas.case_worker, tactics=["host_detention"])
    alerts_match(incident_id=saved.pk)
    assert Message.objects.count() == 1
    # A typo fixed: same reasons, so no second urgent alert; it goes to the digest.
    incident_update(
        actor=personas.case_worker,
        incident=saved,
        data=incident_data(title="Typo fixed", tactics=["host_detention"]),
    )
    result = alerts_match(incident_id=saved.pk)
    assert result.urgent == [] and result.digest == [subscription]
    assert Message.objects.count() == 1
    # Now an extradition request: a new reason, a new alert at once.
    incident_update(
        actor=personas.case_worker,
        incident=saved,
        data=incident_data(tactics=["host_detention", "extradition_request"]),
    )
    assert alerts_match(incident_id=saved.pk).urgent == [subscription]
    assert Message.objects.count() == 2


def test_matching_the_same_saved_version_twice_queues_one_message(personas: Personas) -> None:
    focal_point(personas.admin)
    saved = incident(personas.case_worker)
    alerts_match(incident_id=saved.pk)
    from beyondreach.alerts.models import UrgentAlert

    UrgentAlert.objects.all().delete()  # as if the first match's bookkeeping were lost
    alerts_match(incident_id=saved.pk)
    assert Message.objects.count() == 2  # mail and webhook, once each: the keys repeat


def test_nobody_unreachable_inactive_or_of_another_organisation_is_alerted(
    personas: Personas,
) -> None:
    from beyondreach.alerts.services import RuleData, subscription_create

    subscription_create(actor=personas.viewer, data=RuleData())  # no e-mail address
    paused = subscribe(personas.analyst)
    paused.active = False
    paused.save()
    subscribe(personas.outsider)  # another organisation's rule
    point, _, _ = focal_point(personas.admin)
    point.active = False
    point.save()
    result = alerts_match(incident_id=incident(personas.case_worker).pk)
    assert result.urgent == result.digest == [] and not Message.objects.exists()


def test_the_match_is_audited_with_who_was_told(personas: Personas) -> None:
    _, subscription, _ = focal_point(personas.admin)
    saved = incident(personas.case_worker)
    alerts_match(incident_id=saved.pk)
    event = AuditEvent.objects.get(action="alert.match")
    assert event.record_id == saved.uuid and event.actor is None
    assert event.detail == {
        "urgent": [str(subscription.uuid)],
        "digest": [],
        "reasons": ["tactic:host_detention"],
    }


def test_saving_an_incident_through_the_service_queues_the_alert_after_commit(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    focal_point(personas.admin, host_countries=["TR"])
    with django_capture_on_commit_callbacks(execute=True):
        incident(personas.case_worker)
    assert Message.objects.filter(kind="alert.urgent").count() == 2


def test_a_failing_matcher_never_fails_the_save(
    personas: Personas,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    point, _, _ = focal_point(personas.admin)
    # An altered row: the focal point's sealed address no longer opens, so matching fails.
    tampered = bytearray(FocalPoint.objects.get(pk=point.pk).email_sealed)
    tampered[-1] ^= 1
    FocalPoint.objects.filter(pk=point.pk).update(email_sealed=bytes(tampered))
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        saved = incident(personas.case_worker)
    assert Incident.objects.filter(pk=saved.pk).exists()
    assert f"matching failed for incident row {saved.pk}" in caplog.text
    assert "Uyghur" not in caplog.text and "interior.example" not in caplog.text
    assert not Message.objects.exists()


def test_webhook_payloads_are_plain_json(personas: Personas) -> None:
    focal_point(personas.admin)
    alerts_match(incident_id=incident(personas.case_worker).pk)
    (_, hook) = envelopes()
    assert isinstance(hook, Webhook)
    assert json.loads(json.dumps(hook.payload))["event"] == "incident.urgent"
