"""Writes of the scorecards app, one module per capability."""
