from .entities import Agency, Deployment, Hotspot, LinkedDatabase, Vendor
from .geography import State, StateBoundary
from .osm import OsmCamera, OsmElement, OsmImport
from .review import ReviewItem
from .rti import RTICalendarState, RTICampaign, RTIDocument, RTIEvent, RTIReminder, RTIRequest
from .sources import ArchivedText, CheckerStatus, Citation, Source, SourceCheck, SourceVersion
from .vocab import *  # noqa: F403
from .webhooks import (
    DeliveryState,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookEventKind,
)

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
    "OsmCamera",
    "OsmElement",
    "OsmImport",
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
    "DeliveryState",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookEventKind",
]
