from __future__ import annotations

from datetime import date

import pytest

from beyondreach.cases import models as m

from ..api.conftest import client_for  # noqa: F401 - the API tests' fixture, used here too
from ..conftest import Personas
from .builders import record


@pytest.fixture
def recorded(personas: Personas) -> Personas:
    """Five incidents of the organisation (one out of scope) and one of the outsider's."""
    cw = personas.case_worker
    # Two origin states and two tactics: in two cells of each, once in each total.
    record(cw, origins=["CN", "RU"], tactics=["assault", "spyware"], targets=2)
    record(cw, origins=["CN"], tactics=["assault"], start=date(2023, 5, 2), hosts=["TR", "DE"])
    record(cw, origins=["IR"], tactics=["interpol_abuse"], mechanisms=["interpol_red_notice"])
    record(cw, origins=["CN"], tactics=["spyware"], scope=m.Scope.OUT_OF_SCOPE)
    record(cw, origins=["EG"], tactics=["doxxing"], hosts=[], actor_types=["police", "court"])
    record(personas.outsider, origins=["CN"], tactics=["assault"])
    return personas
