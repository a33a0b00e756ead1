"""Files sent through the anonymous reporting channel: checked, limited and cleaned in memory.

A person reporting transnational repression may send photos, screenshots, PDFs and voice
recordings. Such files often carry more than the person meant to send: where a photo was taken
(EXIF GPS), the phone's serial number, the author of a document, the name of the laptop's owner.
`prepare_attachment` keeps the original (sealed, for investigators who may need it as evidence)
and makes a *clean* copy without that metadata, for everyday work and sharing.

The pipeline, one module per step:

- `uploads`: `MemoryOnlyUploadHandler` receives the request body in memory, within the limits;
  its docstring shows how a view installs it.
- `prepare`: `prepare_attachment` checks one file, finds its type (`sniff`) and has the cleaner
  of that type (`images`, `pdf`, `audio`) make the clean copy.
- `download`: `attachment_download` hands a kept file back, always as a download.

Limits (`limits`):

- `ATTACHMENT_MAX_BYTES` (10 MB): one file.
- `REPORT_MAX_BYTES` (30 MB): all files of one request together.
- `ATTACHMENTS_MAX` (5): files in one request; the view counts them (the upload handler does
  not drop files by number, so that the view can tell the person how many arrived).
- `IMAGE_MAX_PIXELS` (50 million, all frames together): larger pictures would need too much
  memory to decode; a 48-megapixel phone photo fits.

Security decisions:

- The type comes from the first bytes (magic numbers), never from the name or the declared
  content type, and the file must then open as that type.
- Cleaning fails closed: after cleaning, the copy is opened again and checked; if cleaning or
  the check fails in any way, the file is rejected. A "clean" copy that may not be clean is never
  returned.
- Images are re-encoded from their pixels alone (orientation applied first, colour profile baked
  into sRGB), so nothing but pixels reaches the encoder. PDFs are rebuilt page by page without
  the Info dictionary, XMP, private application data, annotation authors and the EXIF of
  embedded JPEGs. Audio keeps its sound and loses its tags.
- Nothing is written to disk and nothing is logged: not the name, not the content.
  `AttachmentRejected` carries a code and a translated message, never the file name.
- Django's default upload handlers write uploads over 2.5 MB to a plaintext temporary file;
  `MemoryOnlyUploadHandler` keeps them in memory and enforces the limits while the body streams.
"""

from beyondreach.core.attachments.download import attachment_download
from beyondreach.core.attachments.errors import AttachmentRejected, RejectCode
from beyondreach.core.attachments.limits import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENTS_MAX,
    IMAGE_MAX_PIXELS,
    REPORT_MAX_BYTES,
)
from beyondreach.core.attachments.names import NAME_MAX, display_name
from beyondreach.core.attachments.prepare import Attachment, prepare_attachment
from beyondreach.core.attachments.uploads import (
    MemoryOnlyUploadHandler,
    RequestCutOff,
    RequestTooLarge,
    install_memory_only_uploads,
)

__all__ = [
    "ATTACHMENTS_MAX",
    "ATTACHMENT_MAX_BYTES",
    "IMAGE_MAX_PIXELS",
    "NAME_MAX",
    "REPORT_MAX_BYTES",
    "Attachment",
    "AttachmentRejected",
    "MemoryOnlyUploadHandler",
    "RejectCode",
    "RequestCutOff",
    "RequestTooLarge",
    "attachment_download",
    "display_name",
    "install_memory_only_uploads",
    "prepare_attachment",
]
