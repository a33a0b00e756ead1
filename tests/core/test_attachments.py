"""Attachments of the reporting channel: what a reporter sends is checked and cleaned of what
would identify them, and uploads never touch the disk.

Every file here is built in the test, with the identifying details a real one would carry."""

# mutagen's classes and methods are not annotated; the tests call many of them.
# mypy: disallow-untyped-calls=False

from __future__ import annotations

import hashlib
import io
import os
import struct
import tempfile
import wave
from typing import Any

import mutagen.mp4
import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import path
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from mutagen.apev2 import APEv2
from mutagen.id3 import TPE1, TXXX
from mutagen.mp3 import MP3
from mutagen.ogg import OggPage
from mutagen.oggopus import OggOpus
from PIL import ExifTags, Image, ImageCms, ImageSequence
from PIL.PngImagePlugin import PngImageFile, PngInfo
from PIL.TiffImagePlugin import IFDRational
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from beyondreach.core.attachments import (
    ATTACHMENT_MAX_BYTES,
    REPORT_MAX_BYTES,
    AttachmentRejected,
    MemoryOnlyUploadHandler,
    RequestTooLarge,
    install_memory_only_uploads,
    prepare_attachment,
)

AUTHOR = "Leila Karimi Testperson"  # no "-": pypdf writes that as \055 in PDF strings
SERIAL = "SN4711X0815XCAMERA"
# 123.457 seconds of latitude, stored by EXIF as the rational 123457/1000 (Pillow writes
# EXIF big-endian).
GPS_SECONDS = IFDRational(123457, 1000)
GPS_BYTES = struct.pack(">LL", 123457, 1000)
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{AUTHOR}</dc:creator>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
)
SECRETS = (AUTHOR.encode(), SERIAL.encode())


def assert_identifying_details_only_in(original: bytes, clean: bytes) -> None:
    """The details are really in the file sent (or the test proves nothing), not in the copy."""
    for secret in SECRETS:
        assert secret in original
        assert secret not in clean


# --- Files a reporter might send ----------------------------------------------------------


def exif(orientation: int = 1) -> Image.Exif:
    data = Image.Exif()
    data[ExifTags.Base.Artist] = AUTHOR
    data[ExifTags.Base.Make] = "TestCam"
    data[ExifTags.Base.Orientation] = orientation
    data.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    gps = data.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (IFDRational(52, 1), IFDRational(31, 1), GPS_SECONDS)
    return data


def picture(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Left half red, right half blue: easy to tell which way up it is."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg(orientation: int = 1) -> bytes:
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture().save(
        out, "JPEG", exif=exif(orientation), xmp=XMP.encode(), comment=SERIAL, icc_profile=icc
    )
    return out.getvalue()


def png() -> bytes:
    info = PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_itxt("Comment", f"taken with {SERIAL}")
    out = io.BytesIO()
    picture().convert("RGBA").save(out, "PNG", pnginfo=info, exif=exif())
    return out.getvalue()


def pdf(*, pages: int = 2, password: str | None = None, owner_password: str = "") -> bytes:
    # Pillow makes the pages, each a JPEG photo with its EXIF, as a scanning app would.
    scanned = io.BytesIO()
    photos = [picture() for _ in range(pages)]
    photos[0].save(scanned, "PDF", save_all=True, append_images=photos[1:], exif=exif())
    writer = PdfWriter(clone_from=io.BytesIO(scanned.getvalue()))
    writer.add_metadata({"/Author": AUTHOR, "/Creator": "Scan app", "/Producer": SERIAL})
    writer.xmp_metadata = XMP.encode()
    note = Text(rect=(10, 10, 30, 30), text="my note")
    note[NameObject("/T")] = TextStringObject(AUTHOR)  # who wrote the comment
    writer.add_annotation(page_number=0, annotation=note)
    # Private data an editing application keeps on a page.
    private = DictionaryObject({NameObject("/Private"): TextStringObject(AUTHOR)})
    writer.pages[-1][NameObject("/PieceInfo")] = DictionaryObject(
        {NameObject("/Illustrator"): private}
    )
    if password is not None:  # RC4: pypdf needs no extra package for it
        writer.encrypt(password, owner_password or None, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# MPEG-1 layer III frames, 128 kbit/s, 44.1 kHz: a 4-byte header and 413 bytes of silence.
MPEG_FRAMES = (b"\xff\xfb\x90\x00" + bytes(413)) * 30


def mp3() -> bytes:
    buf = io.BytesIO(MPEG_FRAMES)
    audio = MP3(buf)
    audio.add_tags()
    assert audio.tags is not None
    audio.tags.add(TPE1(encoding=3, text=[AUTHOR]))
    audio.tags.add(TXXX(encoding=3, desc="device", text=[SERIAL]))
    audio.save(buf, v1=2)  # an ID3v1 tag at the end as well as ID3v2 at the start
    ape = APEv2()  # and an APEv2 tag, as some players write
    ape["Comment"] = SERIAL
    ape.save(buf)
    return buf.getvalue()


def wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(struct.pack("<800h", *range(-400, 400)))
    riff = out.getvalue()
    info = b"INFO" + riff_chunk(b"IART", AUTHOR.encode() + b"\x00")
    info += riff_chunk(b"ICMT", SERIAL.encode())
    body = riff[12:36] + riff_chunk(b"LIST", info) + riff[36:]  # after "fmt ", before "data"
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def riff_chunk(cid: bytes, payload: bytes) -> bytes:
    return cid + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) & 1)


def ogg_opus() -> bytes:
    def page(packets: list[bytes], sequence: int, granule: int, *, first: bool = False) -> bytes:
        p = OggPage()
        p.serial, p.sequence, p.position, p.first = 0x7E57, sequence, granule, first
        p.last = sequence == 2
        p.packets = packets
        return bytes(p.write())

    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", 312, 48000, 0, 0)
    comments = [f"ARTIST={AUTHOR}".encode(), f"DEVICE={SERIAL}".encode()]
    tags = b"OpusTags" + struct.pack("<I", 4) + b"test" + struct.pack("<I", len(comments))
    tags += b"".join(struct.pack("<I", len(c)) + c for c in comments)
    silence = [bytes([0xF8, 0xFF, 0xFE])] * 50
    return page([head], 0, 0, first=True) + page([tags], 1, 0) + page(silence, 2, 48000)


def box(kind: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    return struct.pack(">I", 8 + len(body)) + kind + body


def full_box(kind: bytes, *payload: bytes) -> bytes:
    return box(kind, bytes(4), *payload)  # version 0, no flags


def m4a(handler: bytes = b"soun") -> bytes:
    """One second of AAC (the samples are zeros), recorded 2014 at a place in Berlin, then
    tagged with the author by mutagen as a phone's recorder would."""
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    times = struct.pack(">II", 3_600_000_000, 3_600_000_001)
    mvhd = full_box(
        b"mvhd", times, struct.pack(">IIIH", 1000, 1000, 0x10000, 0x100), bytes(10), matrix
    )
    mvhd = box(b"mvhd", mvhd[8:], bytes(24), struct.pack(">I", 2))
    tkhd = full_box(b"tkhd", times, struct.pack(">III", 1, 0, 1000), bytes(8))
    tkhd = box(b"tkhd", tkhd[8:], struct.pack(">hhhH", 0, 0, 0x100, 0), matrix, bytes(8))
    mdhd = full_box(b"mdhd", times, struct.pack(">IIHH", 44100, 44100, 0x55C4, 0))
    hdlr = full_box(b"hdlr", bytes(4), handler, bytes(12), b"Handler\x00")
    esds = full_box(
        b"esds",
        bytes([3, 25, 0, 1, 0, 4, 17, 0x40, 0x15]),
        bytes(3),
        struct.pack(">II", 128000, 128000),
        bytes([5, 2, 0x12, 0x10, 6, 1, 2]),
    )
    mp4a = box(b"mp4a", bytes(6), struct.pack(">HQHHHHI", 1, 0, 2, 16, 0, 0, 44100 << 16), esds)
    stbl = box(
        b"stbl",
        full_box(b"stsd", struct.pack(">I", 1), mp4a),
        full_box(b"stts", struct.pack(">III", 1, 1, 44100)),
        full_box(b"stsc", struct.pack(">IIII", 1, 1, 1, 1)),
        full_box(b"stsz", struct.pack(">III", 0, 1, 16)),
        full_box(b"stco", struct.pack(">II", 1, 0)),
    )
    dref = full_box(b"dref", struct.pack(">I", 1), box(b"url ", b"\x00\x00\x00\x01"))
    minf = box(b"minf", full_box(b"smhd", bytes(4)), box(b"dinf", dref), stbl)
    trak = box(b"trak", tkhd, box(b"mdia", mdhd, hdlr, minf))
    where = b"+52.5200+013.4050/"
    udta = box(b"udta", box(b"\xa9xyz", struct.pack(">HH", len(where), 0x15C7), where))
    ftyp = box(b"ftyp", b"M4A ", bytes(4), b"M4A isom")
    moov = box(b"moov", mvhd, trak, udta)
    data = bytearray(ftyp + moov + box(b"mdat", bytes(16)))
    offset = data.find(b"stco") + 12  # the one chunk starts at the samples in mdat
    data[offset : offset + 4] = struct.pack(">I", len(ftyp) + len(moov) + 8)
    buf = io.BytesIO(bytes(data))
    audio = mutagen.mp4.MP4(buf)
    audio.add_tags()
    assert audio.tags is not None
    audio.tags["\xa9ART"] = [AUTHOR]
    audio.tags["\xa9cmt"] = [SERIAL]
    audio.save(buf)
    return buf.getvalue()


# --- Photos -------------------------------------------------------------------------------


def test_it_removes_location_author_and_serial_from_a_jpeg_photo() -> None:
    original = jpeg()
    attachment = prepare_attachment("IMG_0042.jpg", original)

    assert attachment.media_type == "image/jpeg"
    assert_identifying_details_only_in(original, attachment.clean)
    assert GPS_BYTES in original
    assert GPS_BYTES not in attachment.clean
    clean = Image.open(io.BytesIO(attachment.clean))
    assert clean.format == "JPEG"
    assert clean.size == (40, 20)
    assert not clean.getexif()
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(clean.info)


def test_it_turns_a_photo_upright_before_dropping_its_orientation() -> None:
    # Orientation 6: the camera was held upright, the picture must be turned 90° clockwise.
    attachment = prepare_attachment("portrait.jpg", jpeg(orientation=6))

    clean = Image.open(io.BytesIO(attachment.clean)).convert("RGB")
    assert clean.size == (20, 40)
    red, blue = clean.getpixel((10, 5)), clean.getpixel((10, 35))
    assert isinstance(red, tuple) and red[0] > 200 and red[2] < 60  # the left half is on top
    assert isinstance(blue, tuple) and blue[2] > 200 and blue[0] < 60


def test_it_keeps_png_pixels_exactly_and_drops_its_text_chunks() -> None:
    original = png()
    attachment = prepare_attachment("screenshot.png", original)

    assert attachment.media_type == "image/png"
    assert_identifying_details_only_in(original, attachment.clean)
    clean = Image.open(io.BytesIO(attachment.clean))
    assert isinstance(clean, PngImageFile)
    assert clean.text == {}
    assert not clean.getexif()
    assert clean.tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_it_keeps_a_lossless_webp_lossless_without_its_exif() -> None:
    out = io.BytesIO()
    picture().save(out, "WEBP", lossless=True, exif=exif(), xmp=XMP.encode())
    original = out.getvalue()

    attachment = prepare_attachment("sticker.webp", original)

    assert attachment.media_type == "image/webp"
    assert_identifying_details_only_in(original, attachment.clean)
    clean = Image.open(io.BytesIO(attachment.clean))
    assert clean.format == "WEBP"
    assert clean.tobytes() == picture().tobytes()


def test_it_cleans_an_animated_gif_and_keeps_its_frames() -> None:
    frames = [picture(), picture().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0, comment=SERIAL
    )
    original = out.getvalue()
    assert SERIAL.encode() in original

    attachment = prepare_attachment("threat.gif", original)

    assert SERIAL.encode() not in attachment.clean
    clean = Image.open(io.BytesIO(attachment.clean))
    assert clean.format == "GIF"
    assert [f.info["duration"] for f in ImageSequence.Iterator(clean)] == [200, 200]


# --- PDF ----------------------------------------------------------------------------------


def test_it_removes_author_and_xmp_from_a_pdf_and_keeps_its_pages() -> None:
    original = pdf(pages=3)
    attachment = prepare_attachment("summons.pdf", original)

    assert attachment.media_type == "application/pdf"
    assert_identifying_details_only_in(original, attachment.clean)
    assert b"<x:xmpmeta" in original
    assert b"<x:xmpmeta" not in attachment.clean
    assert b"/ObjStm" not in attachment.clean  # no compressed objects the search would miss
    clean = PdfReader(io.BytesIO(attachment.clean))
    assert len(clean.pages) == 3
    assert clean.metadata is None
    assert clean.xmp_metadata is None


def test_it_adds_no_producer_of_its_own_to_a_pdf() -> None:
    attachment = prepare_attachment("summons.pdf", pdf())

    assert b"pypdf" not in attachment.clean
    assert b"/Producer" not in attachment.clean
    assert "/Info" not in PdfReader(io.BytesIO(attachment.clean)).trailer


def test_it_removes_the_exif_of_photos_inside_a_pdf() -> None:
    original = pdf()
    assert b"Exif\x00\x00" in original

    attachment = prepare_attachment("scan.pdf", original)

    assert b"Exif\x00\x00" not in attachment.clean
    assert GPS_BYTES not in attachment.clean
    page = PdfReader(io.BytesIO(attachment.clean)).pages[0]
    photo = page.images[0].image
    assert photo is not None and photo.size == (40, 20)  # the photo is still there


def test_it_opens_a_pdf_only_locked_against_copying() -> None:
    # Official letters often have an owner password but none to open them.
    original = pdf(password="", owner_password="ministry")

    attachment = prepare_attachment("letter.pdf", original)

    clean = PdfReader(io.BytesIO(attachment.clean))
    assert not clean.is_encrypted
    assert AUTHOR.encode() not in attachment.clean


def test_it_refuses_a_pdf_that_needs_a_password_in_plain_words() -> None:
    with pytest.raises(AttachmentRejected) as refused:
        prepare_attachment("letter.pdf", pdf(password="secret"))

    assert refused.value.code == "locked"
    assert "password" in str(refused.value.message)


# --- Audio --------------------------------------------------------------------------------


def test_it_removes_id3_tags_from_an_mp3() -> None:
    original = mp3()
    attachment = prepare_attachment("voice.mp3", original)

    assert attachment.media_type == "audio/mpeg"
    assert_identifying_details_only_in(original, attachment.clean)
    assert not attachment.clean.startswith(b"ID3")
    assert attachment.clean[-128:-125] != b"TAG"
    assert attachment.clean == MPEG_FRAMES  # the sound, every byte of it, and nothing else
    assert MP3(io.BytesIO(attachment.clean)).tags is None


def test_it_removes_list_info_from_a_wav_and_keeps_the_sound() -> None:
    original = wav()
    attachment = prepare_attachment("call.wav", original)

    assert attachment.media_type == "audio/wav"
    assert_identifying_details_only_in(original, attachment.clean)
    assert b"LIST" not in attachment.clean
    with (
        wave.open(io.BytesIO(original)) as before,
        wave.open(io.BytesIO(attachment.clean)) as after,
    ):
        assert after.readframes(10_000) == before.readframes(10_000)


def test_it_removes_the_comments_of_an_ogg_opus_voice_message() -> None:
    original = ogg_opus()
    attachment = prepare_attachment("PTT-20240101.opus", original)

    assert attachment.media_type == "audio/ogg"
    assert_identifying_details_only_in(original, attachment.clean)
    clean = OggOpus(io.BytesIO(attachment.clean))
    assert len(clean.tags or []) == 0
    before: Any = OggOpus(io.BytesIO(original)).info  # mutagen types `info` as None
    after: Any = clean.info
    assert after.length == before.length


def test_it_removes_tags_place_and_dates_from_an_m4a_recording() -> None:
    original = m4a()
    attachment = prepare_attachment("New Recording 3.m4a", original)

    assert attachment.media_type == "audio/mp4"
    assert_identifying_details_only_in(original, attachment.clean)
    assert b"+52.5200+013.4050" in original
    assert b"+52.5200+013.4050" not in attachment.clean
    assert struct.pack(">I", 3_600_000_000) not in attachment.clean
    clean = mutagen.mp4.MP4(io.BytesIO(attachment.clean))
    assert clean.tags is None
    info: Any = clean.info  # mutagen types `info` as None
    assert info.length == 1.0


def test_it_refuses_a_video_sent_as_mp4() -> None:
    with pytest.raises(AttachmentRejected) as refused:
        prepare_attachment("clip.m4a", m4a(handler=b"vide"))

    assert refused.value.code == "type"


# --- What is refused, and the name kept ---------------------------------------------------


def test_it_refuses_a_program_renamed_to_jpg() -> None:
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200) + b"This program cannot be run"

    with pytest.raises(AttachmentRejected) as refused:
        prepare_attachment("holiday.jpg", program)

    assert refused.value.code == "type"
    assert str(refused.value.message).startswith("This file type is not accepted")


def test_it_refuses_an_empty_file_in_plain_words() -> None:
    with pytest.raises(AttachmentRejected) as refused:
        prepare_attachment("photo.jpg", b"")

    assert refused.value.code == "empty"
    assert str(refused.value.message) == "This file is empty. Please choose the file again."


def test_it_refuses_a_file_over_the_limit_in_plain_words() -> None:
    too_big = jpeg() + bytes(ATTACHMENT_MAX_BYTES)

    with pytest.raises(AttachmentRejected) as refused:
        prepare_attachment("photo.jpg", too_big)

    assert refused.value.code == "too_large"
    assert str(refused.value.message) == ("This file is too large: each file can be at most 10 MB.")


def test_it_refuses_a_heic_photo_it_cannot_open_and_says_what_to_do() -> None:
    heic = box(b"ftyp", b"heic", bytes(4), b"mif1heic") + bytes(64)

    with pytest.raises(AttachmentRejected) as refused:
        prepare_attachment("IMG_1234.HEIC", heic)

    assert refused.value.code == "heic"
    assert "JPEG" in str(refused.value.message)


def test_it_refuses_a_damaged_photo() -> None:
    with pytest.raises(AttachmentRejected) as refused:
        prepare_attachment("photo.jpg", jpeg()[:300])

    assert refused.value.code == "damaged"


def test_a_refusal_never_names_the_file() -> None:
    with pytest.raises(AttachmentRejected) as refused:
        prepare_attachment(f"{AUTHOR}.jpg", b"")

    assert AUTHOR not in str(refused.value)
    assert AUTHOR not in repr(refused.value)


def test_it_keeps_the_original_untouched_and_hashes_it() -> None:
    original = jpeg()
    attachment = prepare_attachment("IMG_0042.jpg", original)

    assert attachment.original == original
    assert attachment.sha256 == hashlib.sha256(original).hexdigest()
    assert attachment.clean != original


def test_it_keeps_only_the_file_name_without_folders_or_control_characters() -> None:
    name = "C:\\Users\\leila\\Desktop\\report\u202egnp.exe\x00\n.png"

    assert prepare_attachment(name, png()).name == "reportgnp.exe.png"
    assert prepare_attachment("../../etc/passwd.png", png()).name == "passwd.png"
    assert prepare_attachment("..", png()).name == "file"


def test_it_shortens_a_long_name_but_keeps_the_extension() -> None:
    name = prepare_attachment("a" * 300 + ".png", png()).name

    assert len(name) == 200
    assert name.endswith("a.png")


# --- Upload handler -----------------------------------------------------------------------


def _received(request: HttpRequest, handler: MemoryOnlyUploadHandler | None) -> JsonResponse:
    files = request.FILES.getlist("files")
    return JsonResponse(
        {
            "fields": {k: request.POST[k] for k in request.POST if k != "csrfmiddlewaretoken"},
            "files": {f.name: f.size for f in files},
            "in_memory": all(isinstance(f, InMemoryUploadedFile) for f in files),
            "too_large": handler.too_large if handler else [],
            # Listed while the uploads are still open: Django deletes its spill files later.
            "temp_dir": sorted(os.listdir(tempfile.gettempdir())),
        }
    )


@csrf_exempt  # the upload handler goes in first; _upload_checked then checks the CSRF token
def upload_view(request: HttpRequest) -> HttpResponse:
    # The try wraps the csrf_protect view too: its CSRF check is what first reads the body.
    try:
        handler = install_memory_only_uploads(request)
        return _upload_checked(request, handler)
    except RequestTooLarge as exc:
        return JsonResponse({"error": str(exc.message)}, status=413)


@csrf_protect
def _upload_checked(request: HttpRequest, handler: MemoryOnlyUploadHandler) -> HttpResponse:
    return _received(request, handler)


def default_upload_view(request: HttpRequest) -> HttpResponse:
    """The handlers of the settings (Django's own where a test overrides them back)."""
    return _received(request, None)


urlpatterns = [
    path("upload/", upload_view),
    path("default-upload/", default_upload_view),
]

this_urlconf = override_settings(ROOT_URLCONF=__name__)


@this_urlconf
def test_a_file_over_the_limit_is_dropped_and_named_while_the_other_fields_are_kept() -> None:
    small = SimpleUploadedFile("small.png", png(), content_type="image/png")
    big = SimpleUploadedFile("big.jpg", bytes(ATTACHMENT_MAX_BYTES + 1), content_type="image/jpeg")
    data = {"before": "what happened", "files": [big, small], "after": "the place"}

    response = Client().post("/upload/", data)

    assert response.status_code == 200
    got = response.json()
    assert got["fields"] == {"before": "what happened", "after": "the place"}
    assert got["files"] == {"small.png": len(png())}
    assert got["too_large"] == ["big.jpg"]
    assert got["in_memory"] is True


@this_urlconf
def test_a_request_declaring_more_than_the_report_limit_gets_413_before_its_body_is_read() -> None:
    body = encode_multipart(BOUNDARY, {"what": "text"})

    # The declared length is a lie: reading past the real body would fail the test client.
    response = Client().post(
        "/upload/",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",  # sent as it is
        CONTENT_LENGTH=str(REPORT_MAX_BYTES + 1),
    )

    assert response.status_code == 413
    assert "30 MB" in response.json()["error"]


@this_urlconf
def test_files_over_the_report_limit_together_get_413() -> None:
    files = [
        SimpleUploadedFile(f"{n}.jpg", bytes(8 * 1024 * 1024), content_type="image/jpeg")
        for n in range(4)
    ]

    response = Client().post("/upload/", {"what": "text", "files": files})

    assert response.status_code == 413


def test_the_handler_alone_refuses_a_declared_length_over_the_report_limit() -> None:
    # Without install_memory_only_uploads' early check, e.g. a handler installed another way.
    body = encode_multipart(BOUNDARY, {"what": "text"})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(REPORT_MAX_BYTES + 1)}

    with pytest.raises(RequestTooLarge):
        MultiPartParser(meta, io.BytesIO(body), [MemoryOnlyUploadHandler()]).parse()


def test_files_over_the_report_limit_are_stopped_while_streaming_without_a_true_length() -> None:
    # A chunked request, or one with a wrong Content-Length, declares less than it sends.
    files = [SimpleUploadedFile(f"{n}.jpg", bytes(8 * 1024 * 1024)) for n in range(4)]
    body = encode_multipart(BOUNDARY, {"files": files})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": "1000"}
    handler = MemoryOnlyUploadHandler()

    with pytest.raises(RequestTooLarge):
        MultiPartParser(meta, io.BytesIO(body), [handler]).parse()


@pytest.mark.parametrize(
    ("size", "kept"), [(ATTACHMENT_MAX_BYTES, True), (ATTACHMENT_MAX_BYTES + 1, False)]
)
def test_a_file_of_exactly_the_limit_is_kept(size: int, kept: bool) -> None:
    body = encode_multipart(BOUNDARY, {"files": SimpleUploadedFile("f.pdf", bytes(size))})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handler = MemoryOnlyUploadHandler()

    _, files = MultiPartParser(meta, io.BytesIO(body), [handler]).parse()

    assert ("files" in files) is kept
    assert handler.too_large == ([] if kept else ["f.pdf"])


def _new_in_temp_dir(before: set[str], got: dict[str, Any]) -> list[str]:
    """Upload spill files Django made in the temporary directory during the request (its
    temporary uploads are named "tmp….upload.<ext>"; other processes may add other files)."""
    return [name for name in set(got["temp_dir"]) - before if ".upload" in name]


@this_urlconf
def test_a_3_mb_upload_is_never_written_to_the_temporary_directory() -> None:
    before = set(os.listdir(tempfile.gettempdir()))
    recording = SimpleUploadedFile("call.wav", os.urandom(3 * 1024 * 1024))

    response = Client().post("/upload/", {"files": recording})

    assert response.status_code == 200
    got = response.json()
    assert _new_in_temp_dir(before, got) == []
    assert got["files"] == {"call.wav": 3 * 1024 * 1024}
    assert got["in_memory"] is True
    assert not {n for n in set(os.listdir(tempfile.gettempdir())) - before if ".upload" in n}


DJANGO_DEFAULT_UPLOADS = override_settings(
    FILE_UPLOAD_HANDLERS=[
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ],
    FILE_UPLOAD_MAX_MEMORY_SIZE=2_621_440,
)


@this_urlconf
@DJANGO_DEFAULT_UPLOADS
def test_django_default_handlers_would_have_written_it_to_disk() -> None:
    # The check above can see a spill: with Django's own handlers the same upload is on disk.
    before = set(os.listdir(tempfile.gettempdir()))
    recording = SimpleUploadedFile("call.wav", os.urandom(3 * 1024 * 1024))

    response = Client().post("/default-upload/", {"files": recording})

    assert response.status_code == 200
    assert len(_new_in_temp_dir(before, response.json())) == 1
    assert response.json()["in_memory"] is False


@this_urlconf
def test_our_settings_keep_any_other_upload_in_memory_too() -> None:
    # settings.FILE_UPLOAD_HANDLERS: a view without the reporting form's handler (the import
    # page and API) keeps the same upload off the disk.
    before = set(os.listdir(tempfile.gettempdir()))
    recording = SimpleUploadedFile("sheet.csv", os.urandom(3 * 1024 * 1024))

    response = Client().post("/default-upload/", {"files": recording})

    assert response.status_code == 200
    assert _new_in_temp_dir(before, response.json()) == []
    assert response.json()["in_memory"] is True


@this_urlconf
def test_the_csrf_check_still_runs_after_the_handler_is_installed() -> None:
    client = Client(enforce_csrf_checks=True)
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    recording = SimpleUploadedFile("call.wav", os.urandom(3 * 1024 * 1024))

    refused = client.post("/upload/", {"what": "text"})
    accepted = client.post("/upload/", {"csrfmiddlewaretoken": secret, "files": recording})

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert accepted.json()["in_memory"] is True


def test_installing_refuses_a_declared_length_over_the_limit_at_once() -> None:
    request = RequestFactory().post(
        "/upload/", {"what": "text"}, CONTENT_LENGTH=str(REPORT_MAX_BYTES + 1)
    )

    with pytest.raises(RequestTooLarge):
        install_memory_only_uploads(request)


def test_installing_after_the_body_was_read_fails_loudly() -> None:
    request = RequestFactory().post("/upload/", {"what": "text"})
    assert request.POST["what"] == "text"

    with pytest.raises(AttributeError):
        install_memory_only_uploads(request)
