"""What every generated program is made of: seeded randomness, words and names, skew.

The demo (`devtools.demo`), the benchmark's large program (`devtools.bench.large`)
and the matching benchmark's synthetic CRMs draw from these, each from its own
`random.Random`, so that the same seed and size always give the same data.
Hand-written words live in `data/*.toml` (the demo's catalogue and segments in
`devtools/demo/data/`), read once by `datafile`.
"""
