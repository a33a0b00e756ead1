"""The incident and person forms: one page records an incident with all its parts.

Forms only parse and re-display; validation of the domain lives in cases/inputs.py, whose
field errors (dotted paths such as ``targets.1.person.names``) are put back on the field
they name, so a rejected form comes back with everything the user typed.
"""

from __future__ import annotations

import dataclasses
import uuid
from functools import lru_cache
from typing import Any

import pycountry
from django import forms
from django.forms import formset_factory
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from beyondreach.cases import models as m
from beyondreach.cases.inputs import (
    SCOPE_REASON_REQUIRED,
    SCRIPTS,
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
    host_problems,
    scope_reason_missing,
)
from beyondreach.core.forms import ReadableTextMixin
from beyondreach.vocab.loader import vocabulary

GROUP_ROWS_AT_MOST = 10  # groups one incident's form offers to link members to
COUNTRIES = sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])
COUNTRY_CHOICES = [("", "—"), *COUNTRIES]
SCRIPT_CHOICES = [("", "—")] + [(s, s) for s in SCRIPTS]


def set_choices(form: forms.Form, field: str, choices: list[tuple[str, str]]) -> None:
    """Choices known only at run time (vocabularies, users of the organisation)."""
    target = form.fields[field]
    assert isinstance(target, forms.ChoiceField)
    target.choices = choices


class SharedChoiceField(forms.ChoiceField):
    """A ChoiceField whose choices are shared by the forms made from its class.

    Django deep-copies every field's choices into each new form: 250 countries twice on
    every incident list page, about 2 ms. Sharing is safe because choices are only ever
    replaced (set_choices), never changed in place.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedChoiceField:
        result: SharedChoiceField = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices  # type: ignore[attr-defined]
        return result


class QuickSelect(forms.Select):
    """A <select> that writes its options in code: the markup of forms.Select, but not one
    template rendering per <option>. The incident filters' two lists of 250 countries took
    about 16 ms of a 40 ms list page through the templates, 1.5 ms this way; with the
    escaped options kept between requests, about 0.3 ms (bench/README.md)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        choices = tuple((str(v), str(label)) for v, label in self.choices)
        if any(isinstance(label, (list, tuple)) for _, label in self.choices):
            return super().render(name, value, attrs, renderer)  # option groups: the template
        chosen = set(self.format_value(value))
        options = "".join(
            _option(v, label, selected=True) if v in chosen else unselected
            for (v, label), unselected in zip(choices, _options(choices), strict=True)
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        # Every part was escaped by format_html in _option.
        safe_options = mark_safe(options)  # noqa: S308
        return format_html('<select name="{}"{}>{}</select>', name, attributes, safe_options)


@lru_cache(maxsize=64)
def _options(choices: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The escaped <option>s of a list of choices, none selected, kept for the next page."""
    return tuple(_option(v, label, selected=False) for v, label in choices)


def _option(value: str, label: str, *, selected: bool) -> str:
    marker = mark_safe(" selected") if selected else ""
    return format_html('<option value="{}"{}>{}</option>', value, marker, label)


class Form(ReadableTextMixin, forms.Form):
    """Labels without Django's trailing colon: screen readers read it out. Text that arrived
    as bytes which are not UTF-8 is refused, by field (core/forms.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def render(
        self, template_name: str | None = None, context: Any = None, renderer: Any = None
    ) -> SafeString:
        """Labels written in code: Django renders a template for each <label>, about 0.1 ms
        of CPU each, 1.5 ms of every incident list page (bench/README.md). The markup is
        the template's (django/forms/label.html); everything else goes through Django."""
        if template_name == LABEL_TEMPLATE and context is not None and renderer is None:
            return _label(context)
        return super().render(template_name, context, renderer)


LABEL_TEMPLATE = forms.Form.template_name_label


def _label(context: dict[str, Any]) -> SafeString:
    if not context["use_tag"]:
        return conditional_escape(context["label"])
    tag, attrs = context["tag"], context["attrs"] or {}
    # As django/forms/attrs.html: in order, True as a bare name, False left out.
    written = format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v),)
            for k, v in attrs.items()
            if v is not False
        ),
    )
    return format_html("<{}{}>{}</{}>", tag, written, context["label"], tag)


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", "—"), *list(choices)]


class IncidentForm(Form):
    title = forms.CharField(max_length=300, help_text="Shown only to roles that see identities.")
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    start_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty only with the precision “Unknown”.",
    )
    start_precision = forms.ChoiceField(choices=m.DatePrecision.choices)
    end_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_precision = forms.ChoiceField(choices=_blank(m.DatePrecision.choices), required=False)
    ongoing = forms.BooleanField(
        required=False, label="Ongoing", help_text="Still going on: no end date yet."
    )
    origin_states = forms.MultipleChoiceField(
        choices=COUNTRIES,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="The state(s) behind the incident. Hold Ctrl or Shift to choose several.",
    )
    host_countries = forms.MultipleChoiceField(
        choices=COUNTRIES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label="Host countries",
        help_text="Where the targets live or the act took effect. Hold Ctrl or Shift to "
        "choose several.",
    )
    host_reason = forms.ChoiceField(
        choices=[("", "—"), *m.HostReason.choices],
        required=False,
        label="No host country, because",
        help_text="Only when no host country applies or it is not known.",
    )
    host_origin_confirmed = forms.BooleanField(
        required=False,
        label="A host country is also an origin state, and that is right",
        help_text="For example a target who lives in the origin state and abroad.",
    )
    place = forms.CharField(max_length=200, required=False, label="City or region")
    coordinates = forms.RegexField(
        regex=r"^\s*-?\d{1,2}(\.\d+)?\s*,\s*-?\d{1,3}(\.\d+)?\s*$",
        required=False,
        help_text="Optional, as 'latitude, longitude'.",
        error_messages={
            "invalid": "Write coordinates as 'latitude, longitude', e.g. 41.01, 28.97."
        },
    )
    tactics = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    tlp = forms.ChoiceField(choices=m.Tlp.choices, label="Marking (TLP)", initial=m.Tlp.AMBER)
    status = forms.ChoiceField(choices=m.CaseStatus.choices, initial=m.CaseStatus.NEW)
    assignee = forms.ChoiceField(required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    verification_override = forms.ChoiceField(
        choices=[("", "Derived from the sources"), *m.Verification.choices],
        required=False,
        label="Verification status",
    )
    verification_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for overriding the derived status",
    )
    scope = forms.ChoiceField(
        choices=m.Scope.choices,
        initial=m.Scope.IN_SCOPE,
        required=False,  # a form posted without it (a script) keeps the default, in scope
        label="Transnational repression?",
        help_text="Out-of-scope incidents are kept, and left out of counts by default.",
    )
    scope_criteria = forms.MultipleChoiceField(
        choices=m.ScopeCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Criteria met",
    )
    scope_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why it is or is not in scope",
        help_text="Required when borderline or out of scope.",
    )

    def __init__(self, *args: Any, assignees: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "tactics", vocabulary("tactics").choices())
        set_choices(self, "assignee", [("", "—"), *assignees])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Said with the other field errors at once, not only after they are fixed.
        scope = data.get("scope") or m.Scope.IN_SCOPE
        if scope_reason_missing(scope, data.get("scope_reason") or ""):
            self.add_error("scope_reason", SCOPE_REASON_REQUIRED)
        problems = host_problems(
            data.get("host_countries") or [],
            data.get("host_reason") or "",
            data.get("origin_states") or [],
            bool(data.get("host_origin_confirmed")),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data


NEW_PERSON = "new"  # the answer to "the same person?": a new person after all


class TargetForm(Form):
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # Asked when the name typed matches recorded persons (views.ask_same_person): one of
    # them, or NEW_PERSON. Hidden until then, and it carries the answer through the next post.
    same_person = forms.CharField(required=False, widget=forms.HiddenInput, label="Same person?")
    name = forms.CharField(max_length=300, required=False, label="Name or alias")
    script = forms.ChoiceField(choices=SCRIPT_CHOICES, required=False)
    other_name = forms.CharField(
        max_length=300, required=False, label="Same name in another script"
    )
    other_script = forms.ChoiceField(choices=SCRIPT_CHOICES, required=False, label="Its script")
    role = forms.ChoiceField(choices=_blank(m.TargetRole.choices))
    target_group = forms.ChoiceField(required=False)
    relation = forms.ChoiceField(
        choices=_blank(m.TargetRelation.choices),
        required=False,
        help_text="How they relate to the primary target.",
    )
    member_of = forms.TypedChoiceField(
        choices=[("", "—"), *[(str(i), f"Group {i + 1}") for i in range(GROUP_ROWS_AT_MOST)]],
        coerce=int,
        empty_value=None,
        required=False,
        label="Member of",
        help_text="A known member of a group below: counted in its size, not again.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target_group", _blank(vocabulary("target_groups").choices()))


class GroupForm(Form):
    size = forms.IntegerField(
        min_value=1, required=False, label="How many people", help_text="E.g. 317 denationalised."
    )
    target_group = forms.ChoiceField(required=False)
    country = forms.ChoiceField(
        choices=COUNTRY_CHOICES, required=False, label="Where they live (one country)"
    )
    description = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who they are; shown only to roles that see identities.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target_group", _blank(vocabulary("target_groups").choices()))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_changed() and not data.get("size") and "size" not in self.errors:
            self.add_error("size", "Say how many people, even as an estimate.")
        return data


class OrganisationTargetForm(Form):
    organisation = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # Asked as TargetForm.same_person is: the recorded organisations whose name matches the
    # one typed (views.ask_same_organisation), or NEW_PERSON for a new organisation.
    same_organisation = forms.CharField(
        required=False, widget=forms.HiddenInput, label="Same organisation?"
    )
    name = forms.CharField(max_length=300, required=False, label="Organisation's name")
    kind = forms.ChoiceField(choices=_blank(m.OrganisationKind.choices), required=False)
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_changed() and not data.get("organisation") and not data.get("name"):
            self.add_error("name", "Give the organisation's name.")
        return data


class ActorForm(Form):
    role = forms.ChoiceField(choices=_blank(m.ActorRole.choices))
    actor_type = forms.ChoiceField()
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    name = forms.CharField(max_length=300, required=False, label="Name (if known)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "actor_type", _blank(vocabulary("actor_types").choices()))


class MechanismForm(Form):
    kind = forms.ChoiceField(choices=_blank(m.MechanismKind.choices), label="Legal mechanism")
    reference = forms.CharField(max_length=200, required=False, label="Reference (e.g. notice id)")
    issued_by = forms.CharField(
        max_length=40, required=False, help_text="Country code or body, e.g. CN or 'UN 1267'."
    )
    issued_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    issued_precision = forms.ChoiceField(
        choices=m.DatePrecision.choices, initial=m.DatePrecision.DAY, label="Known to the"
    )
    status = forms.ChoiceField(choices=m.MechanismStatus.choices, initial=m.MechanismStatus.UNKNOWN)
    status_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Status since"
    )


class SourceForm(Form):
    reference = forms.CharField(max_length=1000, label="URL or document")
    kind = forms.ChoiceField(choices=m.SourceKind.choices, initial=m.SourceKind.URL)
    publisher = forms.CharField(max_length=300, required=False)
    published_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reliability = forms.ChoiceField(choices=m.Reliability.choices, initial=m.Reliability.UNKNOWN)
    independent = forms.BooleanField(
        required=False, help_text="Independent of the parties and of the other sources."
    )


class ResponseForm(Form):
    kind = forms.ChoiceField(choices=_blank(m.ResponseKind.choices), label="Response")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    started_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    started_precision = forms.ChoiceField(
        choices=m.DatePrecision.choices, initial=m.DatePrecision.DAY, label="Known to the"
    )
    outcome = forms.ChoiceField(choices=m.Outcome.choices, initial=m.Outcome.PENDING)
    outcome_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


# Rows of a part: a blank row (every select on its "—" or default) is not a row at all, so
# required choices start blank and unchanged extra rows are dropped, never rejected.
PARTS: dict[str, tuple[type[forms.Form], int]] = {
    # prefix: (form, blank rows offered)
    "targets": (TargetForm, 2),
    "groups": (GroupForm, 1),
    "organisations": (OrganisationTargetForm, 1),
    "actors": (ActorForm, 1),
    "mechanisms": (MechanismForm, 1),
    "sources": (SourceForm, 2),
    "responses": (ResponseForm, 1),
}


def part_formsets(
    data: Any = None, initial: dict[str, list[dict[str, Any]]] | None = None, more: str = ""
) -> dict[str, forms.BaseFormSet[Any]]:
    """One formset per part; `more` names a part that gets one more blank row."""
    sets = {}
    for prefix, (form, extra) in PARTS.items():
        total = f"{prefix}-TOTAL_FORMS"
        if data is not None and total not in data:
            # A form posted without a part (a script written before the part existed)
            # has none of its rows, as a page posting no row of it.
            data = data.copy()
            data[total], data[f"{prefix}-INITIAL_FORMS"] = "0", "0"
        if data is not None and prefix == more:
            data = data.copy()
            data[total] = str(int(data.get(total, 0) or 0) + 1)
        rows = (initial or {}).get(prefix, [])
        factory = formset_factory(form, extra=extra if data is None else 0, can_delete=True)
        sets[prefix] = factory(data=data, initial=rows or None, prefix=prefix)
    return sets


def _rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    return [
        f.cleaned_data
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _chosen_person(row: dict[str, Any], field: str = "same_person") -> uuid.UUID | None:
    """The recorded person (or organisation) chosen as the same as the name typed."""
    chosen = row.get(field) or ""
    if chosen in ("", NEW_PERSON):
        return None
    try:
        return uuid.UUID(chosen)
    except ValueError:
        return None  # not one we offered: the row asks again (views.ask_same_person)


def _names(row: dict[str, Any]) -> list[NameData]:
    names = [NameData(row["name"], row["script"])]
    if row.get("other_name"):
        names.append(NameData(row["other_name"], row["other_script"]))
    return names


# The parts whose formset rows are named as their dataclass's fields (cases/inputs.py, the
# one declaration of each part's shape): the two mappers below read the names from there.
_PLAIN_PARTS: dict[str, type[Any]] = {
    "groups": GroupData,
    "actors": ActorData,
    "mechanisms": MechanismData,
    "sources": SourceData,
    "responses": ResponseData,
}
# IncidentData's fields that the form and the record do not hold as they are.
_HEAD_READ_APART = {
    "coordinates",
    "scope",
    "origin_states",
    "host_countries",
    "tactics",
    "verification_override",
    "scope_criteria",
}


def _fields_of(cls: type[Any]) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def incident_data_from_forms(
    form: IncidentForm, sets: dict[str, forms.BaseFormSet[Any]]
) -> IncidentData:
    c = form.cleaned_data
    head: dict[str, Any] = {name: c[name] for name in _fields_of(IncidentData) if name in c}
    head["coordinates"] = (c["coordinates"] or "").replace(" ", "")
    head["scope"] = c["scope"] or m.Scope.IN_SCOPE
    head["assignee_uuid"] = c["assignee"] or None
    parts: dict[str, Any] = {
        key: [cls(**{n: r[n] for n in _fields_of(cls)}) for r in _rows(sets[key])]
        for key, cls in _PLAIN_PARTS.items()
    }
    return IncidentData(
        **head,
        **parts,
        targets=[
            TargetData(
                role=r["role"],
                person_uuid=r["person"] or _chosen_person(r),
                target_group=r["target_group"],
                relation=r["relation"],
                member_of=r["member_of"],
                person=None if r["person"] or _chosen_person(r) else PersonData(names=_names(r)),
            )
            for r in _rows(sets["targets"])
        ],
        organisations=[
            OrganisationData(
                organisation_uuid=r["organisation"] or _chosen_person(r, "same_organisation"),
                name=r["name"],
                kind=r["kind"] or m.OrganisationKind.OTHER,
                country=r["country"],
            )
            for r in _rows(sets["organisations"])
        ],
    )


def place_errors(
    errors: dict[str, list[str]], form: IncidentForm, sets: dict[str, forms.BaseFormSet[Any]]
) -> None:
    """Put the service's field errors on the form field or formset row they name."""
    for path, messages in errors.items():
        head, *rest = path.split(".")
        for message in messages:
            if head in sets and rest and rest[0].isdigit():
                _place_row_error(sets[head], int(rest[0]), rest[1:], message)
            elif head in form.fields:
                form.add_error(head, message)
            else:
                form.add_error(None, f"{path}: {message}")


def _place_row_error(
    formset: forms.BaseFormSet[Any],
    index: int,
    rest: list[str],
    message: str,
) -> None:
    changed = [
        f
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    row = changed[index] if index < len(changed) else formset.forms[0]
    field = "name" if rest[:2] == ["person", "names"] else (rest[-1] if rest else None)
    row.add_error(field if field in row.fields else None, message)


def incident_initial(
    incident: m.Incident,
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Form values of a stored incident, for its edit page."""
    head: dict[str, Any] = {
        name: getattr(incident, name)
        for name in _fields_of(IncidentData)
        if name in IncidentForm.base_fields and name not in _HEAD_READ_APART
    }
    head.update(
        coordinates=incident.coordinates,
        scope=incident.scope,
        origin_states=[o.country for o in incident.origins.all()],
        host_countries=[h.country for h in incident.hosts.all()],
        tactics=[t.tactic for t in incident.tactics.all()],
        assignee=str(incident.assignee.uuid) if incident.assignee else "",
        verification_override=incident.verification if incident.verification_overridden else "",
        scope_criteria=list(incident.scope_criteria),
    )
    groups = [g.pk for g in incident.groups.all()]
    related: dict[str, Any] = {
        "groups": incident.groups,
        "actors": incident.actors,
        "mechanisms": incident.mechanisms,
        "sources": incident.sources,
        "responses": incident.responses,
    }
    parts: dict[str, list[dict[str, Any]]] = {
        key: [{n: getattr(row, n) for n in _fields_of(cls)} for row in related[key].all()]
        for key, cls in _PLAIN_PARTS.items()
    }
    parts["targets"] = [
        {
            "person": t.person.uuid,
            "name": _person_label(t.person),
            "role": t.role,
            "target_group": t.target_group,
            "relation": t.relation,
            "member_of": groups.index(t.group_id) if t.group_id in groups else None,
        }
        for t in incident.targets.all()
    ]
    parts["organisations"] = [
        {
            "organisation": o.target.uuid,
            "name": o.target.name,
            "kind": o.target.kind,
            "country": o.target.country,
        }
        for o in incident.organisation_targets.all()
    ]
    return head, parts


def _person_label(person: m.Person) -> str:
    names = list(person.names.all())
    return names[0].value if names else ""


class PersonForm(Form):
    birth_date = forms.CharField(
        max_length=10, required=False, help_text="YYYY-MM-DD, or only the year."
    )
    sex = forms.ChoiceField(choices=m.Sex.choices)
    nationalities = forms.MultipleChoiceField(
        choices=COUNTRIES, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    residence_country = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    residence_status = forms.ChoiceField(choices=m.ResidenceStatus.choices)
    statuses = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    contact = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Contact details"
    )
    risk_notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent_share_partners = forms.BooleanField(
        required=False, label="May be shared with partner organisations"
    )
    consent_share_authorities = forms.BooleanField(
        required=False, label="May be shared with authorities"
    )
    consent_public_statistics = forms.BooleanField(
        required=False, label="May be counted in public statistics"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "statuses", vocabulary("person_statuses").choices())


class NameForm(Form):
    value = forms.CharField(max_length=300, label="Name")
    script = forms.ChoiceField(choices=SCRIPT_CHOICES, required=False)
    language = forms.CharField(max_length=8, required=False, help_text="e.g. ug, ru, zh")


NameFormSet = formset_factory(NameForm, extra=2, can_delete=True)


def person_data_from_forms(form: PersonForm, names: forms.BaseFormSet[Any]) -> PersonData:
    c = form.cleaned_data
    return PersonData(
        names=[NameData(r["value"], r["script"], r["language"]) for r in _rows(names)],
        **{
            k: c[k]
            for k in (
                "birth_date",
                "sex",
                "nationalities",
                "residence_country",
                "residence_status",
                "statuses",
                "contact",
                "risk_notes",
                "consent_share_partners",
                "consent_share_authorities",
                "consent_public_statistics",
            )
        },
    )


def person_initial(person: m.Person) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    head = {
        k: getattr(person, k)
        for k in (
            "birth_date",
            "sex",
            "nationalities",
            "residence_country",
            "residence_status",
            "statuses",
            "contact",
            "risk_notes",
            "consent_share_partners",
            "consent_share_authorities",
            "consent_public_statistics",
        )
    }
    return head, [
        {"value": n.value, "script": n.script, "language": n.language} for n in person.names.all()
    ]
