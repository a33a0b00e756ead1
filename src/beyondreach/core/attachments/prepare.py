"""One uploaded file in, its original and its clean copy out."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from beyondreach.core.attachments.audio import clean_mp3, clean_mp4, clean_ogg, clean_wav
from beyondreach.core.attachments.errors import AttachmentRejected
from beyondreach.core.attachments.images import clean_image
from beyondreach.core.attachments.limits import ATTACHMENT_MAX_BYTES
from beyondreach.core.attachments.names import display_name
from beyondreach.core.attachments.pdf import clean_pdf
from beyondreach.core.attachments.sniff import sniff


@dataclass(frozen=True)
class Attachment:
    name: str
    media_type: str
    original: bytes
    clean: bytes
    sha256: str  # of the original


_CLEANERS: dict[str, Callable[[bytes, str], bytes]] = {
    "image/jpeg": clean_image,
    "image/png": clean_image,
    "image/webp": clean_image,
    "image/gif": clean_image,
    "image/heic": clean_image,
    "application/pdf": clean_pdf,
    "audio/mpeg": clean_mp3,
    "audio/mp4": clean_mp4,
    "audio/ogg": clean_ogg,
    "audio/wav": clean_wav,
}


def prepare_attachment(name: str, data: bytes) -> Attachment:
    """Check one uploaded file and make its clean copy; raise AttachmentRejected if refused."""
    if not data:
        raise AttachmentRejected("empty")
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise AttachmentRejected("too_large")
    media_type = sniff(data)
    if media_type is None:
        raise AttachmentRejected("type")
    try:
        clean = _CLEANERS[media_type](data, media_type)
    except AttachmentRejected:
        raise
    except Exception as exc:  # hostile bytes can break a parser in any way: each way rejects
        raise AttachmentRejected("damaged") from exc
    return Attachment(
        name=display_name(name),
        media_type=media_type,
        original=data,
        clean=clean,
        sha256=hashlib.sha256(data).hexdigest(),
    )
