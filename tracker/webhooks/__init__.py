"""Webhooks: signed JSON POSTs to researchers' URLs when published data changes.

``events`` records a change for every hook that wants it, inside the change's own
transaction, and sends the deliveries after it commits; ``delivery`` posts each one
through the guarded fetcher, retries with exponential backoff and disables a hook
that keeps failing; ``signing`` is the HMAC-SHA256 signature; ``registration`` is
how an account adds, changes and removes its hooks.
"""
