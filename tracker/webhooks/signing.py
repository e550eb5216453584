"""The signature of a delivery: HMAC-SHA256 of the timestamp, a dot and the body.

Sent as ``X-Panoptic-Signature: t=<unix seconds>,v1=<hex digest>``. The timestamp
is signed with the body, so a receiver that refuses old timestamps also refuses
a replayed delivery (the README shows how to verify one).
"""

import hashlib
import hmac

HEADER = "X-Panoptic-Signature"
TOLERANCE_SECONDS = 300  # what a receiver should accept; the README says so


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def signature_valid(
    secret: str, header: str, body: bytes, *, now: int, tolerance=TOLERANCE_SECONDS
) -> bool:
    """What a receiver does: the header's digest matches and its time is recent."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, timestamp, body))
