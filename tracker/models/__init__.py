from .entities import Agency, Deployment, Hotspot, LinkedDatabase, Vendor
from .geography import State, StateBoundary
from .review import ReviewItem
from .rti import RTIEvent, RTIRequest
from .sources import Citation, Source, SourceCheck
from .vocab import *  # noqa: F403

__all__ = [
    "Agency",
    "Citation",
    "Deployment",
    "Hotspot",
    "LinkedDatabase",
    "RTIEvent",
    "RTIRequest",
    "ReviewItem",
    "Source",
    "SourceCheck",
    "State",
    "StateBoundary",
    "Vendor",
]
