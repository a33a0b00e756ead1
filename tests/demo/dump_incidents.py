"""Print every incident of the configured database as comparable JSON, one per line, sorted.

Run by tests/demo/test_parallel.py in a subprocess: `python -m tests.demo.dump_incidents`.
"""

from __future__ import annotations

import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beyondreach.settings")
    django.setup()
    from django.db.models import Prefetch

    from beyondreach.cases import models as m
    from beyondreach.cases.export import incident_snapshot
    from beyondreach.core.audit import audit_verify

    from .test_demo import comparable

    names = Prefetch("targets__person__names", m.PersonName.objects.order_by("position"))
    lines = [
        json.dumps(comparable(incident_snapshot(incident)), sort_keys=True, default=str)
        for incident in m.Incident.objects.prefetch_related(names)
    ]
    print("\n".join(sorted(lines)))
    print(json.dumps({"audit_broken": len(audit_verify()), "persons": m.Person.objects.count()}))


if __name__ == "__main__":
    main()
