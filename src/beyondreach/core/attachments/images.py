"""Photos and screenshots (JPEG, PNG, WebP, GIF): re-encoded from their pixels alone.

Orientation is applied and the colour profile baked into sRGB first, so the copy looks the
same; then nothing but pixels reaches the encoder, and the result is opened again and checked.
"""

from io import BytesIO
from typing import Any

from PIL import ExifTags, Image, ImageCms, ImageSequence

from beyondreach.core.attachments.errors import AttachmentRejected
from beyondreach.core.attachments.limits import IMAGE_MAX_PIXELS
from beyondreach.core.attachments.riff import riff_chunks

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
# EXIF and XMP as they appear in a file's bytes; pdf.py looks for them in embedded JPEGs too.
METADATA_MARKERS = (b"Exif\x00\x00", b"<x:xmpmeta", b"http://ns.adobe.com/xap/1.0/")


def clean_image(data: bytes, media_type: str) -> bytes:
    image = _open_image(data, media_type)
    fmt = "JPEG" if image.format == "MPO" else str(image.format)  # MPO: only the main picture
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    icc = image.info.get("icc_profile")
    frames, durations = _decode_frames(image, animated=fmt in _ANIMATED)
    bare = [_pixels_only(frame, fmt, icc, orientation) for frame in frames]
    lossless = fmt == "WEBP" and any(cid == b"VP8L" for cid, _ in riff_chunks(data))
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
    if any(marker in clean for marker in METADATA_MARKERS):
        raise AttachmentRejected("not_clean")
