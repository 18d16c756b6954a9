"""Pages of the scorecards app, one module per area."""
