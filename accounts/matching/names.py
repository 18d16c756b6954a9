"""How much two company names say about being one company, and why.

Names are compared word by word. Each word of one name finds its counterpart
in the other, written the same, as a typo, as an acronym ("BNY" for "Bank of
New York") or as one word written in parts ("Supermicro", "Super Micro"). The
evidence is weighed as in probabilistic record linkage (Fellegi-Sunter): in
bits, log2 of how much likelier the agreement is between two records of one
company than between records of two companies, the latter read from how many
other records share the same name or words (`frequency`). `POINTS_PER_BIT`
turns bits into the 0-100 score's points.

- The same whole name: as strong as the name is rare.
- Shared words: as strong as few other names have every one of them; "Entergy"
  nearly decides, "Group" or "Energy" barely count.
- A word only one name has: the other source left it out ("Ford", "Ford Motor"),
  common for descriptive words and rarer for distinctive ones.
- Words on both sides without a counterpart ("Metro Cleaning", "Metro
  Catering"): a different company far more often than the same one.
"""

import math
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from accounts.matching.frequency import EMPTY, TermStats, background_share, compact
from accounts.matching.normalize import LEGAL_FORMS, WEAK_WORDS, transliterate

# Words that say nothing about which company it is, wherever they stand
# ("Google LLC (Alphabet)").
GENERIC_WORDS = WEAK_WORDS | LEGAL_FORMS

POINTS_PER_BIT = 7.5
NAME_POINTS_MAX = 100.0
# Chance that one company's two records agree, per kind of agreement (m-probabilities).
M_SAME_NAME = 0.9
M_SHARED_WORDS = 0.9
# Chance that a word one name has is missing from the other record of the same
# company, by how common the word is among names (the share of names with it).
# Descriptive words ("systems", "energy") come and go; distinctive ones rarely do:
# the chance falls with the word's share of names, as its square root below 1 in 100.
DROPPED_WEAK_WORD = 0.85  # "group", "holdings", "international"
DROPPED_COMMON_WORD = 0.7
COMMON_WORD_SHARE = 0.01
DROPPED_RARE_WORD_MIN = 0.1
# A word left out before or among the words that agree ("Liberty Veldun
# Brewing", "Veldun Brewing") changes what the name is, not how long it is.
DROPPED_INNER_WORD = 0.05
# Distinctive words without counterpart on both sides: 1 true pair in 20.
CONFLICT = 0.05
# A typo: rarer between one company's records than the word itself (1 in 20),
# and a spelling has many neighbours one letter away among other names.
# Short words have more neighbours than long ones: 30 for five letters, 40% fewer
# with each letter more.
M_TYPO = 0.05
TYPO_NEIGHBOURS = 30
TYPO_NEIGHBOURS_LENGTH = 5
TYPO_NEIGHBOURS_PER_LETTER = 0.6
# Two slips in a short word ("drsen", "dorseen"): rarer still, with more neighbours.
M_TWO_TYPOS = 0.02
TWO_TYPO_NEIGHBOURS = 200
ACRONYM_WORD_BITS = 5.0
ACRONYM_NAME_POINTS = 85.0  # "IBM" against "International Business Machines"
NO_SHARED_WORD_POINTS_MAX = 60.0
CROSS_SCRIPT_POINTS = 60.0  # "华为" against "Huawei": the name neither helps nor hurts
MAX_JOINED_WORDS = 3
ACRONYM_LENGTHS = range(2, 6)
SKIPPED_IN_ACRONYMS = frozenset({"and", "of", "the"})


@dataclass(frozen=True, slots=True)
class NameReason:
    code: str
    bits: float
    params: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NameEvidence:
    """Reasons with points that add up to the name's points (0-100)."""

    reasons: tuple[tuple[str, float, dict], ...]
    exact: bool = False  # the same name once normalised
    fuzzy: bool = False  # rests on a typo, an acronym or a resemblance
    conflict: bool = False  # distinctive words differ on both sides

    @property
    def points(self) -> float:
        return sum(points for _, points, _ in self.reasons)


def typo_of(word: str, other: str, *, slips: int = 0) -> bool:
    """One slip of the keys (two in long words), or `slips` more."""
    if word[0] != other[0] or min(len(word), len(other)) < 4:
        return False
    allowed = (2 if len(word) >= 8 else 1) + slips
    return OSA.distance(word, other, score_cutoff=allowed) <= allowed


def acronym(normalized: str) -> str:
    words = [word for word in normalized.split() if word not in SKIPPED_IN_ACRONYMS]
    return "".join(word[0] for word in words) if len(words) >= 2 else ""


def _bits(share: float, m: float) -> float:
    return math.log2(m / share)


def _quoted(words: list[str]) -> str:
    return ", ".join(f'"{word}"' for word in words)


@dataclass(slots=True)
class _Alignment:
    """Which words of each name found a counterpart, and how."""

    left: list[str]
    right: list[str]
    left_done: list[bool]
    right_done: list[bool]
    stats: TermStats
    shared: list[str] = field(default_factory=list)
    typos: list[tuple[str, str]] = field(default_factory=list)
    loose: list[tuple[str, str]] = field(default_factory=list)
    acronyms: list[tuple[str, str]] = field(default_factory=list)
    joined: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, left: list[str], right: list[str], stats: TermStats) -> "_Alignment":
        alignment = cls(left, right, [False] * len(left), [False] * len(right), stats)
        alignment._exact()
        passes = (
            lambda: alignment._exact(stem=True),
            lambda: alignment._joined(False),
            lambda: alignment._joined(True),
            lambda: alignment._acronyms(False),
            lambda: alignment._acronyms(True),
            alignment._typos,
            lambda: alignment._typos(slips=1),
        )
        for step in passes:
            if all(alignment.left_done) or all(alignment.right_done):
                break  # nothing left to pair on one side
            step()
        return alignment

    def _sides(self, flip: bool) -> tuple[list[str], list[bool], list[str], list[bool]]:
        if flip:
            return self.right, self.right_done, self.left, self.left_done
        return self.left, self.left_done, self.right, self.right_done

    def _exact(self, *, stem: bool = False) -> None:
        """Equal words; with `stem`, equal but for a plural ("bakery", "bakeries")."""
        same = _singular if stem else (lambda w: w)
        right = [same(other) for other in self.right]
        for i, word in enumerate(self.left):
            if self.left_done[i]:
                continue
            form = same(word)
            for j, other in enumerate(right):
                if not self.right_done[j] and other == form:
                    self.left_done[i] = self.right_done[j] = True
                    self.shared.append(word)
                    break

    def _runs(self, words: list[str], done: list[bool], size: int):
        for start in range(len(words) - size + 1):
            if not any(done[start : start + size]):
                yield start, words[start : start + size]

    def _joined(self, flip: bool) -> None:
        """One word on one side, its parts on the other: "supermicro", "super micro"."""
        words, done, others, others_done = self._sides(flip)
        written_together = "".join(words)
        for j, other in enumerate(others):
            # A run of words written together is part of all of them written together.
            if others_done[j] or other not in written_together:
                continue
            for size in range(2, MAX_JOINED_WORDS + 1):
                runs = self._runs(words, done, size)
                run = next((s for s, part in runs if "".join(part) == other), None)
                if run is not None:
                    done[run : run + size] = [True] * size
                    others_done[j] = True
                    self.shared.append(other)
                    self.joined.append((other, " ".join(words[run : run + size])))
                    break

    def _acronyms(self, flip: bool) -> None:
        """ "bny" for "bank of new york"; the run needs two initials at least."""
        words, done, others, others_done = self._sides(flip)
        initials = {word[0] for word, matched in zip(words, done, strict=True) if not matched}
        for j, short in enumerate(others):
            if (
                others_done[j]
                or len(short) not in ACRONYM_LENGTHS
                or not short.isalpha()
                or not initials.issuperset(short)  # each letter starts a word left over
            ):
                continue
            for size in range(2, len(words) + 1):
                for start, part in self._runs(words, done, size):
                    if acronym(" ".join(part)) == short and part[0] not in SKIPPED_IN_ACRONYMS:
                        done[start : start + size] = [True] * size
                        others_done[j] = True
                        self.acronyms.append((short, " ".join(part)))
                        break
                if others_done[j]:
                    break

    def _typos(self, *, slips: int = 0) -> None:
        found = self.loose if slips else self.typos
        for i, word in enumerate(self.left):
            if self.left_done[i]:
                continue
            for j, other in enumerate(self.right):
                if (
                    not self.right_done[j]
                    and typo_of(word, other, slips=slips)
                    # Two slips make another word as often as a typo ("media", "medical").
                    and not (slips and typo_bits(word, other, self.stats, slips=slips) <= 0)
                ):
                    self.left_done[i] = self.right_done[j] = True
                    found.append((word, other))
                    break

    def extra(self, flip: bool) -> list[str]:
        words, done, _, _ = self._sides(flip)
        return [word for word, matched in zip(words, done, strict=True) if not matched]

    def trailing(self, flip: bool) -> set[int]:
        """Positions of unmatched words after the last matched one: a longer form
        of the name ("Ford Motor" for "Ford"), not another name."""
        _, done, _, _ = self._sides(flip)
        last = max((i for i, matched in enumerate(done) if matched), default=-1)
        return set(range(last + 1, len(done)))


def typo_bits(word: str, other: str, stats: TermStats, *, slips: int = 0) -> float:
    """Evidence of a typo: the spellings' neighbours among other names make it
    weaker ("oraxi" against "orax" may be a brand of its own), and a typo of a
    common word ("logsitics") says no more than the word itself."""
    shares = sorted((stats.word_share(word, in_pair=1), stats.word_share(other, in_pair=1)))
    if slips:
        m, neighbours = M_TWO_TYPOS, TWO_TYPO_NEIGHBOURS
    else:
        m = M_TYPO
        longer = max(0, min(len(word), len(other)) - TYPO_NEIGHBOURS_LENGTH)
        neighbours = max(1.0, TYPO_NEIGHBOURS * TYPO_NEIGHBOURS_PER_LETTER**longer)
    return _bits(min(1.0, max(shares[0] * neighbours, shares[1])), m)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _dropped_bits(word: str, stats: TermStats, *, trailing: bool) -> float:
    if word in GENERIC_WORDS:
        return math.log2(DROPPED_WEAK_WORD)
    if not trailing:
        return math.log2(DROPPED_INNER_WORD)
    share = min(stats.word_share(word, in_pair=1), background_share(word))
    chance = DROPPED_COMMON_WORD * min(1.0, share / COMMON_WORD_SHARE) ** 0.5
    return math.log2(max(DROPPED_RARE_WORD_MIN, chance))


def _to_points(reasons: list[NameReason]) -> tuple[tuple[str, float, dict], ...]:
    """Bits as points. What agrees counts up to the maximum, what differs is taken
    from that: a name with a word left out is never worth as much as the same name."""
    points = [reason.bits * POINTS_PER_BIT for reason in reasons]
    positive = sum(value for value in points if value > 0)
    if positive > NAME_POINTS_MAX:
        excess = positive - NAME_POINTS_MAX
        for index, value in enumerate(points):
            cut = min(max(value, 0.0), excess)
            points[index], excess = value - cut, excess - cut
    return tuple(
        (reason.code, round(value, 1), reason.params)
        for reason, value in zip(reasons, points, strict=True)
    )


def same_name_evidence(key: str, stats: TermStats, *, code: str, params: dict) -> NameEvidence:
    """The same name once normalised, as strong as few other records have it."""
    others = max(0, stats.names.get(compact(key), 0) - 2)
    if others:
        code, params = "name_exact_common", {**params, "others": others}
    bits = _bits(stats.name_share(key), M_SAME_NAME)
    return NameEvidence(_to_points([NameReason(code, bits, params)]), exact=True)


def _shared_reason(shared: list[str], stats: TermStats) -> NameReason:
    others = stats.others_having_all(shared)
    code = "name_words" if others else "name_words_unique" if stats.records else "name_words_plain"
    params = {"words": _quoted(shared), "others": others}
    return NameReason(code, _bits(stats.words_share(shared), M_SHARED_WORDS), params)


def word_evidence(
    left: str,
    right: str,
    stats: TermStats = EMPTY,
    *,
    notes: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
) -> NameEvidence:
    """Evidence of two normalised names that are not the same name. `notes` are
    the words each name has in brackets ("Civeo Corporation (Canada)"): a note
    one source adds, left out as easily as "group"."""
    words_left, words_right = transliterate(left).split(), transliterate(right).split()
    alignment = _Alignment.of(words_left, words_right, stats)
    reasons: list[NameReason] = []
    if alignment.shared:
        reasons.append(_shared_reason(alignment.shared, stats))
    for joined, parts in alignment.joined:
        reasons.append(NameReason("name_joined", 0.0, {"joined": joined, "parts": parts}))
    for short, long in alignment.acronyms:
        params = {"short": short, "long": long}
        reasons.append(NameReason("name_acronym_word", ACRONYM_WORD_BITS, params))
    for slips, pairs in ((0, alignment.typos), (1, alignment.loose)):
        for word, other in pairs:
            bits = max(0.0, typo_bits(word, other, stats, slips=slips))
            reasons.append(NameReason("name_typo", bits, {"left": word, "right": other}))
    if not reasons:
        similarity = fuzz.ratio(" ".join(sorted(words_left)), " ".join(sorted(words_right)))
        points = min(similarity, NO_SHARED_WORD_POINTS_MAX) / POINTS_PER_BIT
        params = {"similarity": round(similarity), "left": left, "right": right}
        reasons.append(NameReason("name_similar", points, params))
    reasons += _difference_reasons(alignment, left, right, stats, notes)
    conflict = reasons[-1].code == "word_mismatch"
    # Words on both sides without counterpart, one side's only "group" or
    # "global": "Carrier Global" and "Carrier Logistics" may be two companies.
    substituted = bool(alignment.extra(False) and alignment.extra(True))
    fuzzy = (
        bool(alignment.typos or alignment.loose or alignment.acronyms or not alignment.shared)
        or substituted
    )
    return NameEvidence(_to_points(reasons), fuzzy=fuzzy, conflict=conflict)


def _difference_reasons(
    alignment: _Alignment,
    left: str,
    right: str,
    stats: TermStats,
    notes: tuple[frozenset[str], frozenset[str]],
) -> list[NameReason]:
    """Words only one name has: left out by the other source, or another name."""
    extra = {False: alignment.extra(False), True: alignment.extra(True)}
    noted = {False: notes[0], True: notes[1]}
    distinctive = {
        flip: [word for word in words if word not in GENERIC_WORDS and word not in noted[flip]]
        for flip, words in extra.items()
    }
    if distinctive[False] and distinctive[True]:
        words = _quoted([*distinctive[False], *distinctive[True]])
        return [NameReason("word_mismatch", math.log2(CONFLICT), {"words": words})]
    reasons = []
    for flip, name in ((False, left), (True, right)):
        words, _, _, _ = alignment._sides(flip)
        trailing = alignment.trailing(flip)
        bits = sum(
            math.log2(DROPPED_WEAK_WORD)
            if word in noted[flip]
            else _dropped_bits(word, stats, trailing=i in trailing)
            for i, word in enumerate(words)
            if word in extra[flip] and not _matched(alignment, flip, i)
        )
        if extra[flip]:
            params = {"name": name, "words": _quoted(extra[flip])}
            reasons.append(NameReason("name_extra_words", bits, params))
    return reasons


def _matched(alignment: _Alignment, flip: bool, index: int) -> bool:
    _, done, _, _ = alignment._sides(flip)
    return done[index]
