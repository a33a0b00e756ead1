"""Why a file is refused, in words for the person who sent it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from beyondreach.core.attachments.limits import ATTACHMENT_MAX_BYTES

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

RejectCode = Literal[
    "empty", "too_large", "type", "heic", "damaged", "locked", "too_many_pixels", "not_clean"
]

_MESSAGES: dict[RejectCode, _StrPromise] = {
    "empty": _("This file is empty. Please choose the file again."),
    "too_large": format_lazy(
        _("This file is too large: each file can be at most {mb} MB."),
        mb=ATTACHMENT_MAX_BYTES // (1024 * 1024),
    ),
    "type": _(
        "This file type is not accepted: send a photo (JPEG, PNG, WebP, GIF), a PDF or an "
        "audio recording (MP3, M4A, OGG, WAV)."
    ),
    "heic": _(
        "This photo is in the iPhone HEIC format, which we cannot open. Please send it as a "
        "JPEG instead; a screenshot of the photo also works."
    ),
    "damaged": _(
        "We could not open this file: it may be damaged. Please check that it opens on your "
        "device and send it again."
    ),
    "locked": _(
        "This PDF is locked with a password. Please send a copy without a password, or "
        "screenshots of its pages."
    ),
    "too_many_pixels": _(
        "This picture is too large for us to process. Please send a smaller copy or a "
        "screenshot of it."
    ),
    "not_clean": _(
        "To protect you, we remove hidden information (such as where a photo was taken) from "
        "every file. We could not do that for this file, so it was not accepted. For a "
        "picture or a document, a screenshot of it will work."
    ),
}


class AttachmentRejected(Exception):
    """A file that is not kept. `message` is for the person who sent it, `code` for code."""

    def __init__(self, code: RejectCode) -> None:
        super().__init__(code)  # the code only: a log line must never carry a file name
        self.code: RejectCode = code
        self.message: _StrPromise = _MESSAGES[code]
