"""Loaders read sources, validate them and return the typed model; they never render."""
