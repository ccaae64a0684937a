"""Pure ranking of search candidates: exact, then prefix, then word prefix, then substring.

A candidate matches when every word of the query occurs in its title or keywords; the tier says
how well the whole query matches the title. Ties go to the kind (pages before KPIs before
customers, alerts and risks), then to the shorter title, then alphabetically.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

KIND_ORDER = ("page", "kpi", "customer", "alert", "risk")

EXACT, PREFIX, WORD_PREFIX, SUBSTRING, KEYWORD = range(5)

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """Something search can find: what a person reads and where it leads."""

    id: str
    kind: str
    title: str
    description: str
    category: str
    url: str
    """The seed front end's in-app route."""
    href: str | None
    """execdash's own page, when it has one."""
    keywords: str = ""
    """Other words it is known by (synonyms, keys); matched, never shown."""


def normalise(text: str) -> str:
    """Lower case, accents folded, runs of white space as one space, trimmed."""
    folded = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain.casefold()).strip()


def word_starts(text: str) -> list[int]:
    """Indexes where a word (a run of letters or digits) begins in `text`."""
    return [i for i, c in enumerate(text) if c.isalnum() and (i == 0 or not text[i - 1].isalnum())]


def tier(query: str, candidate: Candidate) -> int | None:
    """How well the normalised `query` matches: EXACT … KEYWORD, or None when it does not."""
    title = normalise(candidate.title)
    if title == query:
        return EXACT
    if title.startswith(query):
        return PREFIX
    if any(title.startswith(query, i) for i in word_starts(title)):
        return WORD_PREFIX
    if query in title:
        return SUBSTRING
    haystack = " ".join((title, normalise(candidate.keywords), normalise(candidate.description)))
    if all(word in haystack for word in query.split(" ")):
        return KEYWORD
    return None


def rank(query: str, candidates: Iterable[Candidate], limit: int) -> list[Candidate]:
    """The best `limit` candidates for `query`, best first; duplicates by id are dropped."""
    q = normalise(query)
    if not q:
        return []
    scored: dict[str, tuple[tuple[int, int, int, str], Candidate]] = {}
    for c in candidates:
        found = tier(q, c)
        if found is None:
            continue
        kind = KIND_ORDER.index(c.kind) if c.kind in KIND_ORDER else len(KIND_ORDER)
        key = (found, kind, len(c.title), normalise(c.title))
        if c.id not in scored or key < scored[c.id][0]:
            scored[c.id] = (key, c)
    return [c for _, c in sorted(scored.values(), key=lambda kc: kc[0])[:limit]]
