"""The REST API of program reference data, and the plumbing every API view shares."""
