from django.apps import AppConfig


class VocabConfig(AppConfig):
    name = "tnrwatch.vocab"
    label = "vocab"
