from .entities import Agency, Deployment, Hotspot, LinkedDatabase, Vendor
from .geography import State, StateBoundary
from .review import ReviewItem
from .rti import RTIEvent, RTIReminder, RTIRequest
from .sources import Citation, Source, SourceCheck
from .submissions import Submission
from .vocab import *  # noqa: F403

__all__ = [
    "Agency",
    "Citation",
    "Deployment",
    "Hotspot",
    "LinkedDatabase",
    "RTIEvent",
    "RTIReminder",
    "RTIRequest",
    "ReviewItem",
    "Source",
    "SourceCheck",
    "State",
    "StateBoundary",
    "Submission",
    "Vendor",
]
