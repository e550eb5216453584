from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _rti_calendar_apply(sender, using, plan=None, **kwargs):
    """After migrate: count open requests again if the holidays or the option changed
    (a new holidays package, a new bundled file) since they were last counted."""
    from .rti.holidays import HolidayFileError, rti_calendar_apply

    try:
        changed = rti_calendar_apply()
    except HolidayFileError as error:
        print(f"RTI holidays not applied: {error}")  # migrate itself succeeded
        return
    if changed:
        print(f"RTI holiday calendar changed: {changed} requests' due dates counted again")


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Panoptic Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .catalogue.datacache import connect_signals

        connect_signals()
        from .models import RTIRequest
        from .rti.lifecycle import rti_request_derived, rti_request_refresh

        # Every save of a request or an event completes the request's stored dates.
        RTIRequest.derived_columns = staticmethod(rti_request_derived)
        RTIRequest.refresh = staticmethod(rti_request_refresh)
        post_migrate.connect(_rti_calendar_apply, sender=self, dispatch_uid="rti-calendar-apply")
