"""Tasks queued before the product was renamed point at the new package (core/legacy.py)."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from beyondreach.core.legacy import OLD_PACKAGE


def forwards(apps, schema_editor):
    task = apps.get_model("django_tasks_database", "DBTaskResult")
    prefix = OLD_PACKAGE + "."
    task.objects.filter(task_path__startswith=prefix).update(
        task_path=Concat(Value("beyondreach."), Substr(F("task_path"), len(prefix) + 1))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_append_only"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
