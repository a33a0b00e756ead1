"""Entries of the access matrix (tests/web/matrix.py) for the accountability API
(accountability/api.py): every role reads; admins and case workers write. The records are
matrix_interpol's and matrix_perpetrators' (`case_id`, `request_id`, `designation_id`,
`step_id`, `perpetrator_id`), and the matrix's incident.

A write naming a record is sent a valid body (API_BODIES, merged in
tests/web/test_access_matrix.py), so that a refusal is the record's or the role's. A create
naming a person and incidents in its body cannot have a fixed one: the empty body is a 422
for every role, before any role check (tests/accountability/test_api.py sends valid ones).
"""

from __future__ import annotations

from typing import Any

Statuses = dict[str, tuple[int, int, int, int]]
READ = {"GET": (200, 200, 200, 200)}
CREATE = {"POST": (201, 201, 403, 403)}
CHANGE = {"POST": (200, 200, 403, 403)}
API: dict[str, tuple[str, Statuses]] = {
    "api/v1/interpol-cases": ("staff", {**READ, "POST": (422, 422, 422, 422)}),
    "api/v1/interpol-cases/<case_id>": ("staff", READ),
    "api/v1/interpol-cases/<case_id>/status": ("staff", CHANGE),
    "api/v1/interpol-cases/<case_id>/ccf-requests": ("staff", CREATE),
    "api/v1/interpol-cases/<case_id>/national-steps": ("staff", CREATE),
    # The case worker starts the clock; the admin after them finds it running: 422.
    "api/v1/ccf-requests/<request_id>/admissible": ("staff", {"POST": (422, 200, 403, 403)}),
    "api/v1/ccf-requests/<request_id>/decision": ("staff", CHANGE),
    "api/v1/designations": ("staff", {**READ, "POST": (422, 422, 422, 422)}),
    "api/v1/designations/<designation_id>": ("staff", READ),
    "api/v1/designations/<designation_id>/steps": ("staff", CREATE),
    "api/v1/designation-steps/<step_id>/decision": ("staff", CHANGE),
    "api/v1/perpetrators": ("staff", {**READ, **CREATE}),
    "api/v1/perpetrators/<perpetrator_id>": ("staff", READ),
    "api/v1/perpetrators/<perpetrator_id>/incidents/<incident_id>": (
        "staff",
        {"PUT": (200, 200, 403, 403)},
    ),
}

API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("api/v1/interpol-cases/<case_id>/status", "POST"): {"status": "blocked"},
    ("api/v1/interpol-cases/<case_id>/ccf-requests", "POST"): {
        "kind": "access",
        "filed_on": "2025-02-01",
    },
    ("api/v1/interpol-cases/<case_id>/national-steps", "POST"): {
        "country": "TR",
        "kind": "arrest",
    },
    ("api/v1/ccf-requests/<request_id>/admissible", "POST"): {"admissible_on": "2025-02-01"},
    ("api/v1/ccf-requests/<request_id>/decision", "POST"): {
        "outcome": "deleted",
        "grounds": ["article_3"],
        "decided_on": "2025-06-01",
    },
    ("api/v1/designations/<designation_id>/steps", "POST"): {"kind": "appeal", "country": "TR"},
    ("api/v1/designation-steps/<step_id>/decision", "POST"): {
        "outcome": "upheld",
        "decided_on": "2025-06-01",
    },
    ("api/v1/perpetrators", "POST"): {
        "kind": "state_agency",
        "state": "CN",
        "names": [{"value": "Matrix Bureau", "script": "Latn"}],
    },
    ("api/v1/perpetrators/<perpetrator_id>/incidents/<incident_id>", "PUT"): {
        "role": "perpetrator"
    },
}
