from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "beyondreach.referrals"
    label = "referrals"
    verbose_name = "Referrals to protection bodies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from beyondreach.alerts.deadlines import register_deadline_source
        from beyondreach.referrals.selectors import referral_follow_ups

        # Follow-up dates appear on the Deadlines page and produce reminders (docs/alerts.md).
        register_deadline_source("referrals.follow_up", referral_follow_ups)
