"""The REST API of the cross-sell pipeline."""
