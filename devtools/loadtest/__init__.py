"""`manage.py loadtest`: real clients against gunicorn, a worker and PostgreSQL; a ledger check."""
