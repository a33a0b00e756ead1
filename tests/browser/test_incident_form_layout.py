"""The incident form as a case worker sees it, on a desktop screen and on a phone: every
label sits with its own input, and every help text and error with the input it is about,
so nobody codes "Target group" into the script select or reads one field's error as
another's."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# For every visible input of the form: where its label is, whether the label is nearer to it
# than to any other input, and which help texts or errors tied to it (aria-describedby) stray:
# one strays unless it is in the column of the input or its label with no other input between
# them. Boxes in CSS pixels.
GEOMETRY = """() => {
  const box = el => el.getBoundingClientRect();
  const gap = (a, b) => Math.hypot(
    Math.max(0, b.left - a.right, a.left - b.right),
    Math.max(0, b.top - a.bottom, a.top - b.bottom));
  const visible = el => { const r = box(el); return r.width > 0 && r.height > 0; };
  const inputs = [...document.querySelectorAll(
    'form.incident-form input:not([type=hidden]), form.incident-form select,'
    + ' form.incident-form textarea')].filter(visible);
  const nearest = (thing) => inputs.reduce((best, other) =>
    gap(box(thing), box(other)) < gap(box(thing), box(best)) ? other : best);
  const overlapX = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0;
  const strays = (el, input) => {
    const e = box(el), i = box(input), label = input.labels[0];
    if (!overlapX(e, i) && !(label && overlapX(e, box(label)))) return true;
    const [top, bottom] = e.top >= i.bottom ? [i.bottom, e.top] : [e.bottom, i.top];
    return inputs.some(other => other !== input && overlapX(box(other), e)
      && box(other).top >= top - 1 && box(other).bottom <= bottom + 1);
  };
  return inputs.map(input => {
    const label = input.labels[0];
    const described = (input.getAttribute('aria-describedby') || '').split(' ')
      .map(id => id && document.getElementById(id)).filter(el => el && visible(el));
    const l = label ? box(label) : null, i = box(input);
    return {
      input: input.id || input.name,
      labels: input.labels.length,
      label: label ? label.textContent.trim() : null,
      l: l && {left: l.left, right: l.right, top: l.top, bottom: l.bottom},
      i: {left: i.left, right: i.right, top: i.top, bottom: i.bottom},
      labelNearest: label ? nearest(label) === input : false,
      strays: described.filter(el => strays(el, input)).map(el => el.id),
    };
  });
}"""


def _placement(f: dict[str, Any]) -> str:
    """Where the label is: around the input, directly above it, beside it, or elsewhere."""
    label, box = f["l"], f["i"]
    if (
        label["left"] <= box["left"]
        and box["right"] <= label["right"]
        and label["top"] <= box["top"]
        and box["bottom"] <= label["bottom"]
    ):
        return "around"
    if (
        label["bottom"] <= box["top"] + 1
        and box["top"] - label["bottom"] <= 12
        and abs(label["left"] - box["left"]) <= 8
    ):
        return "above"
    same_line = min(label["bottom"], box["bottom"]) - max(label["top"], box["top"]) > 0
    side_gap = max(label["left"] - box["right"], box["left"] - label["right"])
    if same_line and 0 <= side_gap <= 16:
        return "beside"
    return "elsewhere"


def _layout_problems(page: Page) -> list[str]:
    problems = []
    fields = page.evaluate(GEOMETRY)
    assert len(fields) > 40, fields  # the whole form: head, tactics and every part's rows
    for f in fields:
        if f["labels"] != 1:
            problems.append(f"{f['input']}: {f['labels']} labels")
            continue
        if _placement(f) == "elsewhere":
            problems.append(f"{f['input']}: label {f['label']!r} is not above or beside it")
        if not f["labelNearest"]:
            problems.append(f"{f['input']}: label {f['label']!r} is nearer another input")
        for stray in f["strays"]:
            problems.append(f"{f['input']}: {stray} is away from it")
    return problems


def _one_column(page: Page) -> bool:
    """On a phone every grid of fields is a single column."""
    lefts = page.evaluate(
        "() => [...document.querySelectorAll('form.incident-form .grid')].map(grid =>"
        " new Set([...grid.children].map(c => Math.round(c.getBoundingClientRect().left))).size)"
    )
    return bool(lefts) and set(lefts) == {1}


def _check_both_sizes(page: Page, what: str) -> None:
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert _layout_problems(page) == [], (what, size)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (what, size, overflow)
    assert _one_column(page), what
    page.set_viewport_size(DESKTOP)


def test_every_label_help_text_and_error_sits_with_its_own_input(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    page.set_viewport_size(DESKTOP)
    log_in(page, base, personas.case_worker)

    page.goto(f"{base}/incidents/new/")
    _check_both_sizes(page, "new")

    # Errors on the head of the form and on a row of a part: a source with no reference.
    page.get_by_role("group", name="Source 1").get_by_label("Reliability").select_option("reliable")
    page.get_by_role("button", name="Save incident").click()
    page.get_by_role("alert").first.wait_for()
    errors = page.locator("form.incident-form .errorlist")
    assert errors.count() >= 5, errors.all_inner_texts()
    source = page.get_by_role("group", name="Source 1")
    assert "This field is required." in source.inner_text()
    _check_both_sizes(page, "new, with errors")

    page.goto(f"{base}/incidents/{incident.uuid}/edit/")
    _check_both_sizes(page, "edit")


def test_each_row_of_a_part_is_a_group_named_after_it(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    log_in(page, base, personas.case_worker)
    page.goto(f"{base}/incidents/new/")
    for row in ("Target 1", "Target 2", "Actor 1", "Legal mechanism 1", "Source 2", "Response 1"):
        group = page.get_by_role("group", name=row, exact=True)
        assert group.get_by_role("checkbox", name="Delete").count() == 1, row
    page.get_by_role("button", name="Add another target").click()
    assert (
        page.get_by_role("group", name="Target 3", exact=True)
        .get_by_label("Name or alias")
        .is_visible()
    )
