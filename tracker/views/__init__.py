"""Pages of the tracker app, one module per area."""
