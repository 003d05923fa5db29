"""Finding lookup-table phrases in an answer, with spaCy's PhraseMatcher.

The pipeline is ``spacy.blank("en")``: spaCy's English tokenizer and nothing
that needs a downloaded model. It is built on first use and kept for the life
of the process; each parser builds its matchers once per :class:`Lookups`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})


@functools.cache
def pipeline() -> Language:
    """The tokenizer every parser shares, created on first use.

    spaCy itself is imported here too, so importing the parsers stays cheap
    for processes (like the action server) that load every module at start.
    """
    import spacy

    return spacy.blank("en")


def clean(text: str) -> str:
    """Unicode-normalize, straighten quotes and collapse white space."""
    normalized = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACES.sub(" ", normalized).strip()


@dataclass(frozen=True)
class Found:
    """One phrase found in an answer: its table label and character span."""

    label: str
    text: str
    start: int
    end: int


class Phrases:
    """Case-insensitive matcher for labelled phrase tables.

    Overlapping hits resolve to the longest phrase ("assistant to the ceo"
    rather than "ceo"), and hits come back in reading order.
    """

    def __init__(self, tables: Mapping[str, Iterable[str]]) -> None:
        from spacy.matcher import PhraseMatcher

        nlp = pipeline()
        self._nlp = nlp
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.vocabulary: frozenset[str] = frozenset()
        words: set[str] = set()
        for label, terms in tables.items():
            docs = [nlp.make_doc(term) for term in terms if term.strip()]
            if docs:
                self._matcher.add(label, docs)
            words.update(token.lower_ for doc in docs for token in doc)
        self.vocabulary = frozenset(words)

    def find(self, text: str) -> list[Found]:
        """Every non-overlapping phrase in ``text``, longest first on overlap."""
        return self.find_in(self._nlp.make_doc(text))

    def find_in(self, doc: Doc) -> list[Found]:
        """Like :meth:`find`, for an already tokenized answer."""
        from spacy.tokens import Span
        from spacy.util import filter_spans

        spans = [
            Span(doc, start, end, label=match_id)
            for match_id, start, end in self._matcher(doc)
        ]
        return [
            Found(
                label=span.label_,
                text=span.text,
                start=span.start_char,
                end=span.end_char,
            )
            for span in sorted(filter_spans(spans), key=lambda span: span.start)
        ]


def correct_typos(
    text: str, vocabulary: frozenset[str], *, min_length: int = 5, cutoff: int = 80
) -> str:
    """Replace words that are near misses of a table word ("enginer").

    Only alphabetic words of ``min_length`` letters or more that are not
    already table words are touched, so short words and names stay as typed.
    The result is lower case.
    """
    choices = sorted(word for word in vocabulary if len(word) >= min_length - 1)
    out: list[str] = []
    for token in pipeline().make_doc(text):
        word = token.lower_
        if token.is_alpha and len(word) >= min_length and word not in vocabulary:
            best = process.extractOne(
                word, choices, scorer=fuzz.ratio, score_cutoff=cutoff
            )
            if best is not None:
                word = str(best[0])
        out.append(word + token.whitespace_)
    return "".join(out)
