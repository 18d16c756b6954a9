"""Database backends: Django's, with what this program needs of them."""
