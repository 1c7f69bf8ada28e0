"""Which split a new article goes to: deterministic minimisation over beat and register.

The first 60 articles (corpus v1) keep the splits they were published with. Every later article
is assigned, in id order, by Pocock and Simon's minimisation (Biometrics 31, 1975) without the
random element: for each candidate split, count how far the split shares of the article's beat,
of its register and of the whole corpus would then sit from the target shares, and take the split
that leaves the smallest total distance (ties: the split furthest below its overall target, then
the order test, validation, train). An article's split depends only on the articles before it, so
adding a batch never moves an article already assigned, and each beat and each register fills
its splits in the target proportions as it grows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

#: Target shares: 300 articles give about 126 test, 51 validation and 123 train.
TARGET = {"test": 0.42, "validation": 0.17, "train": 0.41}
#: Tie order (the evaluation splits first: they are what the corpus is short of).
ORDER = ("test", "validation", "train")
#: Articles up to this number keep the split they were published with.
FROZEN_UP_TO = 60


@dataclass(frozen=True)
class Article:
    """What the rule looks at: the id (``sayso-NNNN``), beat, register and declared split."""

    id: str
    beat: str | None
    register: str | None
    split: str | None = None


def _number(doc_id: str) -> int:
    return int(doc_id.rsplit("-", 1)[1])


def _distance(counts: Counter, total: int) -> float:
    return sum(abs(counts[s] - TARGET[s] * total) for s in ORDER)


def assign(articles: Iterable[Article]) -> dict[str, str]:
    """The rule's split for every article, by id (frozen articles keep their declared split)."""
    overall: Counter = Counter()
    by_beat: dict[str | None, Counter] = {}
    by_register: dict[str | None, Counter] = {}
    result: dict[str, str] = {}
    for art in sorted(articles, key=lambda a: _number(a.id)):
        beat = by_beat.setdefault(art.beat, Counter())
        register = by_register.setdefault(art.register, Counter())
        if _number(art.id) <= FROZEN_UP_TO:
            split = art.split or "train"
        else:
            split = min(ORDER, key=lambda s: _cost(s, (overall, beat, register)))
        result[art.id] = split
        for counts in (overall, beat, register):
            counts[split] += 1
    return result


def _cost(split: str, factors: tuple[Counter, ...]) -> tuple[float, float, int]:
    total = 0.0
    for counts in factors:
        trial = counts.copy()
        trial[split] += 1
        total += _distance(trial, sum(trial.values()))
    overall = factors[0]
    n = sum(overall.values()) + 1
    # Tie-breaks: the split most below its overall target, then ORDER.
    return (round(total, 9), overall[split] - TARGET[split] * n, ORDER.index(split))
