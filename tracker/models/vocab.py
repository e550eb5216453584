"""Controlled vocabularies. Codes are the stable values used in the CSV
import format, the API and the database; labels are for people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Technology(models.TextChoices):
    FACIAL_RECOGNITION = "facial_recognition", _("Facial recognition")
    EMOTION_RECOGNITION = "emotion_recognition", _("Emotion or expression analysis")
    PLATE_RECOGNITION = "plate_recognition", _("Number-plate recognition")
    VIDEO_ANALYTICS = "video_analytics", _("CCTV video analytics")
    BIOMETRIC_AUTHENTICATION = "biometric_authentication", _("Biometric authentication")
    DRONE_SURVEILLANCE = "drone_surveillance", _("Drone surveillance")
    OTHER = "other", _("Other")


class PurposeClass(models.TextChoices):
    SURVEILLANCE = "surveillance", _("Surveillance")
    AUTHENTICATION = "authentication", _("Authentication of identity")


class PurposeTag(models.TextChoices):
    CRIMINAL_IDENTIFICATION = "criminal_identification", _("Criminal identification")
    MISSING_PERSONS = "missing_persons", _("Missing persons")
    WOMENS_SAFETY = "womens_safety", _("Women's safety")
    CROWD_MONITORING = "crowd_monitoring", _("Crowd monitoring")
    TRAFFIC_ENFORCEMENT = "traffic_enforcement", _("Traffic enforcement")
    ATTENDANCE = "attendance", _("Attendance")
    ACCESS_CONTROL = "access_control", _("Access control or boarding")
    VOTER_VERIFICATION = "voter_verification", _("Voter verification")
    WELFARE_AUTHENTICATION = "welfare_authentication", _("Welfare authentication")
    OTHER = "other", _("Other")


class DeploymentStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    TENDER = "tender", _("Tender")
    PROCUREMENT = "procurement", _("Procurement")
    PILOT = "pilot", _("Pilot")
    IMPLEMENTATION = "implementation", _("Implementation")
    IN_USE = "in_use", _("In use")
    SUSPENDED = "suspended", _("Suspended")
    DISCONTINUED = "discontinued", _("Discontinued")
    UNKNOWN = "unknown", _("Unknown")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Exact")
    LOCALITY = "locality", _("Locality")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STATE = "state", _("State")


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed by an official document")
    REPORTED = "reported", _("Reported by press")
    UNVERIFIED = "unverified", _("Unverified claim")


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    MUNICIPAL = "municipal", _("Municipal body")
    STATE_DEPARTMENT = "state_department", _("State government department")
    CENTRAL = "central", _("Central ministry or agency")
    TRANSPORT = "transport", _("Transport operator")
    EDUCATION = "education", _("Education")
    PRIVATE = "private", _("Private operator")
    OTHER = "other", _("Other")


class AgencyLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    STATE = "state", _("State")
    DISTRICT = "district", _("District")
    CITY = "city", _("City")


class HotspotKind(models.TextChoices):
    MARKET = "market", _("Market")
    TRANSIT = "transit", _("Transit")
    CAMPUS = "campus", _("Campus")
    RELIGIOUS_SITE = "religious_site", _("Religious site")
    PUBLIC_SQUARE = "public_square", _("Public square")
    ROAD_JUNCTION = "road_junction", _("Road junction")
    OTHER = "other", _("Other")


class RTIRoute(models.TextChoices):
    ONLINE = "online", _("Online portal")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")
    APIO = "apio", _("Through an Assistant PIO")


class RTIStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    TRANSFERRED = "transferred", _("Transferred")
    THIRD_PARTY_NOTICE = "third_party_notice", _("Third-party notice")
    FEE_REQUESTED = "fee_requested", _("Fee requested")
    FEE_PAID = "fee_paid", _("Fee paid")
    REPLY_RECEIVED = "reply_received", _("Reply received")
    GRANTED = "granted", _("Granted")
    PARTIALLY_GRANTED = "partially_granted", _("Partially granted")
    REFUSED = "refused", _("Refused")
    DEEMED_REFUSED = "deemed_refused", _("Deemed refused")
    FIRST_APPEAL_FILED = "first_appeal_filed", _("First appeal filed")
    FIRST_APPEAL_DECIDED = "first_appeal_decided", _("First appeal decided")
    SECOND_APPEAL_FILED = "second_appeal_filed", _("Second appeal filed")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    COMMISSION_DECIDED = "commission_decided", _("Commission decided")
    COMPLAINT_FILED = "complaint_filed", _("Complaint filed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


# Waiting for the PIO: a request in one of these becomes "deemed refused" when the
# decision's time runs out (RTI Act s.7(2)).
RTI_WAITING_STATUSES = ("filed", "transferred", "third_party_notice", "fee_paid")


class RTIEventKind(models.TextChoices):
    """What can happen to a request; ``tracker.rti.lifecycle`` says in which order."""

    FILED = "filed", _("Filed")
    TRANSFERRED = "transferred", _("Transferred to another authority (date it received it)")
    THIRD_PARTY_NOTICE = "third_party_notice", _("Third-party notice")
    FEE_REQUESTED = "fee_requested", _("Fee requested")
    FEE_PAID = "fee_paid", _("Fee paid")
    REPLY_RECEIVED = "reply_received", _("Reply received")
    FIRST_APPEAL_FILED = "first_appeal_filed", _("First appeal filed")
    FIRST_APPEAL_DECIDED = "first_appeal_decided", _("First appeal decided")
    SECOND_APPEAL_FILED = "second_appeal_filed", _("Second appeal filed")
    HEARING = "hearing", _("Second appeal hearing")
    COMMISSION_DECIDED = "commission_decided", _("Commission decided")
    COMPLAINT = "complaint", _("Complaint")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class RTIOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTIALLY_GRANTED = "partially_granted", _("Partially granted")
    REFUSED = "refused", _("Refused (exemptions cited)")
    NOT_HELD = "not_held", _("Information not held")
    NO_RESPONSE = "no_response", _("No response")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SourceKind(models.TextChoices):
    NEWS = "news", _("News")
    OFFICIAL_DOCUMENT = "official_document", _("Official document")
    TENDER = "tender", _("Tender")
    COURT_RECORD = "court_record", _("Court record")
    RTI_REPLY = "rti_reply", _("RTI reply")
    RESEARCH = "research", _("Research")
    SOCIAL_MEDIA = "social_media", _("Social media")
    OTHER = "other", _("Other")


class SourceHealth(models.TextChoices):
    UNCHECKED = "unchecked", _("Unchecked")
    OK = "ok", _("OK")
    CHANGED = "changed", _("Changed")
    REDIRECTED = "redirected", _("Redirected")
    BROKEN = "broken", _("Broken")
    BLOCKED = "blocked", _("Blocked")


class SourceCheckOutcome(models.TextChoices):
    """What one check found: a health, or that the check itself could not judge the source."""

    OK = "ok", _("OK")
    CHANGED = "changed", _("Changed")
    REDIRECTED = "redirected", _("Redirected")
    BROKEN = "broken", _("Broken")
    BLOCKED = "blocked", _("Blocked")
    UNCHECKED = "unchecked", _("Unchecked")
    # The page could not be read or the check not stored: health left as it was.
    ERROR = "error", _("Check error")
    # The checker was offline (no network): says nothing about the source.
    UNREACHABLE = "unreachable", _("Unreachable (checker offline)")


class StateKind(models.TextChoices):
    STATE = "state", _("State")
    UNION_TERRITORY = "union_territory", _("Union territory")
