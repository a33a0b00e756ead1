"""Files only their owner may read (keys, the SQLite database): created that way from the
first byte, never replaced."""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY = 0o600


def owner_only_create(path: Path, text: str) -> bool:
    """Create `path` with mode 0600 holding `text`, durably; False if it exists already.
    O_EXCL makes the check and the creation one step, so nothing is ever overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    return True
