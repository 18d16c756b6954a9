"""Benchmarks of the program against its performance budgets.

`large` writes a large, deterministic program straight into the database;
`suite`, `suite_matching` and `suite_pages` run each benchmark and return plain
results; `results` prints and stores them. `matching`, `realnames`, `imports`
and `exports` time one part of the product each. The `bench` management
command ties them together.
"""
