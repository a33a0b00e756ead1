from __future__ import annotations

from functools import partial

import pytest
from django import forms
from django.test.html import parse_html

from beyondreach.cases.forms import (
    COUNTRY_CHOICES,
    Form,
    PersonForm,
    QuickSelect,
    SharedChoiceField,
    set_choices,
)


class _Both(forms.Form):
    plain = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    quick = SharedChoiceField(choices=COUNTRY_CHOICES, required=False, widget=QuickSelect)
    grouped = forms.ChoiceField(
        choices=[("Europe", [("FR", "France"), ("DE", "Germany")])], widget=QuickSelect
    )


@pytest.mark.parametrize("value", ["", "CN", "XX", "<script>"])
def test_quick_select_writes_the_same_markup_as_django_select(value: str) -> None:
    form = _Both({"plain": value, "quick": value})
    form.is_valid()  # bad values are shown again as they came, unselected
    plain = form["plain"].as_widget(attrs={"aria-describedby": "help"})
    quick = form["quick"].as_widget(attrs={"aria-describedby": "help"})
    expected = plain.replace('name="plain"', 'name="quick"').replace("id_plain", "id_quick")
    assert parse_html(quick) == parse_html(expected)


def test_quick_select_marks_the_chosen_option_and_escapes_labels() -> None:
    widget = QuickSelect(choices=[("", "—"), ("a&b", "<b>A & B</b>")])
    html = widget.render("x", "a&b", attrs={"required": True})
    assert html == (
        '<select name="x" required><option value="">—</option>'
        '<option value="a&amp;b" selected>&lt;b&gt;A &amp; B&lt;/b&gt;</option></select>'
    )


def test_quick_select_leaves_option_groups_to_django() -> None:
    html = str(_Both()["grouped"])
    assert '<optgroup label="Europe">' in html and '<option value="FR">France</option>' in html


def test_quick_select_shows_the_choice_of_each_form_after_the_options_are_kept() -> None:
    for value in ["DE", "FR", "DE", ""]:  # the kept options must not remember a selection
        html = str(_Both({"quick": value})["quick"])
        assert html.count(" selected") == 1
        assert f'<option value="{value}" selected>' in html


def test_shared_choices_are_replaced_per_form_never_changed_for_all() -> None:
    first, second = _Both(), _Both()
    set_choices(first, "quick", [("", "—"), ("XK", "Kosovo")])
    assert first.fields["quick"].choices == [("", "—"), ("XK", "Kosovo")]
    assert second.fields["quick"].choices == COUNTRY_CHOICES == _Both().fields["quick"].choices
    assert "Kosovo" in str(first["quick"]) and "Kosovo" not in str(second["quick"])


def test_labels_written_in_code_are_the_markup_django_writes() -> None:
    """cases.forms.Form writes <label> and <legend> itself, for speed; the markup must stay
    what Django's own template (django/forms/label.html) writes, attributes in order."""

    class Sample(Form):
        required_css_class = "required"
        name = forms.CharField(label="Name <in any script>")
        pick = forms.ChoiceField(choices=[("1", "One")], widget=forms.RadioSelect)
        agree = forms.BooleanField(required=False, label="Agreed?")

    for form in (Sample(), Sample(auto_id=False), PersonForm()):
        for field in form:
            for written in (
                lambda f: f.label_tag(),
                lambda f: f.legend_tag(),
                lambda f: f.label_tag(attrs={"data-x": True, "hidden": False, "class": "a&b"}),
            ):
                ours = str(written(field))
                form.render = partial(forms.Form.render, form)  # type: ignore[method-assign]
                djangos = str(written(field))
                del form.render
                assert ours == djangos
