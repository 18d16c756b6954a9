"""The scorecards part of the REST API."""
