"""`beyondreach transfer-key`: the organisation's public key for receiving transfer files.

Prints the current key (making one if there is none); `--new` makes a new one and retires
the former, which still opens the files already made for it. The public key is no secret:
give it to the organisation that sends the records (`beyondreach export --format beyondreach
--to KEY`).
"""

from __future__ import annotations

import argparse


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True, help="the receiving organisation's name or UUID")
    p.add_argument("--new", action="store_true", help="make a new key, retiring the current one")


def run(args: argparse.Namespace) -> int:
    from beyondreach.cli import _organisation
    from beyondreach.interchange.transfer import transfer_key_create, transfer_key_current

    org = _organisation(args.org)
    key = None if args.new else transfer_key_current(org)
    if key is None:
        key = transfer_key_create(actor=None, organisation=org)
    print(key.public_key)
    return 0
