"""The codes of the dimensions, importable without Django (the command line's choices).
dimensions.DIMENSIONS has one entry for each, in this order."""

DIMENSION_CODES = (
    "origin",
    "host",
    "tactic",
    "tactic_category",
    "target_group",
    "actor_type",
    "mechanism_kind",
    "verification",
    "scope",
    "year",
    "month",
    "fh_definition",
)
