"""The reporting pages speak the reporter's language.

Every string that the reports app marks for translation is in the catalogue of each of the six
languages, translated, not fuzzy, with its placeholders kept; the committed .mo files say the
same as the .po files (a fresh machine needs no gettext tools); and Django serves them. No
database is needed: the catalogues are read as files, and the source strings are found with
`ast` and Django's own template-to-gettext converter.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

import beyondreach
from beyondreach.reports.forms import ReportForm

PACKAGE = Path(beyondreach.__file__).parent
LOCALE = PACKAGE / "locale"
REPORTS = PACKAGE / "reports"

# Catalogue folder -> (Django language code, number of plural forms in its Plural-Forms).
LANGUAGES = {
    "es": ("es", 2),
    "fr": ("fr", 2),
    "ru": ("ru", 3),
    "ar": ("ar", 6),
    "fa": ("fa", 2),
    "zh_Hans": ("zh-hans", 1),
}
RIGHT_TO_LEFT = {"ar", "fa"}

# %(name)s for gettext and blocktranslate, {name} for format_lazy.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")

locales = pytest.mark.parametrize("locale", sorted(LANGUAGES))


# --- A small .po reader (polib is not a dependency) ------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def from_reports(self) -> bool:
        prefixes = ("reports/", "core/attachments/")
        return any(ref.startswith(prefixes) for ref in self.references)

    @property
    def placeholders(self) -> set[str]:
        return set(PLACEHOLDER.findall(self.msgid + (self.msgid_plural or "")))


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(token: str) -> str:
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], token[1:-1])


def _store(entry: Entry, target: tuple[str, int], text: str, *, append: bool) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = (entry.msgstr.get(index, "") if append else "") + text
    else:
        setattr(entry, name, ((getattr(entry, name) or "") if append else "") + text)


@cache
def read_po(locale: str) -> tuple[Entry, list[Entry]]:
    """The header entry and the live entries of one language's catalogue."""
    path = LOCALE / locale / "LC_MESSAGES" / "django.po"
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for raw in path.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, target = None, None
            continue
        current = current or Entry()
        if line.startswith("#~"):
            current.obsolete = True
        elif line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#:"):
            current.references.extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            name, index, token = match.groups()
            target = (name, int(index or 0))
            _store(current, target, _unquote(token), append=False)
        elif line.startswith('"') and target is not None:
            _store(current, target, _unquote(line), append=True)
        else:
            raise AssertionError(f"{path}: cannot read {line!r}")
    if current is not None:
        entries.append(current)
    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete]
    assert len(headers) == 1, f"{path}: expected one header entry"
    return headers[0], [e for e in entries if e.msgid and not e.obsolete]


def reports_entries(locale: str) -> list[Entry]:
    return [e for e in read_po(locale)[1] if e.from_reports]


@cache
def read_mo(locale: str) -> gettext.GNUTranslations:
    """The compiled catalogue, read by the standard library as Django reads it."""
    with (LOCALE / locale / "LC_MESSAGES" / "django.mo").open("rb") as mo_file:
        return gettext.GNUTranslations(mo_file)


def header_fields(locale: str) -> dict[str, str]:
    header = read_po(locale)[0]
    lines = header.msgstr[0].splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


@cache
def plural_form(locale: str) -> Callable[[int], int]:
    """Which msgstr[i] serves a count n, by the rule in the catalogue's Plural-Forms."""
    match = re.search(r"plural=(.+?);?$", header_fields(locale)["Plural-Forms"])
    assert match, header_fields(locale)["Plural-Forms"]
    return gettext.c2py(match.group(1))


# --- The strings the reports app marks for translation ----------------------------------------

_GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}
_CONTEXT_NAMES = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
_TEMPLATE_CALL = re.compile(r"\b(npgettext|pgettext|ngettext|gettext)\(")
_LITERAL = re.compile(r"""\s*u?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*,?""")


def _python_strings() -> Iterator[str]:
    # The upload pipeline the reporting pages use lives in core; its messages reach reporters.
    for path in [*REPORTS.rglob("*.py"), *(PACKAGE / "core" / "attachments").rglob("*.py")]:
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            args = node.args[1:] if node.func.id in _CONTEXT_NAMES else node.args
            if node.func.id not in _GETTEXT_NAMES | _CONTEXT_NAMES or not args:
                continue
            if isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                yield args[0].value


def _template_strings() -> Iterator[str]:
    for path in (REPORTS / "templates").rglob("*.html"):
        converted = templatize(path.read_text("utf-8"), origin=str(path))
        for call in _TEMPLATE_CALL.finditer(converted):
            literals, position = [], call.end()
            while literal := _LITERAL.match(converted, position):
                literals.append(ast.literal_eval(literal.group(1)))
                position = literal.end()
            yield literals[1] if call.group(1).startswith(("p", "np")) else literals[0]


@cache
def source_strings() -> frozenset[str]:
    return frozenset(_python_strings()) | frozenset(_template_strings())


# --- Tests ------------------------------------------------------------------------------------


def test_a_catalogue_for_every_language_of_the_site() -> None:
    offered = {translation.to_locale(code) for code, _name in settings.LANGUAGES} - {"en"}
    assert offered == set(LANGUAGES)
    assert [str(p) for p in settings.LOCALE_PATHS] == [str(LOCALE)]


def test_the_source_strings_are_found() -> None:
    # A guard on the finders themselves: strings from each kind of source.
    found = source_strings()
    assert "Make a report" in found  # {% translate %}
    assert "%(n)s file was received." in found  # {% blocktranslate count %}
    assert "Tell %(org)s what happened to you" in found  # {% blocktranslate with %}
    assert "My citizenship was taken away." in found  # gettext_lazy in forms.py
    assert "Write an answer or add a file." in found  # gettext in services.py
    assert len(found) >= 100


@locales
def test_every_source_string_is_in_the_catalogue(locale: str) -> None:
    missing = source_strings() - {e.msgid for e in reports_entries(locale)}
    assert not missing, f"run makemessages and translate: {sorted(missing)}"


@locales
def test_header(locale: str) -> None:
    header, _entries = read_po(locale)
    assert "fuzzy" not in header.flags
    fields = header_fields(locale)
    assert fields["Language"] == locale
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    nplurals = LANGUAGES[locale][1]
    assert fields["Plural-Forms"].startswith(f"nplurals={nplurals};")


@locales
def test_every_string_is_translated_and_none_is_fuzzy(locale: str) -> None:
    entries = reports_entries(locale)
    assert len(entries) >= 100
    nplurals = LANGUAGES[locale][1]
    for entry in entries:
        assert "fuzzy" not in entry.flags, entry.msgid
        forms = nplurals if entry.msgid_plural else 1
        assert sorted(entry.msgstr) == list(range(forms)), entry.msgid
        assert all(text.strip() for text in entry.msgstr.values()), entry.msgid


@locales
def test_placeholders_are_kept(locale: str) -> None:
    for entry in reports_entries(locale):
        wanted = entry.placeholders
        found = [set(PLACEHOLDER.findall(text)) for text in entry.msgstr.values()]
        if entry.msgid_plural:
            # A form for a single number may say it in words ("one file", Arabic's dual), so
            # each form uses some of the placeholders and all forms together use them all.
            assert all(used <= wanted for used in found), entry.msgid
            assert set().union(*found) == wanted, entry.msgid
        else:
            assert found == [wanted], entry.msgid


@locales
def test_the_compiled_catalogue_matches_the_po_file(locale: str) -> None:
    compiled = read_mo(locale)
    assert compiled.info()["language"] == locale
    assert compiled.info()["plural-forms"] == header_fields(locale)["Plural-Forms"]
    nplurals = LANGUAGES[locale][1]
    form = plural_form(locale)
    assert {form(n) for n in range(1000)} == set(range(nplurals))
    for entry in reports_entries(locale):
        if entry.msgid_plural:
            for n in range(120):
                expected = entry.msgstr[form(n)]
                got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                assert got == expected, f"stale .mo, run compilemessages: {entry.msgid!r}"
        else:
            got = compiled.gettext(entry.msgid)
            assert got == entry.msgstr[0], f"stale .mo, run compilemessages: {entry.msgid!r}"


@locales
def test_django_serves_the_translations(locale: str) -> None:
    code, _nplurals = LANGUAGES[locale]
    by_msgid = {e.msgid: e for e in reports_entries(locale)}
    with translation.override(code):
        assert translation.get_language() == code
        made = translation.gettext("Make a report")
        assert made != "Make a report"
        assert made == by_msgid["Make a report"].msgstr[0]
        assert translation.get_language_bidi() is (locale in RIGHT_TO_LEFT)
        # Lazy strings of the form resolve in the active language.
        label = str(ReportForm().fields["what_happened"].label)
        assert label == by_msgid["What happened?"].msgstr[0]
        # The app's own Plural-Forms rule is used, not the one of Django's own catalogue.
        plural = by_msgid["%(n)s file."]
        for n in range(120):
            expected = plural.msgstr[plural_form(locale)(n)]
            assert translation.ngettext("%(n)s file.", "%(n)s files.", n) == expected
