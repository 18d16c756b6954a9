"""Importing CRM exports: reading files, recognising columns, cleaning values.

The modules here are pure (no database); accounts.services.imports writes.
"""
