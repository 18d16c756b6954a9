"""Cross-company account matching: which CRM records are one customer.

Pure computations (no database): `normalize` cleans names, domains and
registration numbers; `frequency` counts how common names and words are among
the records being matched; `names` weighs name evidence by that rarity;
`scoring` compares two records and says why; `blocking` picks the pairs worth
comparing so that the work grows about linearly; `engine` puts them together
into decisions. `accounts.services.matching` loads and writes the data.

One module reaches the database: `sql` runs the data-sized steps set-based in
PostgreSQL. The benchmarks that measure the whole (synthetic CRMs, real names
imported as two CRM exports) are `devtools.bench.matching` and `realnames`.
"""
