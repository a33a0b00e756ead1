from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "beyondreach.accountability"
    label = "accountability"
    verbose_name = "Accountability: INTERPOL cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The perpetrators' blind name index, recomputed by a data key rotation as the
        # persons' is (core/rotation.py).
        from beyondreach.accountability import perpetrator_models as pm
        from beyondreach.cases.names import name_digests
        from beyondreach.core.rotation import BlindIndex, register_blind_index

        register_blind_index(
            BlindIndex(
                pm.Perpetrator,
                pm.PerpetratorName,
                pm.PerpetratorNameToken,
                "perpetrator",
                name_digests,
            )
        )
