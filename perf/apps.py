from django.apps import AppConfig


class PerfConfig(AppConfig):
    """No models, no URLs: the app exists for its management commands."""

    name = "perf"
