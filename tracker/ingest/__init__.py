"""Data coming in: the CSV import, URL normalisation, reference data, demo and synthetic data."""
