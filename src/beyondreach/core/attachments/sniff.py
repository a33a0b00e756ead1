"""A file's type from its first bytes (magic numbers), never from its name or declared type."""

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def sniff(data: bytes) -> str | None:
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
