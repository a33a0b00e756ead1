"""Voice recordings (MP3, M4A, Ogg, WAV): the sound is kept, the tags go.

mutagen's constructors are not annotated; each `no-untyped-call` ignore below is one of them.
"""

from collections.abc import Iterator
from io import SEEK_END, BytesIO

import mutagen
import mutagen.apev2
import mutagen.id3
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.ogg import OggPage
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from beyondreach.core.attachments.errors import AttachmentRejected
from beyondreach.core.attachments.riff import riff_chunks


def clean_mp3(data: bytes, media_type: str) -> bytes:
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


def clean_ogg(data: bytes, media_type: str) -> bytes:
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


def clean_mp4(data: bytes, media_type: str) -> bytes:
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


def clean_wav(data: bytes, media_type: str) -> bytes:
    chunks = [(cid, payload) for cid, payload in riff_chunks(data) if cid in _WAV_KEEP]
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
