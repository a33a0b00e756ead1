"""The embedded SQLite database is readable by its owner only, like the key files.

SQLite creates its file, and the -wal and -shm files beside it, with the process's umask
(world-readable by default). Sealed values are ciphertext, but coded data (countries,
tactics, dates) and the shape of the data are not, so the files get mode 0600.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from beyondreach.core.owner_only import OWNER_ONLY, owner_only_create


def _sqlite_path(connection: BaseDatabaseWrapper) -> Path | None:
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite" or not name or name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name)


def sqlite_owner_only(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On each new connection: the database file and its WAL files get mode 0600."""
    path = _sqlite_path(connection)
    if path is None:
        return
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            if stat.S_IMODE(file.stat().st_mode) & 0o077:
                os.chmod(file, OWNER_ONLY)


def sqlite_file_create() -> None:
    """Create the SQLite file with mode 0600 before SQLite would create it with the umask."""
    from django.db import connections

    path = _sqlite_path(connections["default"])
    if path is not None:
        owner_only_create(path, "")  # an empty file is a valid empty SQLite database
