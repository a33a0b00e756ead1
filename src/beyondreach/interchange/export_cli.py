"""`beyondreach export`."""

from __future__ import annotations

import argparse


def arguments(p: argparse.ArgumentParser) -> None:
    return None


def run(args: argparse.Namespace) -> int:
    from beyondreach.core.errors import ApplicationError

    raise ApplicationError("Export is not available yet.")
