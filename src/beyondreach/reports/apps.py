from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "beyondreach.reports"
    label = "reports"
    verbose_name = "Safe reporting channel"
    default_auto_field = "django.db.models.BigAutoField"
