"""How common a name, or a set of words, is among the records being matched.

Probabilistic record linkage weighs agreement by how likely it is between two
records of different companies (Fellegi and Sunter's u-probability): two
names that share "Entergy" almost surely name one company, two that share
"Energy" say little. As in Splink's term-frequency adjustment, that chance is
read from the data itself: the share of the other records that carry the same
name, or every one of the same words.

Frequencies from a handful of records (a test, a labelled pair) would call
every word common, so counts are smoothed with a prior of `PRIOR_RECORDS`
pseudo-records in which generic words ("group", "energy", "bank") have their
usual share of company names and other words are rare.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from accounts.matching.normalize import WEAK_WORDS
from accounts.matching.normalize.vocabulary import wordset

PRIOR_RECORDS = 10_000
# Half a pseudo-record: a name or word unseen in the prior is rare, not impossible.
PRIOR_RARE = 0.5 / PRIOR_RECORDS


# Words of company names that say what a company does or where, not which one
# it is; their share of names in a typical CRM. Forms after normalisation
# ("technology" is "technologies", "svcs" is "services").
COMMON_WORDS: dict[float, frozenset[str]] = {
    0.05: WEAK_WORDS,
    0.01: wordset(
        """
        services solutions systems technologies industries financial bank bancorp capital
        energy resources partners management consulting trust properties realty health
        healthcare medical pharmaceuticals therapeutics biosciences sciences software
        networks communications media entertainment foods products manufacturing
        engineering construction logistics transport insurance investment investments
        acquisition america american national first united new general holdings
        laboratories electric power oil gas mining motors retail
        brands hotels airlines automotive chemicals materials equipment design
        """
    ),
    0.003: wordset(
        """
        north south east west northern southern eastern western pacific atlantic central
        royal star sun city metro river lake valley park bay harbor mountain green blue
        red black white gold golden silver american us usa china europe european asia
        research digital data labs interactive semiconductor electronics devices
        instruments water utilities infrastructure real estate fund reit
        credit finance mortgage savings securities advisors asset assets wealth life
        """
    ),
}
_BACKGROUND: dict[str, float] = {
    word: share for share, words in sorted(COMMON_WORDS.items()) for word in words
}


def background_share(word: str) -> float:
    """The prior share of company names that contain `word`."""
    return _BACKGROUND.get(word, PRIOR_RARE)


def compact(key: str) -> str:
    """A name key without spaces: "super micro" and "supermicro" are one name."""
    return key.replace(" ", "")


@dataclass(slots=True)
class TermStats:
    """Counts over the records being matched: whole names and their words.

    Built once per run; empty stats (no records) leave only the prior.
    """

    records: int = 0
    names: Counter[str] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)
    # word -> indexes of the records whose name has it, to count records that have
    # every word of a set (words of one name are not independent: "new york").
    postings: dict[str, list[int]] = field(default_factory=dict)
    _members: dict[str, frozenset[int]] = field(default_factory=dict)
    _cache: dict[frozenset[str], int] = field(default_factory=dict)

    @classmethod
    def of(cls, keys: Iterable[str]) -> "TermStats":
        """Stats of the name keys (sorted, normalised words) of every record."""
        stats = cls()
        postings: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(keys):
            stats.records += 1
            if not key:
                continue
            stats.names[compact(key)] += 1
            for word in set(key.split()):
                postings[word].append(index)
        stats.postings = dict(postings)
        stats.words = Counter({word: len(ids) for word, ids in postings.items()})
        return stats

    def _share(self, others: float, prior: float) -> float:
        return (others + PRIOR_RECORDS * prior) / (self.records + PRIOR_RECORDS)

    def name_share(self, key: str, *, in_pair: int = 2) -> float:
        """Share of the other records named `key` (the pair's own `in_pair` not counted)."""
        others = max(0, self.names.get(compact(key), 0) - in_pair)
        return self._share(others, PRIOR_RARE)

    def word_share(self, word: str, *, in_pair: int = 1) -> float:
        others = max(0, self.words.get(word, 0) - in_pair)
        return self._share(others, background_share(word))

    def words_share(self, words: Collection[str], *, in_pair: int = 2) -> float:
        """Share of the other records whose names have every one of `words`."""
        prior = math.prod(background_share(word) for word in words)
        return self._share(max(0, self._having_all(frozenset(words)) - in_pair), prior)

    def others_having_all(self, words: Collection[str], *, in_pair: int = 2) -> int:
        return max(0, self._having_all(frozenset(words)) - in_pair)

    def _having_all(self, words: frozenset[str]) -> int:
        if not words or self.records == 0:
            return 0
        cached = self._cache.get(words)
        if cached is not None:
            return cached
        rarest, *rest = sorted(words, key=lambda word: (self.words.get(word, 0), word))
        ids = self.postings.get(rarest, ())
        if rest and ids:
            others = [self._member_set(word) for word in rest]
            count = sum(1 for index in ids if all(index in members for members in others))
        else:
            count = len(ids)
        self._cache[words] = count
        return count

    def _member_set(self, word: str) -> frozenset[int]:
        members = self._members.get(word)
        if members is None:
            members = self._members[word] = frozenset(self.postings.get(word, ()))
        return members


EMPTY = TermStats()


def stats_of(records: Sequence) -> TermStats:
    return TermStats.of(record.key for record in records)
