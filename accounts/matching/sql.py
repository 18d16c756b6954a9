"""The same matching model with its data-sized steps run set-based in PostgreSQL.

For a merger whose CRMs outgrow one process: what grows with the data runs in
the database, what stays small runs here.

1. Term statistics (how many records carry each word and each whole name) are
   two GROUP BY queries over the stored normalised names.
2. Blocking is a join: records of different companies that share a rare word
   (at most `blocking.WORD_KEY_MAX_RECORDS` records have it), the same name
   written with or without spaces, or the same website domain.
3. Each batch of candidate pairs gets the counts it needs for the model's
   evidence (how many records have every word a pair shares) from one query on
   a GIN index, and is scored by `scoring.score_pair` unchanged. Batches are
   independent: any number of workers can score them (`score_batch`).
4. The decisions (best pairs first, rivals to review) run on the scored pairs,
   which are few, with `engine.match_records(scored=...)`.

Differences from the in-process run, by design of set-based blocking: words
meet only when spelled the same (typo variants and acronyms are not blocked
here), and words are counted as stored (Cyrillic in its own script).
Tested against PostgreSQL in `tests/accounts/test_matching_sql.py`.
"""

from collections.abc import Iterator, Sequence
from itertools import batched

from django.db import connection

from accounts.matching.blocking import WORD_KEY_MAX_RECORDS
from accounts.matching.engine import ScoredPair
from accounts.matching.frequency import TermStats
from accounts.matching.scoring import Record, score_pair

BATCH = 5_000

# The merger's CRM records with their words; `%(merger)s` is the merger id.
_WORDS = """
    SELECT s.id, s.company_id, w.word
    FROM accounts_sourceaccount s
    JOIN accounts_legacycompany c ON c.id = s.company_id
    CROSS JOIN LATERAL (
        SELECT DISTINCT unnest(string_to_array(s.normalized_name, ' ')) AS word
    ) w
    WHERE c.merger_id = %(merger)s AND s.origin = 'crm' AND w.word <> ''
"""

TERMS_SQL = f"""
    WITH words AS ({_WORDS})
    SELECT word, count(*) FROM words GROUP BY word
"""

# A name's words sorted and joined, as `frequency.compact` of the sorted key.
_COMPACT = (
    "array_to_string(array(SELECT w FROM unnest(string_to_array({}, ' ')) AS t(w) "
    "ORDER BY w COLLATE \"C\"), '')"
)

NAMES_SQL = f"""
    SELECT {_COMPACT.format("s.normalized_name")}, count(*)
    FROM accounts_sourceaccount s
    JOIN accounts_legacycompany c ON c.id = s.company_id
    WHERE c.merger_id = %(merger)s AND s.origin = 'crm' AND s.normalized_name <> ''
    GROUP BY 1
"""

CANDIDATES_SQL = f"""
    WITH words AS ({_WORDS}),
    rare AS (
        SELECT word FROM words GROUP BY word HAVING count(*) <= %(max_records)s
    ),
    records AS (
        SELECT s.id, s.company_id, {_COMPACT.format("s.normalized_name")} AS compact, s.domain
        FROM accounts_sourceaccount s
        JOIN accounts_legacycompany c ON c.id = s.company_id
        WHERE c.merger_id = %(merger)s AND s.origin = 'crm'
    )
    SELECT a.id, b.id FROM words a
        JOIN rare USING (word)
        JOIN words b ON b.word = a.word AND b.company_id > a.company_id
    UNION
    SELECT a.id, b.id FROM records a
        JOIN records b ON b.compact = a.compact AND b.company_id > a.company_id
        WHERE a.compact <> ''
    UNION
    SELECT a.id, b.id FROM records a
        JOIN records b ON b.domain = a.domain AND b.company_id > a.company_id
        WHERE a.domain <> ''
"""

# How many of the merger's records have every word of each set, for a batch of sets.
HAVING_ALL_SQL = f"""
    WITH words AS ({_WORDS}),
    named AS (SELECT id, array_agg(word) AS words FROM words GROUP BY id),
    sets AS (SELECT ordinality AS n, string_to_array(ws, ' ') AS words
             FROM unnest(%(sets)s::text[]) WITH ORDINALITY AS t(ws, ordinality))
    SELECT sets.n, count(named.id)
    FROM sets LEFT JOIN named ON named.words @> sets.words
    GROUP BY sets.n
"""


class SqlTermStats(TermStats):
    """Counts read from PostgreSQL; counts of word sets are filled per batch."""

    def prime(self, merger_id: int, word_sets: Sequence[frozenset[str]]) -> None:
        missing = sorted({s for s in word_sets if len(s) > 1 and s not in self._cache}, key=sorted)
        if not missing:
            return
        joined = [" ".join(sorted(words)) for words in missing]
        with connection.cursor() as cursor:
            cursor.execute(HAVING_ALL_SQL, {"merger": merger_id, "sets": joined})
            for n, count in cursor.fetchall():
                self._cache[missing[n - 1]] = count

    def _having_all(self, words: frozenset[str]) -> int:
        if len(words) == 1:
            return self.words.get(next(iter(words)), 0)
        # Primed before scoring; a set never primed is counted as its rarest word.
        return self._cache.get(words, min((self.words.get(w, 0) for w in words), default=0))


def term_stats(merger_id: int) -> SqlTermStats:
    stats = SqlTermStats()
    with connection.cursor() as cursor:
        cursor.execute(TERMS_SQL, {"merger": merger_id})
        stats.words.update(dict(cursor.fetchall()))
        cursor.execute(NAMES_SQL, {"merger": merger_id})
        stats.names.update(dict(cursor.fetchall()))
        cursor.execute(
            "SELECT count(*) FROM accounts_sourceaccount s JOIN accounts_legacycompany c "
            "ON c.id = s.company_id WHERE c.merger_id = %s AND s.origin = 'crm'",
            [merger_id],
        )
        stats.records = cursor.fetchone()[0]
    return stats


def candidate_batches(merger_id: int, *, size: int = BATCH) -> Iterator[list[tuple[int, int]]]:
    """Candidate pairs (record ids), streamed from a server-side cursor in batches."""
    params = {"merger": merger_id, "max_records": WORD_KEY_MAX_RECORDS}
    with connection.chunked_cursor() as cursor:
        cursor.execute(CANDIDATES_SQL, params)
        while rows := cursor.fetchmany(size):
            yield [(a, b) for a, b in rows]


def _shared_words(a: Record, b: Record) -> frozenset[str]:
    return frozenset(a.normalized_name.split()) & frozenset(b.normalized_name.split())


def score_batch(
    merger_id: int,
    pairs: Sequence[tuple[int, int]],
    records: dict[int, Record],
    stats: SqlTermStats,
) -> list[ScoredPair]:
    """Scores one batch: independent of every other batch."""
    known = [(records[a], records[b]) for a, b in pairs if a in records and b in records]
    stats.prime(merger_id, [_shared_words(a, b) for a, b in known])
    scored = []
    for a, b in known:
        result = score_pair(a, b, stats)
        scored.append((result.score, a.id, b.id, result))
    return scored


def scored_pairs(merger_id: int, records: Sequence[Record]) -> list[ScoredPair]:
    """Every candidate pair of the merger, blocked in PostgreSQL and scored in batches."""
    by_id = {record.id: record for record in records}
    stats = term_stats(merger_id)
    scored: list[ScoredPair] = []
    for batch in candidate_batches(merger_id):
        for chunk in batched(batch, BATCH):
            scored += score_batch(merger_id, chunk, by_id, stats)
    return scored
