"""Bulk downloads built in PostgreSQL: the column table, CSV, GeoJSON and the data package."""
