"""The WSGI entry point, for waitress (`beyondreach serve`) or any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beyondreach.settings")
application = get_wsgi_application()

from beyondreach.core.secret_key import require_secret_key  # noqa: E402  (needs Django set up)

require_secret_key()  # no server starts with a missing or public signing key
