"""Interchange: import and export of incidents in the formats the field already uses
(docs/interchange.md)."""
