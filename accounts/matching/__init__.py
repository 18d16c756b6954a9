"""Cross-company account matching: which CRM records are one customer.

Pure computations only (no database): `normalize` cleans names, domains and
registration numbers; `scoring` compares two records and says why; `blocking`
picks the pairs worth comparing so that the work grows about linearly;
`engine` puts them together into decisions. `accounts.services.matching`
loads and writes the data.
"""
