from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "beyondreach.reports"
    label = "reports"
    verbose_name = "Safe reporting channel"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The channel's signing key is sealed with the organisation's data key directly, so
        # a data key rotation re-seals it (core/rotation.py).
        from beyondreach.core.rotation import SealedColumn, register_direct
        from beyondreach.reports.models import ReportingChannel
        from beyondreach.reports.services import channel_aad

        register_direct(
            SealedColumn(
                ReportingChannel,
                "signing_key",
                "signing_key_sealed",
                lambda channel: channel_aad(channel, "signing_key"),
            )
        )
