"""Which pairs of records are worth scoring at all.

Comparing every record of one CRM with every record of the other grows with
the product of their sizes (2.5 billion pairs for 50,000 x 50,000). Blocking
keeps the work about linear: records meet only inside small blocks that share
a key, and only records of different legacy companies are paired.

- Exact blocks (registration number, domain, normalised name, acronym): every
  pair in the block is a candidate.
- Word blocks (each distinctive word and its one-typo variants, or the first
  and last four letters of long words): pairs are candidates only if their
  names are similar enough, computed in C by rapidfuzz.

Blocks whose pairs would exceed a cap say little (a shared hosting domain, the
word "services") and are skipped; other keys of the same records still meet.
"""

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from accounts.matching.normalize import WEAK_WORDS
from accounts.matching.scoring import REGISTRATION_KINDS, Record, acronym

EXACT_BLOCK_MAX_PAIRS = 2_500
WORD_BLOCK_MAX_PAIRS = 60_000
WORD_KEY_MAX_RECORDS = 150
WORD_KEY_LENGTH = 4
DELETION_KEY_MIN_LENGTH = 4
DELETION_KEY_MAX_LENGTH = 10
MAX_ACRONYM_LENGTH = 6
MIN_WORD_LENGTH = 2

type Pair = tuple[int, int]


@dataclass(slots=True)
class BlockingStats:
    blocks: int = 0
    skipped_blocks: int = 0
    comparisons: int = 0
    pairs: int = 0


def exact_keys(record: Record) -> list[str]:
    keys = [f"{kind}:{value}" for kind in REGISTRATION_KINDS if (value := getattr(record, kind))]
    if record.domain:
        keys.append(f"domain:{record.domain}")
    if record.key:
        keys.append(f"name:{record.key.replace(' ', '')}")
        keys.append(f"strong:{record.strong_key}")
    return keys


def _words(record: Record) -> list[str]:
    words = [w for w in record.key.split() if len(w) >= MIN_WORD_LENGTH and w not in WEAK_WORDS]
    return words or record.key.split()


def word_keys(record: Record, common: Collection[str] = frozenset()) -> set[str]:
    """Keys under which a word meets its own misspellings.

    A word also stands for every spelling of it with one letter dropped, so
    "oldro" and "oldor" (or "danas", "dansa") share "oldr", and for its first
    and last four letters, which catch two typos in one half of a long word.
    Words in `common` ("logistics") get no variants: theirs would be as common.
    """
    keys: set[str] = set()
    for word in _words(record):
        if word in common:
            keys.add(f"word:{word}")
            continue
        if not word.isascii():
            # Scripts written without spaces: overlapping pairs of characters.
            keys.update(f"bigram:{word[i : i + 2]}" for i in range(min(len(word) - 1, 6)))
            continue
        keys.add(f"word:{word}")
        if DELETION_KEY_MIN_LENGTH <= len(word) <= DELETION_KEY_MAX_LENGTH:
            keys.update(f"word:{word[:i]}{word[i + 1 :]}" for i in range(len(word)))
        if len(word) > WORD_KEY_LENGTH:
            keys.add(f"head:{word[:WORD_KEY_LENGTH]}")
            keys.add(f"tail:{word[-WORD_KEY_LENGTH:]}")
    return keys


def _rare_word_keys(records: Sequence[Record]) -> list[list[str]]:
    """Each record's word keys that few records share.

    A key shared by many records ("head:serv" of "services") says little and
    makes big blocks. A record whose keys are all common falls back to the
    pair of its two rarest keys ("Smith & Jones Logistics").
    """
    word_frequency = Counter(word for record in records for word in set(_words(record)))
    common = {word for word, count in word_frequency.items() if count > WORD_KEY_MAX_RECORDS}
    keys_of = [sorted(word_keys(record, common)) for record in records]
    frequency = Counter(key for keys in keys_of for key in keys)
    chosen: list[list[str]] = []
    for keys in keys_of:
        rare = [key for key in keys if frequency[key] <= WORD_KEY_MAX_RECORDS]
        if not rare and len(keys) >= 2:
            first, second = sorted(keys, key=lambda key: (frequency[key], key))[:2]
            rare = [f"{min(first, second)}|{max(first, second)}"]
        chosen.append(rare)
    return chosen


def _by_company(members: list[int], records: Sequence[Record]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for index in members:
        groups[records[index].company_id].append(index)
    return groups


def _company_pairs(groups: dict[int, list[int]]) -> Iterator[tuple[list[int], list[int]]]:
    companies = sorted(groups)
    for position, first in enumerate(companies):
        for second in companies[position + 1 :]:
            yield groups[first], groups[second]


def _blocks(keys_of: Iterable[Iterable[str]]) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, keys in enumerate(keys_of):
        for key in keys:
            blocks[key].append(index)
    return blocks


def _ordered(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def _paired_blocks(
    blocks: dict[str, list[int]], records: Sequence[Record], stats: BlockingStats, max_pairs: int
) -> Iterator[tuple[list[int], list[int]]]:
    """Each block's records of one company and of another, counted as a block; those that
    would make more than `max_pairs` pairs are counted as skipped instead of given."""
    for members in blocks.values():
        if len(members) < 2:
            continue
        for first, second in _company_pairs(_by_company(members, records)):
            stats.blocks += 1
            if len(first) * len(second) > max_pairs:
                stats.skipped_blocks += 1
                continue
            yield first, second


def _exact_pairs(records: Sequence[Record], pairs: set[Pair], stats: BlockingStats) -> None:
    blocks = _blocks(exact_keys(record) for record in records)
    for first, second in _paired_blocks(blocks, records, stats, EXACT_BLOCK_MAX_PAIRS):
        pairs.update(_ordered(a, b) for a in first for b in second)


def _similar_pairs(
    records: Sequence[Record],
    pairs: set[Pair],
    stats: BlockingStats,
    min_similarity: float,
) -> None:
    blocks = _blocks(_rare_word_keys(records))
    for first, second in _paired_blocks(blocks, records, stats, WORD_BLOCK_MAX_PAIRS):
        queries, choices = (first, second) if len(first) <= len(second) else (second, first)
        choice_keys = [records[index].key for index in choices]
        stats.comparisons += len(queries) * len(choices)
        for query in queries:
            found = process.extract(
                records[query].key,
                choice_keys,
                scorer=fuzz.token_set_ratio,
                score_cutoff=min_similarity,
                limit=None,
            )
            pairs.update(_ordered(query, choices[position]) for _, _, position in found)


def _acronym_pairs(records: Sequence[Record], pairs: set[Pair], stats: BlockingStats) -> None:
    """ "IBM" meets "International Business Machines"."""
    short: dict[str, list[int]] = defaultdict(list)
    long: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        if " " not in record.key and 2 <= len(record.key) <= MAX_ACRONYM_LENGTH:
            short[record.key].append(index)
        elif initials := acronym(record.normalized_name):
            long[initials].append(index)
    for initials, shorts in short.items():
        longs = long.get(initials)
        if not longs:
            continue
        stats.blocks += 1
        if len(shorts) * len(longs) > EXACT_BLOCK_MAX_PAIRS:
            stats.skipped_blocks += 1
            continue
        pairs.update(
            _ordered(a, b)
            for a in shorts
            for b in longs
            if records[a].company_id != records[b].company_id
        )


def candidate_pairs(
    records: Sequence[Record], *, min_similarity: float, stats: BlockingStats | None = None
) -> set[Pair]:
    """Index pairs (i < j) of records of different companies worth scoring."""
    stats = stats if stats is not None else BlockingStats()
    pairs: set[Pair] = set()
    _exact_pairs(records, pairs, stats)
    _acronym_pairs(records, pairs, stats)
    _similar_pairs(records, pairs, stats, min_similarity)
    stats.pairs = len(pairs)
    return pairs
