from django.apps import AppConfig
from django.core.signals import request_started


class CoreConfig(AppConfig):
    name = "beyondreach.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks
        from django.db.backends.signals import connection_created
        from django_tasks.signals import task_started

        from beyondreach.core.database_files import sqlite_owner_only
        from beyondreach.core.sealed import forget_wrapped_keys
        from beyondreach.core.secret_key import secret_key_check

        # Every management command that runs system checks (db_worker, runserver, migrate)
        # refuses to start without a real secret key.
        checks.register(secret_key_check, checks.Tags.security)
        connection_created.connect(sqlite_owner_only, dispatch_uid="beyondreach.sqlite.mode")

        # Each request and background task reads the data keys it uses afresh: one indexed
        # read per organisation, and a key rotated or restored by another process is never
        # used stale (core/sealed.py).
        request_started.connect(forget_wrapped_keys, dispatch_uid="beyondreach.keys.request")
        task_started.connect(forget_wrapped_keys, dispatch_uid="beyondreach.keys.task")
