"""`beyondreach transfer-key`: the organisation's transfer key, to give to its partners.

Prints the current key (making one if there is none): one string, the public key that
partners encrypt their files to and, after a colon, the verify key that checks the files
this organisation signs. It is no secret: give it once to each partner's admin, out of band
(`beyondreach export --format beyondreach --to KEY` on their side), and take theirs.

`--new` makes new keys and retires the former, which still open the files made for them
(partners then need the new string). `--trust KEY --name NAME` saves a partner's key as a
sender this organisation trusts: its files import without the "unknown sender" check.
"""

from __future__ import annotations

import argparse


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True, help="the organisation's name or UUID")
    p.add_argument("--new", action="store_true", help="make new keys, retiring the current ones")
    p.add_argument("--trust", metavar="KEY", help="a partner's transfer key, to trust its files")
    p.add_argument("--name", default="", help="with --trust: the partner's name, as shown here")


def run(args: argparse.Namespace) -> int:
    from beyondreach.cli import _organisation
    from beyondreach.core.errors import ApplicationError
    from beyondreach.core.models import User
    from beyondreach.interchange.transfer import transfer_key_create, transfer_key_current
    from beyondreach.interchange.transfer_trust import trusted_sender_save

    org = _organisation(args.org)
    if args.trust:
        admin = User.objects.filter(organisation=org, is_active=True, role="admin").first()
        if admin is None:
            raise ApplicationError("The organisation has no active admin to trust a partner.")
        saved = trusted_sender_save(actor=admin, key=args.trust, name=args.name)
        print(f"Trusted: {saved.name}, the key starting {saved.verify_key[:12]}")
        return 0
    key = None if args.new else transfer_key_current(org)
    if key is None:
        key = transfer_key_create(actor=None, organisation=org)
    print(key.exchange)
    return 0
