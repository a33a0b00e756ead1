"""INTERPOL cases (issue 12, item 1): a Red Notice against a defended person, linked to the
incident it caused; a request to the CCF whose clock, from admissibility, is a deadline with
its reminder; the decision and its grounds coded; steps in host countries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from beyondreach.accountability import models as am
from beyondreach.accountability.selectors import interpol_counts
from beyondreach.accountability.services import (
    CaseData,
    add_months,
    ccf_decision,
    ccf_request_admissible,
    ccf_request_file,
    interpol_case_create,
    national_step_add,
)
from beyondreach.alerts.deadlines import deadlines_due
from beyondreach.alerts.reminders import reminders_send
from beyondreach.alerts.services import user_email_set
from beyondreach.cases import models as cm
from beyondreach.cases.services import incident_create
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import AuditEvent
from beyondreach.outbox.services import outbox_deliver_due

from ..cases.factories import incident_data
from ..conftest import Personas, verified_client
from ..outbox.receivers import MailBox

CHARGE = "Membership of a terrorist organisation (Article 314) CANARY-charge"


def _case(personas: Personas, **fields: object) -> am.InterpolCase:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    person = incident.targets.get(role="primary").person
    data = CaseData(
        kind="red_notice",
        issuing_state="TR",
        incident_uuids=[incident.uuid],
        issued_on=dt.date(2023, 5, 1),
        issued_precision="month",
        reference="A-1234/5-2023",
        charge=CHARGE,
    )
    for name, value in fields.items():
        setattr(data, name, value)
    return interpol_case_create(actor=personas.case_worker, person=person, data=data)


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        ((2025, 1, 31), 9, (2025, 10, 31)),
        ((2025, 10, 31), 4, (2026, 2, 28)),
        ((2023, 10, 31), 4, (2024, 2, 29)),
        ((2025, 3, 15), 4, (2025, 7, 15)),
    ],
)
def test_months_are_added_as_a_calendar_adds_them(
    day: tuple[int, int, int], months: int, due: tuple[int, int, int]
) -> None:
    assert add_months(dt.date(*day), months) == dt.date(*due)


def test_a_correction_request_found_admissible_is_due_nine_months_later_with_a_reminder(
    personas: Personas, mailbox: MailBox
) -> None:
    case = _case(personas)
    today = dt.date.today()
    request = ccf_request_file(
        actor=personas.case_worker,
        case=case,
        kind="correction_deletion",
        filed_on=add_months(today, -10),
    )
    assert request.deadline is None  # no clock before admissibility
    admissible = add_months(today, -9) + dt.timedelta(days=3)
    ccf_request_admissible(actor=personas.case_worker, request=request, admissible_on=admissible)
    request.refresh_from_db()
    due = add_months(admissible, 9)
    assert request.deadline is not None and request.deadline.due_on == due
    [on_board] = [d for d in deadlines_due(case.organisation_id, due) if d.kind == "appeal"]
    assert on_board.due_on == due

    # The incident is assigned to nobody: who started the clock is reminded.
    assert request.deadline.assignee == personas.case_worker
    user_email_set(actor=personas.case_worker, email="cora@ngo.example")
    due_in = (due - today).days
    assert due_in <= 7  # admissible nine months less three days ago: the week's reminder
    assert reminders_send() == 1
    assert outbox_deliver_due().sent == 1
    (mail,) = mailbox.wait_for(1)
    assert mail["Subject"] == f"[Beyond Reach] Reminder: Appeal or challenge deadline on {due}"


def test_the_decision_is_coded_and_stops_the_clock(personas: Personas) -> None:
    case = _case(personas)
    request = ccf_request_file(
        actor=personas.case_worker,
        case=case,
        kind="access",
        filed_on=dt.date(2025, 1, 10),
        admissible_on=dt.date(2025, 2, 1),
    )
    assert request.deadline is not None
    assert request.deadline.due_on == dt.date(2025, 6, 1)
    ccf_decision(
        actor=personas.case_worker,
        request=request,
        outcome="deleted",
        grounds=["article_3", "refugee_status"],
        decided_on=dt.date(2025, 5, 20),
    )
    request.refresh_from_db()
    assert request.deadline is not None and request.deadline.done_at is not None
    assert request.ground_labels == [
        "Article 3: political, military, religious or racial character",
        "Refugee status of the person",
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"interpol_case.create", "interpol_case.ccf_decision", "deadline.done"} <= actions


def test_bad_input_names_each_field_and_writes_nothing(personas: Personas) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _case(personas, kind="purple_notice", issuing_state="XX", incident_uuids=[])
    assert set(caught.value.errors) == {"kind", "issuing_state", "incidents"}
    case = _case(personas)
    with pytest.raises(InvalidInputError) as caught:
        ccf_request_file(
            actor=personas.case_worker,
            case=case,
            kind="access",
            filed_on=dt.date(2025, 3, 1),
            admissible_on=dt.date(2025, 2, 1),
        )
    assert set(caught.value.errors) == {"admissible_on"}
    assert am.CcfRequest.objects.count() == 0
    with pytest.raises(InvalidInputError):
        national_step_add(actor=personas.case_worker, case=case, country="TR", kind="x", on=None)


def test_only_writers_of_the_organisation_write(personas: Personas) -> None:
    case = _case(personas)
    with pytest.raises(PermissionDeniedError):
        national_step_add(actor=personas.analyst, case=case, country="TR", kind="arrest", on=None)
    with pytest.raises(NotFoundError):
        national_step_add(actor=personas.outsider, case=case, country="TR", kind="arrest", on=None)
    step = national_step_add(
        actor=personas.admin, case=case, country="tr", kind="arrest", on=dt.date(2023, 6, 2)
    )
    assert (step.country, step.kind) == ("TR", "arrest")


def test_the_charge_and_number_are_sealed_and_shown_only_to_roles_that_see_identities(
    personas: Personas,
) -> None:
    case = _case(personas)
    with connection.cursor() as cursor:
        cursor.execute("SELECT charge_sealed, reference_sealed FROM accountability_interpolcase")
        for column in cursor.fetchone():
            assert b"CANARY" not in bytes(column) and b"A-1234" not in bytes(column)
    page = verified_client(personas.case_worker).get(f"/interpol/{case.uuid}/").content.decode()
    assert "CANARY-charge" in page and "A-1234/5-2023" in page
    analyst = verified_client(personas.analyst).get(f"/interpol/{case.uuid}/").content.decode()
    assert "Red Notice" in analyst and "Türkiye" in analyst
    assert "CANARY" not in analyst and "A-1234" not in analyst
    person: cm.Person = case.person
    assert not any(n.value in analyst for n in person.names.all())


def test_notices_are_counted_by_issuing_state_and_year_and_decisions_by_grounds(
    personas: Personas,
) -> None:
    for state, issued in (
        ("TR", dt.date(2023, 5, 1)),
        ("TR", dt.date(2024, 2, 1)),
        ("CN", dt.date(2023, 1, 9)),
        ("TR", None),
    ):
        case = _case(personas, issuing_state=state, issued_on=issued)
    decided = ccf_request_file(
        actor=personas.case_worker, case=case, kind="access", filed_on=dt.date(2025, 1, 1)
    )
    ccf_decision(
        actor=personas.case_worker,
        request=decided,
        outcome="deleted",
        grounds=["article_3", "article_2"],
        decided_on=dt.date(2025, 4, 1),
    )
    ccf_request_file(  # pending: not a decision
        actor=personas.case_worker, case=case, kind="access", filed_on=dt.date(2025, 5, 1)
    )
    _case(personas.__class__(**{**vars(personas), "case_worker": personas.outsider}))

    counts = interpol_counts(personas.analyst)
    assert counts.years == [2023, 2024, None]
    assert counts.by_state == [("TR", [1, 1, 1], 3), ("CN", [1, 0, 0], 1)]
    assert (
        dict(counts.by_ground)["Article 3: political, military, religious or racial character"] == 1
    )
    assert dict(counts.by_ground)["Refugee status of the person"] == 0
    assert (counts.decided, counts.by_outcome) == (1, [("Not compliant: data deleted", 1)])
    page = verified_client(personas.viewer).get("/interpol/").content.decode()
    assert "Notices and diffusions by issuing state and year issued" in page


def test_a_clock_past_the_calendar_is_refused_by_field_in_the_form_and_the_service(
    personas: Personas,
) -> None:
    """A CCF clock adds nine months: admissible in December 9999 would overflow (was a 500)."""
    case = _case(personas)
    client = verified_client(personas.case_worker)
    form = {"kind": "correction_deletion", "filed_on": "9999-06-01", "admissible_on": "9999-06-02"}
    response = client.post(f"/interpol/{case.uuid}/ccf/", form)
    assert response.status_code == 400
    assert "Give a date between 1900 and 2200." in response.content.decode()
    with pytest.raises(InvalidInputError) as caught:
        ccf_request_file(
            actor=personas.case_worker,
            case=case,
            kind="access",
            filed_on=dt.date(9999, 6, 1),
            admissible_on=dt.date(9999, 12, 2),
        )
    assert set(caught.value.errors) == {"filed_on", "admissible_on"}
    assert am.CcfRequest.objects.count() == 0
