"""Figures computed once per change of the published data, not once per request.

Headline counts, /stats/, list facets, sitemap files and map answers are
computed from the whole table, which at 100,000 deployments costs more than a
page may spend. They are cached under a *data version*: a token that every
save, deletion or publication in ``tracker`` replaces (signals connected in
``TrackerConfig.ready`` and the publication service), so a change shows at
once and nothing is cached stale. The token also names the map's ETags.
Entries expire after ``DATA_CACHE_SECONDS`` anyway, so a restored database
backup cannot be contradicted for long.

What cited sources show (their health, last check, HTTP status) changes with
every recorded source check, every few minutes, and none of the figures above
reads it: it has a version of its own, the *sources version*, which source
checks, a moderator's review and any save of a source or citation replace.
Answers that show sources (the API's list pages) are valid only while both are current.
"""

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "tracker:data-version"
SOURCES_VERSION_KEY = "tracker:sources-version"


def _version(key):
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def data_version():
    """The current data version (created on first use)."""
    return _version(VERSION_KEY)


def versions_and_value(key, *more, counters=()):
    """((data version, sources version), the value at ``key`` or None, a ``ReadAhead``,
    the counts of ``counters``), in one round trip: for entries that store the versions
    they were made under beside their value. ``more``: keys of ``cached`` entries read in
    the same round trip, which the ``ReadAhead`` holds for ``cached`` to use instead of
    asking again. ``counters``: (key, timeout) pairs, each counted (``incr_expiring``) in
    that round trip too, such as a request's rate counters."""
    keys = [VERSION_KEY, SOURCES_VERSION_KEY, key, *more]
    if hasattr(cache, "incr_expiring_and_get_many"):  # config.cache.RedisCache
        counts, found = cache.incr_expiring_and_get_many(counters, keys)
    else:
        counts, found = [counted(*counter) for counter in counters], cache.get_many(keys)
    if VERSION_KEY not in found or SOURCES_VERSION_KEY not in found:
        versions, value = (data_version(), _version(SOURCES_VERSION_KEY)), None
        found = {}
    else:
        versions, value = (found[VERSION_KEY], found[SOURCES_VERSION_KEY]), found.get(key)
    ahead = ReadAhead(versions[0], {name: found.get(name) for name in more})
    return versions, value, ahead, counts


def counted(key, timeout, *, store=cache):
    """``key`` counted up by one in ``store`` and kept ``timeout`` seconds from its first
    count: one round trip on ``config.cache.RedisCache``, two on another cache."""
    if hasattr(store, "incr_expiring"):
        return store.incr_expiring(key, timeout)
    store.add(key, 0, timeout)
    return store.incr(key)


@dataclass(frozen=True)
class ReadAhead:
    """``cached`` entries read earlier in a request with the data version of that moment
    (None for an entry not stored)."""

    version: str
    entries: dict


def _replace(key):
    cache.set(key, uuid.uuid4().hex, timeout=None)


def _replace_version():
    _replace(VERSION_KEY)


def _replace_sources_version():
    _replace(SOURCES_VERSION_KEY)


def data_changed():
    """Published data changed: forget every cached figure, now and again after commit
    (so a reader racing the transaction cannot cache the old figures under the new token)."""
    _replace_version()
    transaction.on_commit(_replace_version)


def sources_changed():
    """What cited sources show changed (a recorded check, a review): forget what shows
    them, now and again after commit, leaving the costly figures alone."""
    _replace_sources_version()
    transaction.on_commit(_replace_sources_version)


def cache_key(name, *vary):
    """A key for ``name`` under the current data version, varying by ``vary`` (strings)."""
    digest = hashlib.sha256("\x1f".join(map(str, vary)).encode()).hexdigest()[:32]
    return f"tracker:{name}:{data_version()}:{digest}"


def cached_key(name, *vary):
    """Where ``cached(name, ..., *vary)`` keeps its entry (to read it ahead)."""
    digest = hashlib.sha256("\x1f".join(map(str, vary)).encode()).hexdigest()[:32]
    return f"tracker:{name}:{digest}"


def cached(name, compute, *vary, ahead=None):
    """``compute()``, computed once per data version and ``vary`` values.

    The entry keeps the version it was computed under beside the value, under a key
    without it, so the version and the entry come in one round trip, or none when
    ``ahead`` (a ``ReadAhead``) holds them.
    """
    key = cached_key(name, *vary)
    if ahead is not None and key in ahead.entries:
        version, stored = ahead.version, ahead.entries[key]
    else:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or data_version()
        stored = found.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    value = compute()
    cache.set(key, (version, value), timeout=settings.DATA_CACHE_SECONDS)
    return value


def _on_change(sender, **kwargs):
    data_changed()


def _on_sources_change(sender, **kwargs):
    sources_changed()


def connect_signals():
    """The models cached answers read: entities replace the data version; sources and
    citations the sources version (source checks write with UPDATE and call
    ``sources_changed`` themselves)."""
    from ..models import (
        Agency,
        Citation,
        Deployment,
        Hotspot,
        LinkedDatabase,
        RTIDocument,
        RTIEvent,
        RTIRequest,
        Source,
        State,
        Vendor,
    )

    entities = (
        Agency,
        Deployment,
        Hotspot,
        LinkedDatabase,
        RTIDocument,
        RTIEvent,
        RTIRequest,
        State,
        Vendor,
    )
    for model in entities:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"datacache-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"datacache-del-{model}")
    m2m_changed.connect(_on_change, dispatch_uid="datacache-m2m")
    for model in (Source, Citation):
        uid = f"datacache-sources-{model}"
        post_save.connect(_on_sources_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_sources_change, sender=model, dispatch_uid=f"{uid}-del")
