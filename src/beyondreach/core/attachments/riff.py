"""The RIFF container, which WebP pictures and WAV recordings share."""

from collections.abc import Iterator


def riff_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(id, payload) of each chunk of a RIFF file. A payload cut short by the end of the file
    comes as far as it goes: recorders that stop abruptly leave such files."""
    pos = 12
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        yield data[pos : pos + 4], data[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)
