"""Files sent through the anonymous reporting channel: checked, limited and cleaned in memory.

A person reporting transnational repression may send photos, screenshots, PDFs and voice
recordings. Such files often carry more than the person meant to send: where a photo was taken
(EXIF GPS), the phone's serial number, the author of a document, the name of the laptop's owner.
`prepare_attachment` keeps the original (sealed, for investigators who may need it as evidence)
and makes a *clean* copy without that metadata, for everyday work and sharing.

Limits:

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

How a view installs the handler
-------------------------------
Django reads the body (and so runs the upload handlers) the first time `request.POST` or
`request.FILES` is touched. `CsrfViewMiddleware` touches `request.POST` before the view runs to
check the token, so a view that changes its upload handlers must be `csrf_exempt` itself and
run the CSRF check *after* installing them, by calling an inner `csrf_protect` view (Django's
"Modifying upload handlers on the fly")::

    @csrf_exempt  # upload handlers first; _report_post below then checks the CSRF token
    def report(request):
        try:
            handler = install_memory_only_uploads(request)  # raises on a large Content-Length
            return _report_post(request, handler.too_large)  # the CSRF check reads the body
        except RequestTooLarge as exc:
            return render(request, "too_large.html", {"message": exc.message}, status=413)

    @csrf_protect
    def _report_post(request, too_large): ...

The `try` must wrap the call of the `csrf_protect` view, not only code inside it: the body is
first read inside the decorator. No middleware may read `request.POST` before the view.
Deployment: WSGI only (Django's ASGI handler spools the body to a temporary file before any
upload handler runs), and waitress must keep bodies in memory: `inbuf_overflow` above
`REPORT_MAX_BYTES` plus headroom, and `max_request_body_size` near `REPORT_MAX_BYTES`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import SEEK_END, BytesIO
from typing import IO, TYPE_CHECKING, Any, Literal

import mutagen
import mutagen.apev2
import mutagen.id3
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.http import content_disposition_header
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.ogg import OggPage
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE
from PIL import ExifTags, Image, ImageCms, ImageSequence
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
REPORT_MAX_BYTES = 30 * 1024 * 1024
ATTACHMENTS_MAX = 5
IMAGE_MAX_PIXELS = 50_000_000
NAME_MAX = 200

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


class RequestTooLarge(MultiPartParserError):
    """The files of one request are over REPORT_MAX_BYTES together.

    A MultiPartParserError so that Django marks `request.POST` unreadable instead of parsing
    a half-read body again, and so that one the view forgets to catch is a 400, not a 500.
    """

    message: _StrPromise = format_lazy(
        _(
            "Together these files are too large: you can send at most {mb} MB at a time. "
            "Please send fewer or smaller files, or send the others in a second message."
        ),
        mb=REPORT_MAX_BYTES // (1024 * 1024),
    )

    def __init__(self) -> None:
        super().__init__("request body over REPORT_MAX_BYTES")


@dataclass(frozen=True)
class Attachment:
    name: str
    media_type: str
    original: bytes
    clean: bytes
    sha256: str  # of the original


def prepare_attachment(name: str, data: bytes) -> Attachment:
    """Check one uploaded file and make its clean copy; raise AttachmentRejected if refused."""
    if not data:
        raise AttachmentRejected("empty")
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise AttachmentRejected("too_large")
    media_type = _sniff(data)
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


# --- Type ---------------------------------------------------------------------------------

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def _sniff(data: bytes) -> str | None:
    head = data[:16]
    riff = head[8:12] if head.startswith(b"RIFF") else b""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if riff in (b"WEBP", b"WAVE"):
        return "image/webp" if riff == b"WEBP" else "audio/wav"
    if head[4:8] == b"ftyp":  # ISO media: HEIF photos and MP4 audio share the container
        return "image/heic" if head[8:12] in _HEIF_BRANDS else "audio/mp4"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if b"%PDF-" in data[:1024]:  # readers accept a PDF header after a little junk
        return "application/pdf"
    if head.startswith(b"ID3") or _mpeg_frame_sync(head):
        return "audio/mpeg"
    return None


def _mpeg_frame_sync(head: bytes) -> bool:
    # 11 set sync bits, and a layer other than the reserved 00 (which ADTS AAC uses).
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 6 != 0


# --- Images -------------------------------------------------------------------------------

_PIL_FORMATS = {
    "image/jpeg": ["JPEG"],
    "image/png": ["PNG"],
    "image/webp": ["WEBP"],
    "image/gif": ["GIF"],
    "image/heic": ["HEIF"],  # only if a HEIF plugin is installed; none is by default
}
_ANIMATED = {"PNG", "WEBP", "GIF"}
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}
_PNG_MODES = {"1", "L", "LA", "I", "I;16", "RGB", "RGBA"}
_SRGB = ImageCms.createProfile("sRGB")
# What Pillow reports of a file it wrote from bare pixels; anything else found in the clean
# copy means metadata got through, and the file is refused.
_HARMLESS_INFO = {
    "jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression",
    "version", "background", "transparency", "duration", "loop", "timestamp", "disposal",
    "blend", "bbox", "default_image", "aspect", "interlace", "gamma", "extension",
}  # fmt: skip
_METADATA_MARKERS = (b"Exif\x00\x00", b"<x:xmpmeta", b"http://ns.adobe.com/xap/1.0/")


def _clean_image(data: bytes, media_type: str) -> bytes:
    image = _open_image(data, media_type)
    fmt = "JPEG" if image.format == "MPO" else str(image.format)  # MPO: only the main picture
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    icc = image.info.get("icc_profile")
    frames, durations = _decode_frames(image, animated=fmt in _ANIMATED)
    bare = [_pixels_only(frame, fmt, icc, orientation) for frame in frames]
    lossless = fmt == "WEBP" and any(cid == b"VP8L" for cid, _ in _riff_chunks(data))
    clean = _encode(bare, fmt, durations, image.info.get("loop"), lossless)
    _check_image(clean, fmt, bare[0].size)
    return clean


def _open_image(data: bytes, media_type: str) -> Image.Image:
    try:
        image = Image.open(BytesIO(data), formats=_PIL_FORMATS[media_type])
    except Exception as exc:  # unknown plugin, bad header or decompression bomb: all refused
        raise AttachmentRejected("heic" if media_type == "image/heic" else "damaged") from exc
    width, height = image.size
    frames = getattr(image, "n_frames", 1) if image.format in _ANIMATED else 1
    if width * height * frames > IMAGE_MAX_PIXELS:
        raise AttachmentRejected("too_many_pixels")
    return image


def _decode_frames(image: Image.Image, *, animated: bool) -> tuple[list[Image.Image], list[int]]:
    if not (animated and getattr(image, "is_animated", False)):
        image.load()
        return [image], [0]
    frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    return frames, [int(frame.info.get("duration", 0)) for frame in frames]


def _pixels_only(frame: Image.Image, fmt: str, icc: bytes | None, orientation: int) -> Image.Image:
    frame = _to_srgb(frame, icc)
    mode = _target_mode(frame, fmt)
    if frame.mode != mode:
        frame = frame.convert(mode)
    if orientation in _TRANSPOSE:
        frame = frame.transpose(_TRANSPOSE[orientation])
    bare = Image.new(mode, frame.size)  # no info, no EXIF, no palette: only pixels come along
    bare.paste(frame)
    return bare


def _to_srgb(frame: Image.Image, icc: bytes | None) -> Image.Image:
    """Bake an embedded colour profile into the pixels, so the copy looks the same without it."""
    if not icc or frame.mode not in ("RGB", "RGBA", "CMYK"):
        return frame
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc))
        out = "RGBA" if frame.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(frame, source, _SRGB, outputMode=out)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return frame  # a broken profile: the pixels stay as they are, colours may be a bit off
    return converted if converted is not None else frame


def _target_mode(frame: Image.Image, fmt: str) -> str:
    if fmt == "JPEG":
        return "L" if frame.mode in ("1", "L") else "RGB"
    if fmt == "PNG" and frame.mode in _PNG_MODES:
        return frame.mode
    alpha = frame.mode in _ALPHA_MODES or "transparency" in frame.info
    return "RGBA" if alpha else "RGB"


def _encode(
    frames: list[Image.Image], fmt: str, durations: list[int], loop: Any, lossless: bool
) -> bytes:
    options: dict[str, Any] = {"format": fmt}
    if fmt == "JPEG":
        options.update(quality=92, optimize=True)
    elif fmt == "WEBP":
        options.update({"lossless": True} if lossless else {"quality": 92})
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=durations)
        if loop is not None:
            options["loop"] = loop
        if fmt == "GIF":
            options["disposal"] = 2  # every frame is whole, so each one replaces the last
    out = BytesIO()
    frames[0].save(out, **options)
    return out.getvalue()


def _check_image(clean: bytes, fmt: str, size: tuple[int, int]) -> None:
    image = Image.open(BytesIO(clean))
    if image.format != fmt or image.size != size:
        raise AttachmentRejected("not_clean")
    for frame in ImageSequence.Iterator(image):
        frame.load()  # PNG text after the pixels is only read now
        if set(frame.info) - _HARMLESS_INFO or frame.getexif():
            raise AttachmentRejected("not_clean")
    if any(marker in clean for marker in _METADATA_MARKERS):
        raise AttachmentRejected("not_clean")


# --- PDF ----------------------------------------------------------------------------------

_PDF_PRIVATE = ("/Metadata", "/PieceInfo", "/LastModified")
_PDF_ANNOTATION_PRIVATE = ("/T", "/M", "/CreationDate")  # a comment's author and dates


def _clean_pdf(data: bytes, media_type: str) -> bytes:
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
        if any(marker in jpeg for marker in _METADATA_MARKERS):
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


# --- Audio --------------------------------------------------------------------------------


# mutagen's constructors are not annotated; each `no-untyped-call` ignore below is one of them.


def _clean_mp3(data: bytes, media_type: str) -> bytes:
    MP3(BytesIO(data))  # type: ignore[no-untyped-call]  # raises unless there are MPEG frames
    buf = BytesIO(data)
    for _round in range(8):  # tags may be stacked in any order: each round peels the outer ones
        size = buf.seek(0, SEEK_END)
        mutagen.id3.delete(buf)  # ID3v2 at the start, ID3v1 at the end
        mutagen.apev2.delete(buf)
        if buf.seek(0, SEEK_END) == size:
            break
    clean = buf.getvalue()
    leftover = clean.startswith(b"ID3") or clean[-128:-125] == b"TAG" or b"APETAGEX" in clean
    if leftover or MP3(BytesIO(clean)).tags is not None:  # type: ignore[no-untyped-call]
        raise AttachmentRejected("not_clean")
    return clean


_OGG_AUDIO = [OggVorbis, OggOpus, OggFLAC, OggSpeex]


def _clean_ogg(data: bytes, media_type: str) -> bytes:
    if _ogg_streams(data) != 1:  # chained or multiplexed streams: mutagen cleans only the first
        raise AttachmentRejected("not_clean")
    audio = mutagen.File(BytesIO(data), options=_OGG_AUDIO)
    if audio is None:  # Theora video, or something else in an Ogg container
        raise AttachmentRejected("type")
    buf = BytesIO(data)
    audio.delete(buf)
    clean = buf.getvalue()
    again = mutagen.File(BytesIO(clean), options=_OGG_AUDIO)
    if again is None or again.tags:
        raise AttachmentRejected("not_clean")
    return clean


def _ogg_streams(data: bytes) -> int:
    fileobj, streams = BytesIO(data), 0
    while fileobj.tell() < len(data):
        streams += OggPage(fileobj).first  # type: ignore[no-untyped-call]  # the first page of each logical stream
    return streams


# MP4 boxes are blanked in place (renamed "free", zero-filled) rather than removed: the sizes
# stay the same, so the sample offsets that point into the file stay right.
_MP4_DESCEND = {b"moov", b"trak", b"mdia", b"minf"}
_MP4_BLANK = {b"udta", b"meta", b"uuid", b"free", b"skip"}  # tags, XMP, leftover old tags
_MP4_DATED = {b"mvhd", b"tkhd", b"mdhd"}  # creation and modification times


def _clean_mp4(data: bytes, media_type: str) -> bytes:
    buf, handlers = bytearray(data), set[bytes]()
    _scrub_mp4(buf, 0, len(buf), handlers)
    if b"soun" not in handlers or b"vide" in handlers:  # audio only, no video
        raise AttachmentRejected("type")
    clean = bytes(buf)
    if MP4(BytesIO(clean)).tags is not None:  # type: ignore[no-untyped-call]
        raise AttachmentRejected("not_clean")
    return clean


def _scrub_mp4(buf: bytearray, start: int, end: int, handlers: set[bytes]) -> None:
    for kind, pos, body, stop in _mp4_boxes(buf, start, end):
        if kind in _MP4_BLANK:
            buf[pos + 4 : pos + 8] = b"free"
            buf[body:stop] = bytes(stop - body)
        elif kind in _MP4_DATED:
            width = 8 if buf[body] == 1 else 4  # version 1 has 64-bit times
            buf[body + 4 : body + 4 + 2 * width] = bytes(2 * width)
        elif kind == b"hdlr":
            handlers.add(bytes(buf[body + 8 : body + 12]))
        elif kind in _MP4_DESCEND:
            _scrub_mp4(buf, body, stop, handlers)


def _mp4_boxes(buf: bytearray, start: int, end: int) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, start, start of body, end) of each box between start and end."""
    pos = start
    while pos + 8 <= end:
        size, header = int.from_bytes(buf[pos : pos + 4], "big"), 8
        if size == 1:
            size, header = int.from_bytes(buf[pos + 8 : pos + 16], "big"), 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise ValueError("malformed MP4 box")
        yield bytes(buf[pos + 4 : pos + 8]), pos, pos + header, pos + size
        pos += size


_WAV_KEEP = (b"fmt ", b"fact", b"data")  # everything else (LIST/INFO, bext, id3, iXML) goes


def _clean_wav(data: bytes, media_type: str) -> bytes:
    chunks = [(cid, payload) for cid, payload in _riff_chunks(data) if cid in _WAV_KEEP]
    ids = [cid for cid, _ in chunks]
    if ids.count(b"fmt ") != 1 or ids.count(b"data") != 1:
        raise AttachmentRejected("damaged")
    body = b"WAVE" + b"".join(
        cid + len(payload).to_bytes(4, "little") + payload + b"\x00" * (len(payload) & 1)
        for cid, payload in chunks
    )
    clean = b"RIFF" + len(body).to_bytes(4, "little") + body
    if WAVE(BytesIO(clean)).tags is not None:  # type: ignore[no-untyped-call]
        raise AttachmentRejected("not_clean")
    return clean


def _riff_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(id, payload) of each chunk of a RIFF file. A payload cut short by the end of the file
    comes as far as it goes: recorders that stop abruptly leave such files."""
    pos = 12
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        yield data[pos : pos + 4], data[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)


_CLEANERS: dict[str, Callable[[bytes, str], bytes]] = {
    "image/jpeg": _clean_image,
    "image/png": _clean_image,
    "image/webp": _clean_image,
    "image/gif": _clean_image,
    "image/heic": _clean_image,
    "application/pdf": _clean_pdf,
    "audio/mpeg": _clean_mp3,
    "audio/mp4": _clean_mp4,
    "audio/ogg": _clean_ogg,
    "audio/wav": _clean_wav,
}


# --- Upload handler -----------------------------------------------------------------------


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep every uploaded file in memory, never in a temporary file, within the limits.

    - A declared Content-Length over REPORT_MAX_BYTES raises RequestTooLarge before the body
      is read. Not StopUpload: raised here it is not caught by the parser, and raised later it
      is caught and the view could not tell a cut-off request from a complete one.
    - A file over ATTACHMENT_MAX_BYTES is not kept: what was buffered is dropped, its name goes
      to `too_large`, and the parser goes on with the other fields and files.
    - More than REPORT_MAX_BYTES of files in all (possible when the declared length is missing
      or wrong) raises RequestTooLarge while the body streams.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large: list[str] = []  # appended to, never replaced: views may hold it early
        self.file = BytesIO()  # the parser closes `handler.file` when it stops early
        self._keeping = False
        self._received = 0

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],  # the name Django passes it by
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, UploadedFile[Any]]] | None:
        if content_length > REPORT_MAX_BYTES:
            raise RequestTooLarge()
        return None  # let the multipart parser do the parsing

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        self.file = BytesIO()
        self._keeping = True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self._received += len(raw_data)
        if self._received > REPORT_MAX_BYTES:
            raise RequestTooLarge()
        if self._keeping and start + len(raw_data) > ATTACHMENT_MAX_BYTES:
            self._keeping = False
            self.file.close()  # drop what was kept of it
            self.too_large.append(display_name(self.file_name or ""))
        if self._keeping:
            self.file.write(raw_data)
        return None  # no other handler follows

    def file_complete(self, file_size: int) -> UploadedFile[Any] | None:
        if not self._keeping:
            return None
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

    def upload_interrupted(self) -> None:
        self.file.close()


def install_memory_only_uploads(request: HttpRequest) -> MemoryOnlyUploadHandler:
    """Make `request` keep its uploads in memory only; raise RequestTooLarge at once if the
    declared length is over REPORT_MAX_BYTES. Call it before anything reads `request.POST` or
    `request.FILES`, in a `csrf_exempt` view that then calls a `csrf_protect` one, and catch
    RequestTooLarge around both (see the module docstring for the pattern and why)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0  # Django's parser treats it the same way
    if declared > REPORT_MAX_BYTES:
        raise RequestTooLarge()
    handler = MemoryOnlyUploadHandler(request)
    handlers: list[FileUploadHandler] = [handler]
    request.upload_handlers = handlers
    return handler


def attachment_download(data: bytes, media_type: str, name: str, *, clean: bool) -> HttpResponse:
    """A kept file as a download, never shown inline: a file from outside is not trusted.
    The metadata-free copy is named "clean-<name>", so the two never overwrite each other."""
    response = HttpResponse(data, content_type=media_type)
    filename = f"clean-{name}" if clean else name
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
