from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Panoptic Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .catalogue.datacache import connect_signals

        connect_signals()
