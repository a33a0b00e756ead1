"""The import API: POST /api/v1/imports, GET /api/v1/imports/{id}."""

from ninja import Router

router = Router(tags=["imports"])
