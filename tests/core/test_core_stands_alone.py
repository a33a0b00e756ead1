"""`core` serves every app and imports none of them (issue 9, item 7): what it needs of them,
such as the columns a data key rotation redoes, the apps register from `AppConfig.ready`."""

from __future__ import annotations

import ast
from pathlib import Path

import beyondreach.core

CORE = Path(beyondreach.core.__file__).parent
OWN = {"core", "settings", "urls", "wsgi", "asgi", "vocab"}


def _imported_apps(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        for name in names:
            parts = name.split(".")
            if parts[0] == "beyondreach" and len(parts) > 1 and parts[1] not in OWN:
                found.add(parts[1])
    return found


def test_core_imports_no_feature_app() -> None:
    imports = {
        str(path.relative_to(CORE)): _imported_apps(path)
        for path in CORE.rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {file: apps for file, apps in imports.items() if apps} == {}
