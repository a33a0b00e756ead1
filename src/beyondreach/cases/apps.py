from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "beyondreach.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What a data key rotation must redo besides the `Sealed` attributes (core/rotation.py).
        from beyondreach.cases import models as m
        from beyondreach.cases.names import name_digests
        from beyondreach.core.rotation import (
            BlindIndex,
            SealedColumn,
            register_blind_index,
            register_direct,
        )
        from beyondreach.core.sealed import aad_for

        register_direct(
            SealedColumn(
                m.IncidentDocument,
                "original",
                "original_sealed",
                lambda doc: aad_for(doc, "original"),
                holds_files=True,
            ),
            SealedColumn(
                m.IncidentDocument,
                "clean",
                "clean_sealed",
                lambda doc: aad_for(doc, "clean"),
                holds_files=True,
            ),
        )
        register_blind_index(
            BlindIndex(m.Person, m.PersonName, m.NameToken, "person", name_digests)
        )
