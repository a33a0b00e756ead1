"""A kept file handed back to a member."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment_download(data: bytes, media_type: str, name: str, *, clean: bool) -> HttpResponse:
    """A kept file as a download, never shown inline: a file from outside is not trusted.
    The metadata-free copy is named "clean-<name>", so the two never overwrite each other."""
    response = HttpResponse(data, content_type=media_type)
    filename = f"clean-{name}" if clean else name
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
