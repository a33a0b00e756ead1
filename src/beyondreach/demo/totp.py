"""The current two-factor code of a demo user, to try the demo without an authenticator app.

    .venv/bin/python -m beyondreach.demo.totp demo_admin

prints the six-digit code of the user's authenticator: the one being enrolled (whose key the
two-factor page shows at the first login) or the one already confirmed. A code is accepted
once: for a second login within the same 30 seconds, wait for the next one.

Demo users only (the usernames of `beyondreach demo`, in the demo organisations): for anyone
else it refuses. It reads the device's key from the database, which whoever can run it can
read anyway; it adds no way in for someone without access to the server.
"""

from __future__ import annotations

import os
import sys
import time

from beyondreach.core.errors import ApplicationError


def demo_code(username: str, *, at: float | None = None) -> str:
    """The code the user's authenticator shows at `at` (now by default)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from beyondreach.core.models import User
    from beyondreach.demo.generate import DEMO_USERS

    demo = {name for users in DEMO_USERS.values() for name, _role in users}
    user = User.objects.filter(username=username, organisation__name__in=list(DEMO_USERS)).first()
    if username not in demo or user is None:
        raise ApplicationError(f"{username!r} is not a demo user: this is for the demo only.")
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-pk").first()
    if device is None:
        raise ApplicationError(
            f"{username} has no authenticator yet: log in with the password first; the "
            "two-factor page then makes one, and this prints its code."
        )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m beyondreach.demo.totp DEMO_USERNAME", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beyondreach.settings")
    import django

    django.setup()
    try:
        print(demo_code(argv[0]))
    except ApplicationError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
