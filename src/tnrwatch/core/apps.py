from django.apps import AppConfig
from django.core.signals import request_started


class CoreConfig(AppConfig):
    name = "tnrwatch.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_tasks.signals import task_started

        from tnrwatch.core.sealed import forget_wrapped_keys

        # Each request and background task reads the data keys it uses afresh: one indexed
        # read per organisation, and a key rotated or restored by another process is never
        # used stale (core/sealed.py).
        request_started.connect(forget_wrapped_keys, dispatch_uid="tnrwatch.keys.request")
        task_started.connect(forget_wrapped_keys, dispatch_uid="tnrwatch.keys.task")
