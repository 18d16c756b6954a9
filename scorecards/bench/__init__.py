"""Benchmarks of the program against its performance budgets.

`large` writes a large, deterministic program straight into the database;
`suite` runs each benchmark and returns plain results; `report` prints and
stores them. The `bench` management command ties them together.
"""
