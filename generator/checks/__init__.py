"""Checks that are not loading: linters of published formats and the format rules they share."""
