from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "beyondreach.outbox"
    label = "outbox"
    verbose_name = "Outgoing messages"
    default_auto_field = "django.db.models.BigAutoField"
