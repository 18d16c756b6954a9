"""Reads of the tracker app, one module per capability."""
