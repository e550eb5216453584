from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Panoptic Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import verification
        from .catalogue import datacache

        datacache.connect_signals()
        verification.connect_signals()
