from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "beyondreach.screening"
    label = "screening"
    verbose_name = "Screening against public lists"
    default_auto_field = "django.db.models.BigAutoField"
