from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "beyondreach.accountability"
    label = "accountability"
    verbose_name = "Accountability: INTERPOL cases"
    default_auto_field = "django.db.models.BigAutoField"
