"""Turning what a user types into a safe full-text query.

People type punctuation ("24/7", "Cyber-Essentials", "don't", a stray quote or bracket). Passed
straight to FTS5 those are query syntax and fail; passed to PostgreSQL's to_tsquery they fail too.
So the keywords are cut into plain terms here, and each engine's query is built from the terms:
- FTS5: every term quoted (a quoted string is a phrase, never an operator), the last one as a
  prefix so results appear while a word is still being typed;
- PostgreSQL: the whole words for websearch_to_tsquery, which never raises on odd input, and the
  last term as a prefix lexeme for to_tsquery (it holds only letters and digits, so it is safe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Enough for any sensible catalogue search; a pasted paragraph would only make the query slow.
MAX_TERMS = 12
MAX_TERM_LENGTH = 40
# A one-letter prefix ("s*") matches most of the catalogue and tells the user nothing.
MIN_PREFIX_LENGTH = 2

# Letters and digits in any script; everything else separates terms, as the tokenizers do.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class SearchTerms:
    """The words of a keyword search, in the order typed, without duplicates."""

    words: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def prefix(self) -> str | None:
        """The last word, matched as a prefix, if long enough to be worth it."""
        if self.words and len(self.words[-1]) >= MIN_PREFIX_LENGTH:
            return self.words[-1]
        return None

    def fts5_match(self) -> str:
        """An FTS5 MATCH expression: every term must appear; the last may be a prefix."""
        parts = [f'"{w}"' for w in self.words]
        if self.prefix:
            parts[-1] += "*"
        return " ".join(parts)

    def pg_words(self) -> str:
        """Whole words for websearch_to_tsquery (all of them must match)."""
        words = self.words[:-1] if self.prefix else self.words
        return " ".join(words)

    def pg_prefix(self) -> str:
        """A to_tsquery prefix expression for the last word, or '' when there is none."""
        return f"{self.prefix}:*" if self.prefix else ""


def parse_keywords(text: str | None) -> SearchTerms:
    """Split typed keywords into terms: lower case, letters and digits only, at most MAX_TERMS."""
    seen: dict[str, None] = {}
    for match in _WORD.finditer((text or "").lower()):
        word = match.group()[:MAX_TERM_LENGTH]
        seen.setdefault(word, None)
        if len(seen) == MAX_TERMS:
            break
    return SearchTerms(tuple(seen))


# --- snippets ---------------------------------------------------------------------------------

SNIPPET_WORDS = 28
# Words match a term by a shared start: "listening" highlights "listen" and "listens", roughly as
# the engines' stemmers match them. Only display depends on it; matching itself is the database's.
_MIN_STEM = 4


def _stem(word: str) -> str:
    return word[: max(_MIN_STEM, len(word) - 3)]


def snippet(body: str, terms: SearchTerms, words: int = SNIPPET_WORDS) -> list[tuple[str, bool]]:
    """A window of `words` words from `body` around the first matched term: (text, matched) pieces.

    The window starts a few words before the first match; '…' marks a cut at either end. Only the
    window is split into words, so a long document costs no more than a short one.
    """
    if not body or not terms:
        return []
    stems = tuple(_stem(w) for w in terms.words)
    first = re.compile("|".join(re.escape(s) for s in stems), re.IGNORECASE).search(body)
    pos = first.start() if first else 0
    lead = words // 3
    # Look back only so far: `lead` words are rarely longer than 40 characters each.
    head_start = max(0, pos - 40 * lead)
    head = body[head_start:pos].split()
    before = head[-lead:] if lead else []
    cut_before = head_start > 0 or len(head) > len(before)
    after = body[pos:].split(maxsplit=words - len(before))
    cut_after = len(after) > words - len(before)
    window = before + after[: words - len(before)]
    pieces: list[tuple[str, bool]] = [("… ", False)] if cut_before else []
    for token in window:
        word = "".join(_WORD.findall(token.lower()))
        pieces.append((token, bool(word) and word.startswith(stems)))
        pieces.append((" ", False))
    if cut_after:
        pieces.append(("…", False))
    return _merge(pieces)


def _merge(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join neighbouring unmatched pieces so the template emits few elements."""
    merged: list[tuple[str, bool]] = []
    for text, matched in pieces:
        if merged and not matched and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        else:
            merged.append((text, matched))
    return merged
