"""Forms of the reporting channel. The public form asks plain questions of someone who may
not know the words "transnational repression"; every label and help text is translated."""

from __future__ import annotations

import gettext
import secrets
from functools import lru_cache
from typing import Any

import pycountry
from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from beyondreach.core.forms import ReadableTextMixin
from beyondreach.reports.models import ReportStatus

# Each tactic in one plain sentence, keyed by the code of the "tactics" vocabulary, so a
# report turned into an incident arrives with its tactics ticked.
PLAIN_TACTICS: list[tuple[str, Any]] = [
    (
        "physical_intimidation",
        _("Someone followed me, watched my home, or frightened me in person."),
    ),
    ("assault", _("Someone attacked or hurt me, or tried to.")),
    (
        "attack_on_property",
        _("My home, car, office or business was set on fire, damaged or broken into."),
    ),
    ("threats", _("Someone threatened to hurt me or my family.")),
    (
        "family_coercion",
        _("My family back home was threatened, questioned, detained or harmed because of me."),
    ),
    ("digital_threats", _("I received threats or harassment online or by phone.")),
    ("smear_campaign", _("Lies about me were spread in the media or online.")),
    ("doxxing", _("My address, phone or other private details were published.")),
    ("phishing", _("I received strange messages or links trying to get my passwords.")),
    ("hacking", _("My accounts or devices were broken into.")),
    ("spyware", _("I think spying software was put on my phone or computer.")),
    (
        "interpol_abuse",
        _('I was told I am wanted through INTERPOL (a "Red Notice" or "Diffusion").'),
    ),
    ("extradition_request", _("My home country asked the country I live in to send me back.")),
    ("host_detention", _("I was detained where I live now because my home country asked for it.")),
    (
        "unlawful_deportation",
        _("I was sent back, or someone is trying to send me back, to my home country."),
    ),
    ("rendition", _("Someone tried to take me, or someone I know was taken or has disappeared.")),
    ("mobility_controls", _("My passport was cancelled or my embassy refused to help me.")),
    ("denationalisation", _("My citizenship was taken away.")),
    ("prosecution_in_absentia", _("I was charged or convicted in my home country while abroad.")),
    ("terrorist_designation", _("I was called a terrorist or extremist on an official list.")),
    (
        "punitive_listing",
        _(
            "My home country put me or my organisation under sanctions, or on a list such as "
            '"foreign agent" or "undesirable".'
        ),
    ),
    ("asset_freeze", _("My money or property was frozen or taken.")),
    (
        "diaspora_informants",
        _("People in my community are pressured to spy on me or to report on me."),
    ),
    ("overseas_police_station", _("Officials of my home country questioned me where I live now.")),
    (
        "third_party_pressure",
        _("My employer, landlord, school or a website was pressured to act against me."),
    ),
]


# Django's language codes mapped to the locales pycountry ships translations under.
_PYCOUNTRY_LOCALES = {"zh-hans": "zh_CN"}


@lru_cache(maxsize=16)
def _country_names(lang: str) -> gettext.NullTranslations:
    locale = _PYCOUNTRY_LOCALES.get(lang, lang)
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


def country_choices() -> list[tuple[str, str]]:
    """Countries named in the reporter's language (pycountry's ISO 3166 translations)."""
    names = _country_names(translation.get_language() or "en")
    countries = sorted(
        ((c.alpha_2, names.gettext(c.name)) for c in pycountry.countries), key=lambda c: c[1]
    )
    return [("", "—"), *countries]


class PublicForm(ReadableTextMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No ":" after labels: Arabic, Persian and Chinese questions end in their own mark.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ReportForm(PublicForm):
    what_happened = forms.CharField(
        label=_("What happened?"),
        help_text=_("Tell us in your own words. Write as much or as little as you feel safe to."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
    )
    when = forms.CharField(
        label=_("When did it happen?"),
        help_text=_('A date, or roughly: "last spring", "since 2022".'),
        required=False,
        max_length=200,
    )
    where_country = forms.ChoiceField(
        label=_("In which country were you when it happened?"), required=False
    )
    where_place = forms.CharField(label=_("City or region"), required=False, max_length=200)
    behind_country = forms.ChoiceField(
        label=_("Which government do you think is behind it?"), required=False
    )
    behind_who = forms.CharField(
        label=_("Who do you think did it?"),
        help_text=_(
            "For example embassy staff, police, people from your community, people you do not know."
        ),
        required=False,
        max_length=500,
    )
    tactics = forms.MultipleChoiceField(
        label=_("What of this happened to you? Tick all that fit."),
        choices=PLAIN_TACTICS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    family_targeted = forms.ChoiceField(
        label=_("Was your family back home targeted?"),
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No")), ("unsure", _("I am not sure"))],
        required=False,
    )
    family_details = forms.CharField(
        label=_("What happened to your family?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5_000,
    )
    deadline_date = forms.DateField(
        label=_("Is there a date coming up that worries you?"),
        help_text=_(
            "For example a deportation or extradition hearing, or a summons. "
            "We look at these first."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deadline_what = forms.CharField(
        label=_("What happens on that date?"), required=False, max_length=500
    )
    # A field people never see (hidden by the style sheet, no script needed): robots fill it.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)
    # A one-off token per form shown: the same form sent twice is one report
    # (services.report_submit). Not an answer, and never stored.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not args and "data" not in kwargs:
            kwargs.setdefault("initial", {"submission": secrets.token_urlsafe(32)})
        super().__init__(*args, **kwargs)
        choices = country_choices()
        self.fields["where_country"].choices = choices  # type: ignore[attr-defined]
        self.fields["behind_country"].choices = choices  # type: ignore[attr-defined]

    def answers(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("website", None)
        data.pop("submission", None)
        if data.get("deadline_date"):
            data["deadline_date"] = data["deadline_date"].isoformat()
        return {k: v for k, v in data.items() if v not in ("", None, [])}


class CodenameForm(PublicForm):
    codename = forms.CharField(
        label=_("Your codename"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class FollowUpForm(PublicForm):
    text = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20_000,
    )


# --- Staff ------------------------------------------------------------------------------


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label="Reporting passphrase", widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class NewPassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label="New reporting passphrase",
        help_text="At least 12 characters; a few words are best. It cannot be reset: keep it safe.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label="The same again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") != data.get("again"):
            self.add_error("again", "The two passphrases differ.")
        return data


class OpenChannelForm(forms.Form):
    slug = forms.SlugField(
        label="Public address",
        help_text="Reporters will find the form at /r/<this>/. Letters, digits and hyphens.",
        max_length=60,
    )


class RecoveryForm(forms.Form):
    recovery_key = forms.CharField(label="Recovery key", max_length=200)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in ReportStatus if s != ReportStatus.INCIDENT]
    )


class ReplyForm(ReadableTextMixin, forms.Form):
    text = forms.CharField(
        label="Question or answer to the reporter",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
    )


class RetentionForm(forms.Form):
    retention_days = forms.IntegerField(
        label="Keep reports that never became incidents for (days)", min_value=7, max_value=3650
    )
