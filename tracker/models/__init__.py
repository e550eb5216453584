from .entities import Agency, Deployment, Hotspot, LinkedDatabase, Vendor
from .geography import State, StateBoundary
from .review import ReviewItem
from .rti import RTICalendarState, RTICampaign, RTIDocument, RTIEvent, RTIReminder, RTIRequest
from .sources import ArchivedText, CheckerStatus, Citation, Source, SourceCheck, SourceVersion
from .vocab import *  # noqa: F403

__all__ = [
    "Agency",
    "ArchivedText",
    "CheckerStatus",
    "Citation",
    "Deployment",
    "Hotspot",
    "LinkedDatabase",
    "RTICalendarState",
    "RTICampaign",
    "RTIDocument",
    "RTIEvent",
    "RTIReminder",
    "RTIRequest",
    "ReviewItem",
    "Source",
    "SourceCheck",
    "SourceVersion",
    "State",
    "StateBoundary",
    "Vendor",
]
