from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "beyondreach.screening"
    label = "screening"
    verbose_name = "Screening against public lists"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from beyondreach.cases.signals import person_saved
        from beyondreach.screening.tasks import on_person_saved

        person_saved.connect(on_person_saved, dispatch_uid="screening.person")
