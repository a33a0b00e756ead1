from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "beyondreach.statistics"
    label = "statistics"
    default_auto_field = "django.db.models.BigAutoField"
