from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "beyondreach.interchange"
    label = "interchange"
    default_auto_field = "django.db.models.BigAutoField"
