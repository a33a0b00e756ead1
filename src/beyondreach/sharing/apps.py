from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "beyondreach.sharing"
    label = "sharing"
    verbose_name = "Sharing between organisations"
    default_auto_field = "django.db.models.BigAutoField"
