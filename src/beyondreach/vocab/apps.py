from django.apps import AppConfig


class VocabConfig(AppConfig):
    name = "beyondreach.vocab"
    label = "vocab"
