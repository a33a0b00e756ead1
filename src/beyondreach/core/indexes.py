"""An index for lists read newest first, where a date not known sorts last.

A date column that may be NULL (a date not known, issue 9) is ordered
`DESC NULLS LAST`. SQLite puts NULLs last in a descending order already, and refuses
`NULLS LAST` in an index, so its index is Django's own; PostgreSQL puts NULLs first unless told,
so there the date column is declared `DESC NULLS LAST`, and an ordering by
`newest_first(column)` reads the index in order instead of sorting every match.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.ddl_references import Statement
from django.db.models import F, OrderBy

# The nullable dates the lists order by.
DATE_COLUMNS = {"start_date"}


def newest_first(column: str) -> OrderBy:
    """Descending, a date not known last: the order NewestFirstIndex serves."""
    return OrderBy(F(column), descending=True, nulls_last=True)


class NewestFirstIndex(models.Index):
    def create_sql(
        self,
        model: type[models.Model],
        schema_editor: BaseDatabaseSchemaEditor,
        using: str = "",
        **kwargs: Any,
    ) -> Statement:
        if schema_editor.connection.vendor != "postgresql":
            return super().create_sql(model, schema_editor, using, **kwargs)
        parts = [
            OrderBy(F(name), descending=True, nulls_last=True if name in DATE_COLUMNS else None)
            if order == "DESC"
            else F(name)
            for name, order in self.fields_orders
        ]
        index = models.Index(*parts, name=self.name)
        return index.create_sql(model, schema_editor, using, **kwargs)
