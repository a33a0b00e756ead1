"""PDFs: rebuilt page by page without the Info dictionary, XMP, private application data,
annotation authors and the EXIF of embedded JPEGs."""

from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from beyondreach.core.attachments.errors import AttachmentRejected
from beyondreach.core.attachments.images import METADATA_MARKERS

_PDF_PRIVATE = ("/Metadata", "/PieceInfo", "/LastModified")
_PDF_ANNOTATION_PRIVATE = ("/T", "/M", "/CreationDate")  # a comment's author and dates


def clean_pdf(data: bytes, media_type: str) -> bytes:
    reader = PdfReader(BytesIO(data))
    if reader.is_encrypted and not _unlock(reader):
        raise AttachmentRejected("locked")
    writer = PdfWriter()
    for page in reader.pages:  # only the pages: no catalogue, outline, attachments or scripts
        writer.add_page(page)
    writer.metadata = None  # no Info dictionary at all, so not even pypdf's own /Producer
    seen: set[int] = set()
    for page in writer.pages:
        _scrub_pdf(page, seen)
    out = BytesIO()
    writer.write(out)
    clean = out.getvalue()
    _check_pdf(clean, len(reader.pages))
    return clean


def _unlock(reader: PdfReader) -> bool:
    # Many official PDFs are encrypted with an empty password only to forbid copying.
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported cipher (AES without `cryptography`) is a locked file
        return False


def _scrub_pdf(obj: Any, seen: set[int]) -> None:
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):
        _scrub_pdf_dictionary(obj)
        for key, value in list(obj.items()):
            if key != "/Parent":  # up the page tree: reached from the pages anyway
                _scrub_pdf(value, seen)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _scrub_pdf(value, seen)


def _scrub_pdf_dictionary(d: DictionaryObject) -> None:
    for key in _PDF_PRIVATE:
        d.pop(key, None)
    if "/Rect" in d and d.get("/Subtype") != "/Widget":  # an annotation, not a form field
        for key in _PDF_ANNOTATION_PRIVATE:
            d.pop(key, None)
    if isinstance(d, StreamObject) and d.get("/Filter") in ("/DCTDecode", ["/DCTDecode"]):
        jpeg = _strip_jpeg_segments(d.get_data())  # DCT data is the JPEG file itself
        if any(marker in jpeg for marker in METADATA_MARKERS):
            raise AttachmentRejected("not_clean")  # e.g. a second picture after the first
        StreamObject.set_data(d, jpeg)  # the base method: store as is, do not re-encode


def _strip_jpeg_segments(jpeg: bytes) -> bytes:
    """Drop a JPEG's APP1-APP13, APP15 and COM segments (EXIF, XMP, IPTC, ICC, comments)
    without decoding it; APP0 (JFIF) and APP14 (Adobe) say how to decode it and stay."""
    if not jpeg.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    kept, pos = [b"\xff\xd8"], 2
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF:
        marker = jpeg[pos + 1]
        if marker == 0xDA:  # start of scan: the compressed pixels follow
            return b"".join([*kept, jpeg[pos:]])
        end = pos + 2 + int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
        if not ((0xE1 <= marker <= 0xEF and marker != 0xEE) or marker == 0xFE):
            kept.append(jpeg[pos:end])
        pos = end
    raise ValueError("JPEG without a scan")


def _check_pdf(clean: bytes, pages: int) -> None:
    reader = PdfReader(BytesIO(clean))
    if len(reader.pages) != pages or "/Info" in reader.trailer or "/Metadata" in reader.root_object:
        raise AttachmentRejected("not_clean")
