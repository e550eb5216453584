"""Reads of published data for the site and the API: what the public may see
(visibility), selectors, filters, search, statistics, geography and the change log."""
