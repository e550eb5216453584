"""SQL built from querysets, below every reader of it: named-column SELECTs (``columns``)
and GeoJSON FeatureCollections assembled by PostGIS (``geojson``). The map's clusters
(``catalogue``) and the bulk downloads (``exports``) both build on it."""
