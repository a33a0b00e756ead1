"""The export API: GET /api/v1/exports?format=...&audience=...&<the incident list's filters>.

The file is streamed as it is written; the answer to a bad format, audience or filter is a
422 with the API's JSON error body, before anything is read.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from beyondreach.cases.api import IncidentFiltersIn
from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.decorators import api_user
from beyondreach.interchange.exports import Export, export_incidents

router = Router(tags=["exports"])


class ExportIn(Schema):
    format: str = Field(description="csv, xlsx, fh, dyads, sdg16101, ftm, esf, uwazi, beyondreach")
    audience: Literal["owner", "pseudonymised"] = Field(
        "owner",
        description="owner: names and free text for a role that sees them; pseudonymised: a "
        "file that names nobody (always so for analysts and viewers).",
    )
    to: str = Field(
        "",
        description="beyondreach only (admins): the receiving organisation's public transfer "
        "key, or the name of an organisation of this server; the file is encrypted to it.",
    )


def export_response(found: Export) -> StreamingHttpResponse:
    response = StreamingHttpResponse(found.chunks, content_type=found.format.media_type)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response["X-Incident-Count"] = str(found.count)
    # Names may be in it: no copy kept by a browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@router.get("/exports")
def exports(
    request: HttpRequest, chosen: Query[ExportIn], filters: Query[IncidentFiltersIn]
) -> StreamingHttpResponse:
    """Your organisation's incidents under the list's filters, as a file in `format`,
    streamed. What a role reads is what it sees on the page; every export is audited."""
    user = api_user(request)
    given = {k: v for k, v in filters.model_dump().items() if v is not None}
    found = export_incidents(
        viewer=user,
        filters=IncidentFilters(**given),
        format=chosen.format,
        audience=chosen.audience,
        to=chosen.to,
    )
    return export_response(found)
