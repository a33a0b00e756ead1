"""The export API: GET /api/v1/exports?format=...&<the incident list's filters>."""

from ninja import Router

router = Router(tags=["exports"])
