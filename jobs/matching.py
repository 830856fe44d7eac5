"""Find the catalog skills a job ad asks for: spaCy's PhraseMatcher over a blank English pipeline.

One matcher per process, built from the catalog's skill names and aliases and rebuilt when the catalog's
version stamp moves (catalog.versioning). The judgement calls (ambiguous names, negation, nice-to-have)
are tables in jobs.rules; this module only applies them.
"""

from __future__ import annotations

import bisect
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import spacy
from spacy.matcher import Matcher as TokenMatcher
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_infix_regex, filter_spans

from jobs import rules

MAX_AD_CHARS = 20_000

Spans = tuple[tuple[int, int], ...]

# The sections of an ad (Matcher._sections): what it asks for, what would be nice, and what is not the
# ad's (the role's "not your job" list, a pasted page's other jobs).
REQUIRED, NICE, SKIPPED = "required", "nice", "skipped"
_TAG = re.compile(r"<[^<>]*>")


@dataclass(frozen=True)
class SkillMatch:
    """One skill an ad asks for: where it is named, and whether only as a nice-to-have."""

    skill_id: int
    slug: str
    name: str
    required: bool
    spans: Spans


@dataclass(frozen=True)
class CatalogSkill:
    skill_id: int
    slug: str
    name: str
    aliases: tuple[str, ...]


_PARENTHESIS = re.compile(r"^(?P<outer>.+?)\s*\((?P<inner>[^()]+)\)\s*$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]+$")
_ACRONYM_PLURAL = re.compile(r"^[A-Z][A-Z0-9]+s$")


def surface_forms(name: str, aliases: Iterable[str]) -> set[str]:
    """Every way an ad may write the skill: "Large language models (LLMs)" gives the phrase, LLMs and LLM."""
    forms: set[str] = set()
    for raw in (name, *aliases):
        parts = [raw]
        found = _PARENTHESIS.match(raw)
        if found:
            parts = [found["outer"], found["inner"]]
        for part in parts:
            forms.add(part)
            if _ACRONYM.match(part):
                forms.add(part + "s")
            elif _ACRONYM_PLURAL.match(part):
                forms.add(part[:-1])
    return {form.strip() for form in forms if form.strip()}


def duty_pattern(duty: str) -> list[dict[str, Any]]:
    """A rules.DUTIES entry as a spaCy token pattern."""
    pattern: list[dict[str, Any]] = []
    for word in duty.split():
        if word.startswith("~"):
            between = {"IS_SPACE": False, "ORTH": {"NOT_IN": [".", ",", ";", "!", "?", "|"]}}
            pattern.append({**between, "OP": f"{{0,{int(word[1:])}}}"})
        elif "|" in word:
            pattern.append({"LOWER": {"IN": word.split("|")}})
        else:
            pattern.append({"LOWER": word})
    return pattern


def is_case_sensitive(form: str) -> bool:
    # Short all-letter names collide with words and initials ("R", "TF", "AML"); "K8s" or "C++" do not.
    if form.upper() in rules.ANY_CASE_SHORT:
        return False
    return form in rules.CASE_SENSITIVE or (len(form) <= rules.SHORT_NAME_LENGTH and form.isalpha())


class Matcher:
    """The compiled matcher for one version of the catalog."""

    def __init__(self, skills: Iterable[CatalogSkill]) -> None:
        self.nlp = spacy.blank("en")
        # Ads pasted as HTML source: "<li>Docker</li>" must split at the tags like at any punctuation.
        infixes = [*(self.nlp.Defaults.infixes or ()), r"[<>]", r"\.(?=<)"]
        tokenizer = cast(Tokenizer, self.nlp.tokenizer)
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        self.nlp.add_pipe("sentencizer")
        self.any_case = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.skills: dict[int, CatalogSkill] = {}
        for skill in skills:
            name = f"skill:{skill.skill_id}"
            self.skills[self.nlp.vocab.strings.add(name)] = skill
            forms = surface_forms(skill.name, skill.aliases)
            sensitive = [self.nlp.make_doc(f) for f in sorted(forms) if is_case_sensitive(f)]
            insensitive = [self.nlp.make_doc(f) for f in sorted(forms) if not is_case_sensitive(f)]
            if sensitive:
                self.exact.add(name, sensitive)
            if insensitive:
                self.any_case.add(name, insensitive)
        self.duties = TokenMatcher(self.nlp.vocab)
        for key, skill in self.skills.items():
            patterns = [duty_pattern(duty) for duty in rules.DUTIES.get(skill.slug, ())]
            if patterns:
                self.duties.add(self.nlp.vocab.strings[key], patterns)
        self.cues = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for label, phrases in (
            ("NEG_BEFORE", rules.NEGATION_BEFORE),
            ("NEG_NO", rules.NEGATION_NO),
            ("NEG_AFTER", rules.NEGATION_AFTER),
            ("NEG_BACK", rules.NEGATION_BACK),
            ("NICE", rules.NICE_PHRASES),
        ):
            self.cues.add(label, [self.nlp.make_doc(p) for p in phrases])

    def analyse(self, text: str) -> tuple[SkillMatch, ...]:
        """The skills `text` asks for, in order of first mention. Linear in the ad's length: what each
        mention's judgement reads (its sentence, clause, line and the nearest cues) is indexed once."""
        doc = self.nlp(text)
        cues = [(self.nlp.vocab.strings[label], start, end) for label, start, end in self.cues(doc)]
        ad = _Ad(doc, cues)
        spans = self._skill_spans(ad)
        ad.mark_skills(spans)
        sections = self._sections(ad, spans)
        spans = [span for span in spans if sections[ad.line_of[span.start]] != SKIPPED]
        nice_lines = [section == NICE for section in sections]
        found: dict[int, list[tuple[Span, bool]]] = {}
        for span in spans:
            line = ad.line_of[span.start]
            last = min(ad.sent_end[span.start], ad.lines[line][1])
            first, end = ad.clause(span)
            nice = nice_lines[line] or ad.cue("NICE").any_within(first, end)
            if ad.negated(span, first, end):
                # "Kubernetes is not required, but a plus": a nice-to-have, not a refusal.
                if not ad.cue("NICE").any_within(span.end, last):
                    continue
                nice = True
            found.setdefault(span.label, []).append((span, not nice))
        return tuple(
            SkillMatch(
                skill_id=self.skills[label].skill_id,
                slug=self.skills[label].slug,
                name=self.skills[label].name,
                required=any(required for _, required in hits),
                spans=tuple((span.start_char, span.end_char) for span, _ in hits),
            )
            for label, hits in found.items()
        )

    def _skill_spans(self, ad: _Ad) -> list[Span]:
        doc = ad.doc
        raw = [
            Span(doc, start, end, label=label)
            for matcher in (self.any_case, self.exact)
            for label, start, end in matcher(doc)
        ]
        kept = [span for span in filter_spans(raw) if not _vetoed(ad, span)]
        # A duty is marked at its first word; neither end may be a name's ("build model monitoring" is
        # model monitoring), what lies between may ("train our YOLO models").
        named = {i for span in kept for i in range(span.start, span.end)}
        duties = {
            start: label
            for label, start, end in self.duties(doc)
            if start not in named and end - 1 not in named
        }
        kept += [Span(doc, start, start + 1, label=label) for start, label in duties.items()]
        return sorted(kept, key=lambda span: span.start)

    def _sections(self, ad: _Ad, spans: list[Span]) -> list[str]:
        """For each line of the ad, the kind of section it sits in: under a nice-to-have heading
        (NICE), under a heading of what the role does not ask for or in the page's other jobs
        (SKIPPED), or else REQUIRED."""
        with_skill = {ad.line_of[span.start] for span in spans}
        headings = (
            rules.HEADING_WORDS + rules.NICE_PHRASES + rules.OTHER_JOBS_HEADINGS + rules.NOT_ASKED_HEADINGS
        )
        section = REQUIRED
        result = []
        for number, (start, end) in enumerate(ad.lines):
            # Pasted HTML source: "<h3>Nice to have</h3>" is a heading of three words.
            lowered = _TAG.sub(" ", ad.doc[start:end].text).lower().strip()
            words = lowered.split()
            if (
                words
                and number not in with_skill
                and len(words) <= rules.HEADING_MAX_TOKENS
                and (lowered.endswith(":") or any(w in lowered for w in headings))
            ):
                if any(phrase in lowered for phrase in rules.NICE_PHRASES):
                    section = NICE
                # The whole line, not a menu that holds the words ("Home | More jobs | Log in").
                elif lowered.rstrip(":").strip() in rules.OTHER_JOBS_HEADINGS or any(
                    phrase in lowered for phrase in rules.NOT_ASKED_HEADINGS
                ):
                    section = SKIPPED
                else:
                    section = REQUIRED
            result.append(section)
        return result


def _is_newline(token: Token) -> bool:
    """Whether a token ends a line (spaCy keeps line breaks as whitespace tokens)."""
    return token.is_space and "\n" in token.text


def _is_break(token: Token) -> bool:
    """Whether a token ends a clause: a line break or a word of rules.CLAUSE_BREAKS."""
    return _is_newline(token) or token.lower_ in rules.CLAUSE_BREAKS


@dataclass
class _Cues:
    """One kind of cue's matches, indexed for the questions a mention asks of them."""

    by_start: list[tuple[int, int]]
    by_end: list[tuple[int, int]]

    def __post_init__(self) -> None:
        self.starts = [start for start, _ in self.by_start]
        self.ends = [end for end, _ in self.by_end]
        # The smallest end among the cues from the k-th (by start) on.
        self.min_end_from = [0] * len(self.by_start)
        smallest = sys.maxsize
        for k in range(len(self.by_start) - 1, -1, -1):
            smallest = min(smallest, self.by_start[k][1])
            self.min_end_from[k] = smallest

    def any_within(self, first: int, last: int) -> bool:
        """Whether a cue lies wholly in tokens first..last."""
        k = bisect.bisect_left(self.starts, first)
        return k < len(self.starts) and self.min_end_from[k] <= last

    def nearest_after(self, i: int) -> tuple[int, int] | None:
        """The cue (start, end) that starts first at or after token i."""
        k = bisect.bisect_left(self.starts, i)
        return self.by_start[k] if k < len(self.by_start) else None

    def nearest_before(self, i: int) -> tuple[int, int] | None:
        """The cue (start, end) that ends last at or before token i."""
        k = bisect.bisect_right(self.ends, i) - 1
        return (self.by_end[k][1], self.by_end[k][0]) if k >= 0 else None


class _Ad:
    """One ad's tokens and what every mention's judgement reads, computed once: sentences, lines,
    clause breaks, cues by kind, and which tokens a negation may reach over."""

    def __init__(self, doc: Doc, cues: list[tuple[str, int, int]]) -> None:
        self.doc = doc
        size = len(doc)
        self.sent_start = [0] * size
        self.sent_end = [0] * size
        for sentence in doc.sents:
            for i in range(sentence.start, sentence.end):
                self.sent_start[i], self.sent_end[i] = sentence.start, sentence.end
        # The line of each token and each line's token range, in one pass.
        self.line_of: list[int] = []
        self.lines: list[tuple[int, int]] = []
        line_start = 0
        for token in doc:
            self.line_of.append(len(self.lines))
            if _is_newline(token):
                self.lines.append((line_start, token.i))
                line_start = token.i + 1
        self.lines.append((line_start, size))
        self.prev_break, latest = [0] * size, -1
        for token in doc:
            latest = token.i if _is_break(token) else latest
            self.prev_break[token.i] = latest
        self.next_break, earliest = [size] * (size + 1), size
        for i in range(size - 1, -1, -1):
            earliest = i if _is_break(doc[i]) else earliest
            self.next_break[i] = earliest
        kinds: dict[str, list[tuple[int, int]]] = {}
        for kind, start, end in cues:
            kinds.setdefault(kind, []).append((start, end))
        self.cues = {
            kind: _Cues(sorted(found), sorted((end, start) for start, end in found))
            for kind, found in kinds.items()
        }
        self._sentence_words: dict[int, frozenset[str]] = {}
        self.no_blocked: list[int] = []
        self.after_blocked: list[int] = []

    def is_bullet(self, i: int) -> bool:
        """Whether token `i` marks a list item: punctuation first on its line, a space after it."""
        token = self.doc[i]
        first_on_line = i == 0 or self.line_of[i - 1] != self.line_of[i]
        return token.is_punct and bool(token.whitespace_) and first_on_line

    def cue(self, kind: str) -> _Cues:
        return self.cues.get(kind) or _NO_CUES

    def sentence_words(self, i: int) -> frozenset[str]:
        """The lower-case words of token i's sentence."""
        start = self.sent_start[i]
        if start not in self._sentence_words:
            self._sentence_words[start] = frozenset(t.lower_ for t in self.doc[start : self.sent_end[i]])
        return self._sentence_words[start]

    def mark_skills(self, spans: list[Span]) -> None:
        """Count, for the negations' reach, the tokens that are neither a skill nor a bridging word."""
        in_skill = {i for span in spans for i in range(span.start, span.end)}
        self.no_blocked = _blocked(self.doc, in_skill, rules.NEGATION_NO_BRIDGE)
        self.after_blocked = _blocked(self.doc, in_skill, rules.NEGATION_AFTER_BRIDGE)

    def clause(self, span: Span) -> tuple[int, int]:
        """The token range around `span` up to the nearest sentence end, line break or clause break."""
        start, end = self.sent_start[span.start], self.sent_end[span.start]
        if span.start > 0 and self.prev_break[span.start - 1] >= start:
            start = self.prev_break[span.start - 1] + 1
        return start, min(end, self.next_break[span.end])

    def negated(self, span: Span, first: int, last: int) -> bool:
        """Whether a negation reaches `span` in its clause first..last (or, pointing back, its line)."""
        if self.cue("NEG_BEFORE").any_within(first, span.start):
            return True
        # Only the nearest "no" before and the nearest "not required" after can reach: a farther one
        # would have to reach over the nearer one's words.
        before = self.cue("NEG_NO").nearest_before(span.start)
        if before and before[0] >= first and self.no_blocked[span.start] == self.no_blocked[before[1]]:
            return True
        after = self.cue("NEG_AFTER").nearest_after(span.end)
        if after and after[1] <= last and self.after_blocked[after[0]] == self.after_blocked[span.end]:
            return True
        back = self.cue("NEG_BACK").nearest_after(span.end)
        return back is not None and self.points_back(span, *back)

    def points_back(self, span: Span, start: int, end: int) -> bool:
        """Whether a NEG_BACK cue at start:end reaches `span`: in the same sentence, or in the one just
        before when the cue's sentence opens with a pronoun; on the same line either way."""
        if self.line_of[start] != self.line_of[span.end]:
            return False
        if end <= self.sent_end[span.start]:
            return True
        opening = self.sent_start[start]
        return (
            opening == self.sent_end[span.start] and self.doc[opening].lower_ in rules.NEGATION_BACK_PRONOUNS
        )


_NO_CUES = _Cues([], [])


def _blocked(doc: Doc, in_skill: set[int], bridge: frozenset[str]) -> list[int]:
    """Running count of the tokens a negation cannot reach over (not a skill, a bridge word or space)."""
    counts, blocked = [0], 0
    for token in doc:
        blocked += not (token.i in in_skill or token.lower_ in bridge or token.is_space)
        counts.append(blocked)
    return counts


def _vetoed(ad: _Ad, span: Span) -> bool:
    doc = ad.doc
    key = span.text.lower()
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    # A list's marker is no neighbour: "- R, especially the forecast packages" is R, "B-R" is not.
    before = doc[span.start - 1].lower_ if span.start > 0 and not ad.is_bullet(span.start - 1) else ""
    if after in rules.ALLOW_NEXT.get(key, ()):
        return False
    if after in rules.VETO_NEXT.get(key, ()) or before in rules.VETO_PREVIOUS.get(key, ()):
        return True
    if key in rules.ADVERB_NAMES and span.start == ad.sent_start[span.start] and after == ",":
        return True
    following = doc[span.end] if span.end < len(doc) else None
    if following is not None and following.is_title and following.is_alpha:
        # "Spark Rivals" (but "Spark Streaming"), "Bert Jansen" (but "BERT Base").
        if key in rules.NAME_PARTS and following.lower_ not in rules.NAME_PARTS[key]:
            return True
        if key in rules.FIRST_NAMES and span.text.istitle():
            return True
    words = rules.VETO_IN_SENTENCE.get(key)
    return words is not None and not words.isdisjoint(ad.sentence_words(span.start))


_lock = threading.Lock()
_built: dict[str, Matcher] = {}


def catalog_skills() -> list[CatalogSkill]:
    from catalog.models import Skill

    return [
        CatalogSkill(skill.pk, skill.slug, skill.name, tuple(a.name for a in skill.aliases.all()))
        for skill in Skill.objects.prefetch_related("aliases").order_by("pk")
    ]


def current_matcher() -> Matcher:
    """The process's matcher for the catalog as it is now (built afresh when the version stamp moved)."""
    from catalog.versioning import catalog_version

    version = catalog_version()
    with _lock:
        matcher = _built.get(version) if version else None
        if matcher is None:
            matcher = Matcher(catalog_skills())
            _built.clear()
            if version:
                _built[version] = matcher
        return matcher


def analyse_ad(text: str) -> tuple[SkillMatch, ...]:
    """The skills a job ad asks for, by the catalog as it is now: the page, the command and the bench."""
    return current_matcher().analyse(text)
