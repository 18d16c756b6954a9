"""One history for every business record (see accounts.models.RecordChange)."""
