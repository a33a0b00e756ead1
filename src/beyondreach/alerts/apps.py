from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "beyondreach.alerts"
    label = "alerts"
    verbose_name = "Alerts, deadlines and reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from beyondreach.alerts.matching import on_incident_saved
        from beyondreach.cases.signals import incident_saved

        # The cases app sends this after commit; matching queues outbox rows and returns.
        incident_saved.connect(on_incident_saved, dispatch_uid="alerts.match")
