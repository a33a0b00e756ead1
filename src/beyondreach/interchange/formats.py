"""Export formats: each module of `export_formats` that defines `FORMAT` is one.

A format is a writer from incident snapshots (`cases.export.incident_snapshot`, the single
shape every audience is projected from) to the bytes of a file, streamed: it never holds the
whole file. Formats are found by module, so a new one is a new file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

Snapshot = Mapping[str, Any]


@dataclass(frozen=True)
class ExportContext:
    """What a writer may need besides the records: who reads the file."""

    pseudonymised: bool  # the file names nobody: pseudonyms instead of names, no free text


@dataclass(frozen=True)
class ExportFormat:
    code: str
    label: str
    media_type: str
    extension: str
    write: Callable[[Iterable[Snapshot], ExportContext], Iterator[bytes]]


@cache
def export_formats() -> dict[str, ExportFormat]:
    from beyondreach.interchange import export_formats as package

    found: dict[str, ExportFormat] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        fmt = getattr(module, "FORMAT", None)
        if isinstance(fmt, ExportFormat):
            found[fmt.code] = fmt
    return dict(sorted(found.items()))
