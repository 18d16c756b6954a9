"""A demo program built from a fixed seed: Sensa Instruments acquires Predikt Analytics.

The generator is split in two halves. `world` and the modules it calls build
plain data from `random.Random(seed)` and a fixed reference date only, so the
same seed and date always give the same program and can be checked without a
database; `write` turns that data into rows with bulk inserts in one
transaction. `seed` is the entry point the management command calls.
"""
