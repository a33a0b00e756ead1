"""List files written in tests, and protected persons made through the real services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from beyondreach.cases.inputs import NameData, PersonData, TargetData
from beyondreach.cases.models import Incident
from beyondreach.core.models import User

from ..alerts.helpers import incident

DATA = Path(__file__).parent / "data"
T1 = DATA / "yente_t1_entities.ftm.json"  # six real lines of OpenSanctions (yente's tests)


def person_line(ftm_id: str, names: list[str], **props: list[str]) -> dict[str, Any]:
    return {
        "id": ftm_id,
        "schema": "Person",
        "caption": names[0],
        "properties": {"name": names, **props},
        "datasets": ["interpol_red_notices"],
    }


# A fictional Red Notice list: the defended person under a Cyrillic spelling, and a
# namesake who is someone else.
NOTICE = person_line(
    "interpol-red-2024-1",
    ["Дилноза Рахимова"],
    birthDate=["1985-04-12"],
    nationality=["uz"],
    topics=["wanted"],
)
NAMESAKE = person_line("interpol-red-2019-7", ["Тимур Беков"], topics=["wanted"])
UNRELATED = person_line("interpol-red-2021-3", ["Иван Петров"], topics=["wanted"])


def list_file(path: Path, *entities: dict[str, Any]) -> Path:
    path.write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities), encoding="utf-8"
    )
    return path


def protected(actor: User, name: str, *, assignee: User | None = None, **person: Any) -> Incident:
    """An incident whose primary target is a person of that name (Latin script)."""
    return incident(
        actor,
        title="Threats by phone",
        targets=[
            TargetData(
                role="primary",
                person=PersonData(names=[NameData(name, "Latn")], **person),
            )
        ],
        mechanisms=[],
        assignee_uuid=assignee.uuid if assignee else None,
    )
