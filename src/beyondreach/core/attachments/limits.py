"""How much the reporting channel accepts; the package docstring says why each limit is what
it is."""

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
REPORT_MAX_BYTES = 30 * 1024 * 1024
ATTACHMENTS_MAX = 5
IMAGE_MAX_PIXELS = 50_000_000
