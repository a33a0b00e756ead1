"""Writes of alerts: subscriptions, focal points, the user's alert address, deadlines.

Each runs in a transaction and writes its audit event. Users manage their own
subscriptions; admins manage focal points and their subscriptions. Validation of the
domain (codes, addresses, URLs) lives here, so a form and any later API refuse the same.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from beyondreach.alerts.models import Deadline, FocalPoint, Subscription
from beyondreach.alerts.selectors import DeadlineBoard
from beyondreach.cases import models as cm
from beyondreach.core.access import writer_org
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import Organisation, Role, User
from beyondreach.outbox.channels.webhook import url_problem
from beyondreach.outbox.signing import secret_new
from beyondreach.vocab.loader import vocabulary

NAME_MAX, NOTE_MAX, URL_MAX = 200, 500, 500


def _audit(actor: User, action: str, record_type: str, record_id: uuid.UUID, **detail: Any) -> None:
    assert actor.organisation is not None
    audit_record(
        organisation=actor.organisation,
        actor=actor,
        action=action,
        record_type=record_type,
        record_id=record_id,
        detail=detail,
    )


def _member_org(actor: User) -> Organisation:
    if actor.organisation is None or not actor.is_active:
        raise PermissionDeniedError("You are not a member of an organisation.")
    return actor.organisation


def _admin_org(actor: User) -> Organisation:
    org = _member_org(actor)
    if actor.role != Role.ADMIN:
        raise PermissionDeniedError("Only an admin manages focal points.")
    return org


# --- The user's own alert address -------------------------------------------------------


def user_email_set(*, actor: User, email: str) -> User:
    """The address the user's own alerts and reminders go to."""
    _member_org(actor)
    email = email.strip()
    _check_email(email, "email", required=True)
    with transaction.atomic():
        actor.email = email
        actor.save(update_fields=["email"])
        _audit(actor, "user.email_set", "user", actor.uuid)
    return actor


def _check_email(email: str, field_name: str, *, required: bool) -> None:
    if not email and not required:
        return
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInputError({field_name: ["Enter a valid e-mail address."]}) from exc


# --- Subscriptions ----------------------------------------------------------------------


@dataclass
class RuleData:
    origin_states: list[str] = field(default_factory=list)
    host_countries: list[str] = field(default_factory=list)
    tactics: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    urgent_only: bool = False
    active: bool = True


def rule_validate(data: RuleData) -> None:
    countries = {c.alpha_2 for c in pycountry.countries}
    checks = [
        ("origin_states", data.origin_states, countries, "country code"),
        ("host_countries", data.host_countries, countries, "country code"),
        ("tactics", data.tactics, set(vocabulary("tactics").terms), "tactic"),
        ("target_groups", data.target_groups, set(vocabulary("target_groups").terms), "group"),
    ]
    errors = {
        name: [f"Unknown {what}: {', '.join(sorted(set(bad)))}."]
        for name, values, known, what in checks
        if (bad := [v for v in values if v not in known])
    }
    if errors:
        raise InvalidInputError(errors)


def _apply_rule(subscription: Subscription, data: RuleData) -> None:
    subscription.origin_states = sorted(set(data.origin_states))
    subscription.host_countries = sorted(set(data.host_countries))
    subscription.tactics = sorted(set(data.tactics))
    subscription.target_groups = sorted(set(data.target_groups))
    subscription.urgent_only, subscription.active = data.urgent_only, data.active


def subscription_create(
    *, actor: User, data: RuleData, focal_point: FocalPoint | None = None
) -> Subscription:
    """The actor's own subscription, or (admins) one for a focal point of theirs."""
    org = _admin_org(actor) if focal_point else _member_org(actor)
    if focal_point is not None and focal_point.organisation_id != org.pk:
        raise NotFoundError("No such focal point.")
    rule_validate(data)
    subscription = Subscription(
        organisation=org, user=None if focal_point else actor, focal_point=focal_point
    )
    _apply_rule(subscription, data)
    with transaction.atomic():
        subscription.save()
        _audit(
            actor,
            "alert_subscription.create",
            "alert_subscription",
            subscription.uuid,
            external=focal_point is not None,
        )
    return subscription


def _may_manage(actor: User, subscription: Subscription) -> None:
    if subscription.organisation_id != actor.organisation_id:
        raise NotFoundError("No such alert.")
    if subscription.focal_point_id is not None:
        _admin_org(actor)
    elif subscription.user_id != actor.pk:
        raise NotFoundError("No such alert.")


def subscription_update(*, actor: User, subscription: Subscription, data: RuleData) -> Subscription:
    _may_manage(actor, subscription)
    rule_validate(data)
    _apply_rule(subscription, data)
    with transaction.atomic():
        subscription.save()
        _audit(actor, "alert_subscription.update", "alert_subscription", subscription.uuid)
    return subscription


def subscription_delete(*, actor: User, subscription: Subscription) -> None:
    _may_manage(actor, subscription)
    with transaction.atomic():
        _audit(actor, "alert_subscription.delete", "alert_subscription", subscription.uuid)
        subscription.delete()


# --- Focal points -----------------------------------------------------------------------


@dataclass
class FocalPointData:
    name: str
    email: str = ""
    webhook_url: str = ""
    active: bool = True


def focal_point_validate(data: FocalPointData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.name.strip() or len(data.name) > NAME_MAX:
        errors["name"] = [f"Give a name of at most {NAME_MAX} characters."]
    try:
        _check_email(data.email.strip(), "email", required=False)
    except InvalidInputError as exc:
        errors.update(exc.errors)
    url = data.webhook_url.strip()
    problem = url_problem(url) if url else None
    if problem or len(url) > URL_MAX:
        errors["webhook_url"] = [problem or f"At most {URL_MAX} characters."]
    if not data.email.strip() and not url:
        errors["email"] = ["Give an e-mail address, a webhook URL, or both."]
    if errors:
        raise InvalidInputError(errors)


def focal_point_create(*, actor: User, data: FocalPointData) -> tuple[FocalPoint, str]:
    """A new focal point; returns it and its webhook secret (shown once; "" without one)."""
    org = _admin_org(actor)
    focal_point_validate(data)
    point = FocalPoint(organisation=org)
    with transaction.atomic():
        secret = _apply_contact(point, data)
        _audit(actor, "focal_point.create", "focal_point", point.uuid)
    return point, secret


def focal_point_update(
    *, actor: User, focal_point: FocalPoint, data: FocalPointData
) -> tuple[FocalPoint, str]:
    """Change the contact; a webhook added now gets a new secret (returned, shown once)."""
    if focal_point.organisation_id != _admin_org(actor).pk:
        raise NotFoundError("No such focal point.")
    focal_point_validate(data)
    with transaction.atomic():
        secret = _apply_contact(focal_point, data)
        _audit(actor, "focal_point.update", "focal_point", focal_point.uuid)
    return focal_point, secret


def _apply_contact(point: FocalPoint, data: FocalPointData) -> str:
    url = data.webhook_url.strip()
    secret = secret_new() if url and not point.webhook_secret else ""
    point.name, point.email, point.webhook_url = data.name.strip(), data.email.strip(), url
    if secret:
        point.webhook_secret = secret
    elif not url:
        point.webhook_secret = ""
    point.active = data.active
    point.save()
    return secret


def focal_point_secret_rotate(*, actor: User, focal_point: FocalPoint) -> str:
    """A new webhook secret, returned once; messages already queued keep the old one."""
    if focal_point.organisation_id != _admin_org(actor).pk:
        raise NotFoundError("No such focal point.")
    if not focal_point.webhook_url:
        raise InvalidInputError({"webhook_url": ["This focal point has no webhook."]})
    secret = secret_new()
    with transaction.atomic():
        focal_point.webhook_secret = secret
        focal_point.save(update_fields=["webhook_secret_sealed"])
        _audit(actor, "focal_point.secret_rotate", "focal_point", focal_point.uuid)
    return secret


# --- Deadlines --------------------------------------------------------------------------


@dataclass
class DeadlineData:
    kind: str
    due_on: dt.date
    assignee_uuid: uuid.UUID | None = None
    note: str = ""


def _deadline_check(org: Organisation, data: DeadlineData) -> User | None:
    errors: dict[str, list[str]] = {}
    if data.kind not in {"hearing", "appeal", "follow_up"}:
        errors["kind"] = ["Choose hearing, appeal deadline or follow-up."]
    if len(data.note) > NOTE_MAX:
        errors["note"] = [f"At most {NOTE_MAX} characters."]
    assignee = None
    if data.assignee_uuid is not None:
        assignee = User.objects.filter(
            organisation=org, uuid=data.assignee_uuid, is_active=True
        ).first()
        if assignee is None:
            errors["assignee"] = ["No such member of your organisation."]
    if errors:
        raise InvalidInputError(errors)
    return assignee


def deadline_create(*, actor: User, incident: cm.Incident, data: DeadlineData) -> Deadline:
    """A hearing, appeal deadline or follow-up on an incident. A date within days can make
    the incident urgent, so the incident is matched against alerts again once committed."""
    org = writer_org(actor)
    if incident.organisation_id != org.pk:
        raise NotFoundError("No such incident.")
    deadline = Deadline(organisation=org, incident=incident, created_by=actor)
    return _deadline_save(actor, deadline, data, "deadline.create")


def deadline_update(*, actor: User, deadline: Deadline, data: DeadlineData) -> Deadline:
    if deadline.organisation_id != writer_org(actor).pk:
        raise NotFoundError("No such deadline.")
    return _deadline_save(actor, deadline, data, "deadline.update")


def _deadline_save(actor: User, deadline: Deadline, data: DeadlineData, action: str) -> Deadline:
    assert actor.organisation is not None
    assignee = _deadline_check(actor.organisation, data)
    deadline.kind, deadline.due_on, deadline.assignee = data.kind, data.due_on, assignee
    deadline.note = data.note.strip()
    with transaction.atomic():
        deadline.save()
        _audit(actor, action, "deadline", deadline.uuid, kind=deadline.kind)
        transaction.on_commit(lambda: _rematch(deadline.incident_id))
    return deadline


def _rematch(incident_id: int) -> None:
    from beyondreach.alerts.matching import on_incident_saved

    on_incident_saved("alerts", incident_id=incident_id)


def deadline_done(*, actor: User, deadline: Deadline) -> Deadline:
    """Mark it dealt with: no more reminders, off the overdue list."""
    if deadline.organisation_id != writer_org(actor).pk:
        raise NotFoundError("No such deadline.")
    with transaction.atomic():
        deadline.done_at = timezone.now()
        deadline.save(update_fields=["done_at"])
        _audit(actor, "deadline.done", "deadline", deadline.uuid)
    return deadline


def deadline_board_viewed(*, actor: User, board: DeadlineBoard) -> None:
    """Titles are identifying: a board of deadlines showing them is a view of every incident
    on it, audited like the incident list (the page and the API both call this)."""
    shown = {str(r.incident_uuid) for r in board.overdue + board.upcoming if r.incident_uuid}
    if shown and actor.organisation is not None:
        audit_record(
            organisation=actor.organisation,
            actor=actor,
            action="incident.list",
            record_type="incident",
            detail={"records": sorted(shown)},
        )
