"""Figures computed once per change of the published data, not once per request.

Headline counts, /stats/, list facets, sitemap files and map answers are
computed from the whole table, which at 100,000 deployments costs more than a
page may spend. They are cached under a *data version*: a token that every
save, deletion or publication in ``tracker`` replaces (signals connected in
``TrackerConfig.ready`` and the publication service), so a change shows at
once and nothing is cached stale. The token also names the map's ETags.
Entries expire after ``DATA_CACHE_SECONDS`` anyway, so a restored database
backup cannot be contradicted for long.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "tracker:data-version"


def data_version():
    """The current data version (created on first use)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _replace_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed():
    """Published data changed: forget every cached figure, now and again after commit
    (so a reader racing the transaction cannot cache the old figures under the new token)."""
    _replace_version()
    transaction.on_commit(_replace_version)


def cache_key(name, *vary):
    """A key for ``name`` under the current data version, varying by ``vary`` (strings)."""
    digest = hashlib.sha256("\x1f".join(map(str, vary)).encode()).hexdigest()[:32]
    return f"tracker:{name}:{data_version()}:{digest}"


def cached(name, compute, *vary):
    """``compute()``, computed once per data version and ``vary`` values."""
    key = cache_key(name, *vary)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.DATA_CACHE_SECONDS)
    return value


def _on_change(sender, **kwargs):
    data_changed()


def connect_signals():
    """The models the cached figures read. (Source checks save sources all day long;
    nothing cached shows a source, so they leave the cache alone.)"""
    from ..models import Agency, Deployment, Hotspot, RTIEvent, RTIRequest, State, Vendor

    for model in (Agency, Deployment, Hotspot, RTIEvent, RTIRequest, State, Vendor):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"datacache-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"datacache-del-{model}")
    m2m_changed.connect(_on_change, dispatch_uid="datacache-m2m")
