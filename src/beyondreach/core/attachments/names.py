"""The name a kept file is shown and downloaded under."""

import unicodedata

NAME_MAX = 200


def display_name(name: str) -> str:
    """The file name without any folder, control or direction-override character, at most
    NAME_MAX characters (the extension kept), never empty."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    drop = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # Cf holds U+202E, which shows "exe.jpg" as "gpj.exe"
    name = "".join(c for c in name if unicodedata.category(c) not in drop).strip()
    if name in {"", ".", ".."}:
        return "file"
    stem, dot, extension = name.rpartition(".")
    if len(name) > NAME_MAX and stem and len(extension) <= 10:
        return stem[: NAME_MAX - len(extension) - 1] + dot + extension
    return name[:NAME_MAX]
