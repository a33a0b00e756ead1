"""Receiving a request's files in memory only, within the size limits.

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

from io import BytesIO
from typing import IO, TYPE_CHECKING, Any

from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from beyondreach.core.attachments.limits import ATTACHMENT_MAX_BYTES, REPORT_MAX_BYTES
from beyondreach.core.attachments.names import display_name

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


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


class RequestCutOff(MultiPartParserError):
    """The body ended before the multipart closing delimiter: the upload was cut off.

    Django's parser takes a file part that ends without its boundary as complete and goes on,
    so a connection dropped midway would store a report without its file (or with half of it)
    and tell the reporter it worked. Raised from `upload_complete`, so `request.POST` is
    marked unreadable and nothing is stored.
    """

    message: _StrPromise = _(
        "Your message did not arrive whole: the connection was cut while it was being sent. "
        "Nothing was saved. Please go back and send it again."
    )

    def __init__(self) -> None:
        super().__init__("multipart body without its closing delimiter")


class _BodyWatcher:
    """Reads the request body through to the parser, noting whether the multipart closing
    delimiter passed by. A boundary cannot occur inside a part (the parser would split
    there), so seeing it means the body arrived whole. Keeps only a few bytes of it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._tail = b""
        self.delimiter = b""  # set once the parser tells the handler the boundary
        self.closed_properly = False

    def _see(self, data: bytes) -> bytes:
        if self.delimiter and not self.closed_properly:
            window = self._tail + data
            self.closed_properly = self.delimiter in window
            self._tail = window[-len(self.delimiter) :]
        return data

    def read(self, *args: Any) -> bytes:
        return self._see(self._stream.read(*args))

    def readline(self, *args: Any) -> bytes:
        return self._see(self._stream.readline(*args))


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep every uploaded file in memory, never in a temporary file, within the limits.

    - A declared Content-Length over REPORT_MAX_BYTES raises RequestTooLarge before the body
      is read. Not StopUpload: raised here it is not caught by the parser, and raised later it
      is caught and the view could not tell a cut-off request from a complete one.
    - A file over ATTACHMENT_MAX_BYTES is not kept: what was buffered is dropped, its name goes
      to `too_large`, and the parser goes on with the other fields and files.
    - More than REPORT_MAX_BYTES of files in all (possible when the declared length is missing
      or wrong) raises RequestTooLarge while the body streams.
    - A body that ends without the multipart closing delimiter raises RequestCutOff.
    """

    def __init__(
        self, request: HttpRequest | None = None, watcher: _BodyWatcher | None = None
    ) -> None:
        super().__init__(request)
        self._watcher = watcher
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
        if self._watcher is not None:
            # Django passes the boundary as bytes, though its signature says str.
            raw = boundary if isinstance(boundary, bytes) else boundary.encode("ascii")
            self._watcher.delimiter = b"--" + raw + b"--"
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

    def upload_complete(self) -> None:
        # Django's parser has read the body to its end by now (it exhausts the stream).
        watcher = self._watcher
        if watcher is not None and watcher.delimiter and not watcher.closed_properly:
            raise RequestCutOff()


def install_memory_only_uploads(request: HttpRequest) -> MemoryOnlyUploadHandler:
    """Make `request` keep its uploads in memory only; raise RequestTooLarge at once if the
    declared length is over REPORT_MAX_BYTES; reading the body then raises RequestCutOff if it
    ends before the multipart closing delimiter. Call it before anything reads `request.POST` or
    `request.FILES`, in a `csrf_exempt` view that then calls a `csrf_protect` one, and catch
    RequestTooLarge around both (see the module docstring for the pattern and why)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0  # Django's parser treats it the same way
    if declared > REPORT_MAX_BYTES:
        raise RequestTooLarge()
    watcher = None
    if not hasattr(request, "_body"):  # not read yet: the parser will read the stream
        # HttpRequest reads its body through `_stream` (a private attribute, but the one
        # place every byte passes): watching it is how the closing delimiter is seen.
        watcher = _BodyWatcher(request._stream)
        request._stream = watcher  # type: ignore[assignment]  # reads like the stream it wraps
    handler = MemoryOnlyUploadHandler(request, watcher)
    handlers: list[FileUploadHandler] = [handler]
    request.upload_handlers = handlers
    return handler
