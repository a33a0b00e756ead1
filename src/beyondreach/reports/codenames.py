"""Codenames: seven words from the EFF long word list (7,776 words, 12.9 bits each).

Seven words give about 90 bits, out of reach of guessing even at a fast hash; we still
stretch them with Argon2id (see keys.py). The list ships with xkcdpass, so nothing is
downloaded at run time.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from importlib import resources

WORDS_IN_CODENAME = 7


@lru_cache(maxsize=1)
def word_list() -> tuple[str, ...]:
    text = resources.files("xkcdpass").joinpath("static/eff-long").read_text()
    words = tuple(w.strip() for w in text.splitlines() if w.strip())
    if len(words) < 7776:
        raise RuntimeError("The codename word list is incomplete.")
    return words


def codename_new() -> str:
    words = word_list()
    return " ".join(secrets.choice(words) for _ in range(WORDS_IN_CODENAME))
