"""Attribution and stance candidates from a spaCy parse (shared by the rules and learned systems).

Attributions (cue lexicon in ``lexicons/cues.json``):
- a cue verb ("said", "told", "reported", "claimed", ...) not inside a quotation: its source is
  its subject (inherited through ``conj``, resolved through ``who`` in relative clauses); its
  content is the quotation(s) adjacent to the clause (``direct``), else its clausal complement
  without "that" (``indirect``, or ``mixed`` when it contains quotation marks);
- "according to X, ...": source X, content the rest of the sentence;
- "X reported, citing Y": a second record with source Y and ``via`` the record of X;
- agentless adverbs ("reportedly"): source null, content the sentence.
Stances (lexicon in ``lexicons/stances.json``): a support/oppose verb or neutral phrase whose
subject and object (or prepositional object) resolve to mentions; a first-person subject inside
an attribution's content resolves to that attribution's source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._mentions import Mention, MentionTable
from ._resources import lemma_phrases, lexicon

__all__ = ["AttributionCandidate", "StanceCandidate", "Analysis", "find_quotes", "analyse"]

_GAP_BEFORE = re.compile(r"^[\s,.!?;:\u2014\u2013-]*$")
_GAP_AFTER = re.compile(r"^(?:[^.!?\"\u201c\u201d\n]{0,60}[,:\u2014\u2013])?\s*$")
_TRIM = " \t\n,;:\u2014\u2013-"
_QUOTE_CHARS = '"\u201c\u201d\u00ab\u00bb'


@dataclass(eq=False)
class AttributionCandidate:
    cue: tuple[int, int] | None
    cue_lemma: str
    source: Mention | None
    content: list[tuple[int, int]]
    quote: str
    sentence: tuple[int, int]
    named_context: list[str] = field(default_factory=list)
    role_context: str = ""
    head_tag: str | None = None
    determiner: str | None = None
    via: AttributionCandidate | None = None
    labels: dict[str, str] = field(default_factory=dict)
    id: str | None = None


@dataclass(eq=False)
class StanceCandidate:
    holder: Mention
    target: Mention
    trigger: str
    polarity: str
    evidence: list[tuple[int, int]]
    sentence: tuple[int, int]
    attribution: AttributionCandidate | None = None
    id: str | None = None


@dataclass
class Analysis:
    text: str
    sdoc: object  # spacy.tokens.Doc
    table: MentionTable
    quotes: list[tuple[int, int]]  # inner spans of quotations
    attributions: list[AttributionCandidate] = field(default_factory=list)
    stances: list[StanceCandidate] = field(default_factory=list)


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Inner spans of quotations: curly pairs, and straight quotes paired within a paragraph.

    A quotation still open at the end of a paragraph runs to that paragraph's end (news style
    reopens multi-paragraph quotes without closing them).
    """
    spans = []
    offset = 0
    for para in re.split(r"(\n\s*\n)", text):
        opened = None
        for i, ch in enumerate(para):
            if ch in "\u201c\u00ab" or (ch == '"' and opened is None):
                if opened is None:
                    opened = i
            elif ch in '\u201d\u00bb"' and opened is not None:
                spans.append((offset + opened + 1, offset + i))
                opened = None
        if opened is not None and para.strip():
            spans.append((offset + opened + 1, offset + len(para.rstrip())))
        offset += len(para)
    return spans


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past whitespace and separating punctuation at either end."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _span(tokens) -> tuple[int, int]:
    tokens = list(tokens)
    return min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)


def _in_quote(an: Analysis, pos: int) -> bool:
    return any(s <= pos < e for s, e in an.quotes)


def _subject(tok, depth: int = 0):
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
                return tok.head
            return c
    if depth < 3 and tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.pos_ in ("VERB", "AUX"):
        return _subject(tok.head, depth + 1)
    if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    return None


def _phrase_end(head) -> int:
    """End of a noun phrase: the head plus right-hand modifiers up to a comma or clause."""
    right = head.i
    for c in head.rights:
        if c.dep_ in ("prep", "compound", "amod", "nummod", "poss", "nmod"):
            right = max(right, c.right_edge.i)
        else:
            break
    doc = head.doc
    return doc[right].idx + len(doc[right])


def mention_for(an: Analysis, head) -> Mention | None:
    """The mention a subject or object head token refers to, creating NOM/PRO mentions."""
    start, end = head.idx, head.idx + len(head)
    found = an.table.covering(start, end)
    if found is not None:
        return found
    lex = lexicon("sources")
    if head.pos_ == "PRON":
        for type_, words in lex["pronouns"].items():
            if head.lower_ in words:
                return an.table.add(start, end, type_, "PRO")
        return None
    if head.pos_ == "PROPN":
        left = head
        while left.i > 0 and head.doc[left.i - 1].pos_ == "PROPN" and head.doc[left.i - 1].dep_ == "compound":
            left = head.doc[left.i - 1]
        return an.table.add(left.idx, end, "PER", "NAM")
    if head.pos_ == "NOUN":
        type_ = "ORG" if head.lemma_.lower() in lex["org_nouns"] else "PER"
        s, e = trim(an.text, head.left_edge.idx, _phrase_end(head))
        return an.table.add(s, e, type_, "NOM")
    return None


def _context(an: Analysis, head, source: Mention | None) -> tuple[list[str], str]:
    """Names of organisations around a source, and the words of its subtree (title, apposition).

    A pronoun borrows the context of the nearest earlier named person, and a surname that of the
    full name introduced earlier ("Lena Okafor, a spokeswoman for ..." ... "Okafor told ...").
    """
    if head is None or source is None:
        return [], ""
    s, e = head.left_edge.idx, head.right_edge.idx + len(head.right_edge)
    named = [
        an.text[m.start : m.end]
        for m in an.table.inside(s, e)
        if m is not source and m.type in ("ORG", "GPE", "NORP")
    ]
    if source.kind == "NAM" and source.type == "ORG":
        named.append(an.text[source.start : source.end])
    role = an.text[s:e]
    earlier = [
        m
        for m in an.table.mentions()
        if m is not source and m.kind == "NAM" and m.roles and m.type == source.type and m.end <= source.start
    ]
    if source.kind == "PRO" and source.type == "PER" and earlier:
        named, role = earlier[-1].roles[-1]
    elif source.kind == "NAM":
        source.roles.append((named, role))
        last = an.text[source.start : source.end].split()[-1:]
        for m in earlier:
            if source.type == "PER" and an.text[m.start : m.end].split()[-1:] == last:
                for n, r in m.roles:
                    named, role = n + named, r + " " + role
    return list(named), role


def _quote_kind(an: Analysis, spans: list[tuple[int, int]]) -> str:
    if spans and all(any(qs - 1 <= s and e <= qe + 1 for qs, qe in an.quotes) for s, e in spans):
        return "direct"
    if any(ch in _QUOTE_CHARS for s, e in spans for ch in an.text[s:e]):
        return "mixed"
    return "indirect"


def _adjacent_quotes(an: Analysis, start: int, end: int) -> list[tuple[int, int]]:
    text = an.text
    before = [
        q
        for q in an.quotes
        if q[1] <= start and _GAP_BEFORE.match(text[q[1] + 1 : start]) and _continues(text, q, start)
    ]
    after = [q for q in an.quotes if q[0] >= end and _GAP_AFTER.match(text[end : q[0] - 1])]
    spans = before[-1:] + after[:1]
    # The corpus marks a direct quotation with its quotation marks (annotation/GUIDELINES.md).
    return [(s - 1, e + 1 if text[e : e + 1] in _QUOTE_CHARS and e < len(text) else e) for s, e in spans]


def _continues(text: str, quote: tuple[int, int], start: int) -> bool:
    """A quotation before a cue belongs to it when it ends open: '"...," she said', '"...?" he asked'."""
    inner = text[quote[0] : quote[1]].rstrip()
    gap = text[quote[1] + 1 : start]
    if not inner:
        return False
    if inner[-1] in ",\u2014\u2013-" or "," in gap:
        return True
    return inner[-1] in "?!" and text[start : start + 1].islower()


def _clausal_content(an: Analysis, tok) -> list[tuple[int, int]]:
    for c in tok.children:
        if c.dep_ == "ccomp" and c.i > tok.i:
            tokens = [t for t in c.subtree if not (t.dep_ == "mark" and t.head == c and t.i == c.left_edge.i)]
            if tokens:
                return [trim(an.text, *_span(tokens))]
    for c in tok.children:  # "X reported, citing Y, that ...": the complement hangs off "citing"
        if c.lemma_ == "cite":
            found = _clausal_content(an, c)
            if found:
                return found
    return []


def _make(an, cue_tok, cue_span, lemma, head, content, sent) -> AttributionCandidate | None:
    content = [(s, e) for s, e in content if e > s]
    if not content:
        return None
    source = mention_for(an, head) if head is not None else None
    if head is not None and source is None:
        return None
    named, role = _context(an, head, source)
    det = None
    if head is not None:
        det = next((c.lower_ for c in head.children if c.dep_ in ("det", "nummod")), None)
    return AttributionCandidate(
        cue=cue_span,
        cue_lemma=lemma,
        source=source,
        content=content,
        quote=_quote_kind(an, content),
        sentence=(sent.start_char, sent.end_char),
        named_context=named,
        role_context=role,
        head_tag=head.tag_ if head is not None else None,
        determiner=det,
    )


def _attributions(an: Analysis) -> None:
    lex = lexicon("cues")
    verbs = set(lex["verbs"])
    by_token: dict[int, AttributionCandidate] = {}
    relays = []
    for sent in an.sdoc.sents:
        for tok in sent:
            if _in_quote(an, tok.idx):
                continue
            lemma = tok.lemma_.lower()
            span = (tok.idx, tok.idx + len(tok))
            cand = None
            if lemma in lex["relay_verbs"] and tok.tag_ == "VBG":
                relays.append((tok, sent))
            elif lemma in verbs and tok.pos_ in ("VERB", "AUX"):
                subj = _subject(tok)
                if subj is None:
                    continue
                s0, e0 = _span([tok, subj.left_edge, subj.right_edge])
                content = _adjacent_quotes(an, s0, e0) or _clausal_content(an, tok)
                cand = _make(an, tok, span, lemma, subj, content, sent)
            elif tok.lower_ in lex["according_to"]:
                to = next((c for c in tok.children if c.lower_ == "to"), None)
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
                if pobj is None:
                    continue
                ps, pe = _span(tok.subtree)
                left = trim(an.text, sent.start_char, ps)
                right = trim(an.text, pe, sent.end_char)
                right = (right[0], right[1] - 1) if an.text[right[1] - 1 : right[1]] in ".!?" else right
                content = [max(left, right, key=lambda r: r[1] - r[0])]
                cand = _make(an, tok, (tok.idx, to.idx + len(to)), "according", pobj, content, sent)
            elif tok.lower_ in lex["agentless_adverbs"]:
                s, e = trim(an.text, sent.start_char, sent.end_char)
                e = e - 1 if an.text[e - 1 : e] in ".!?" else e
                cand = _make(an, tok, span, tok.lower_, None, [(s, e)], sent)
            if cand is not None:
                by_token[tok.i] = cand
                an.attributions.append(cand)
    for tok, sent in relays:
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "pobj")), None)
        outer = by_token.get(tok.head.i)
        if obj is None or outer is None:
            continue
        content = _clausal_content(an, tok) or list(outer.content)
        cand = _make(an, tok, (tok.idx, tok.idx + len(tok)), "cite", obj, content, sent)
        if cand is not None:
            cand.via = outer
            an.attributions.append(cand)
    an.attributions.sort(key=lambda a: a.cue or (a.content[0][0], 0))


def _stance_trigger(tok, support, oppose, phrases) -> tuple[str, str] | None:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
        for polarity, words in (("support", support), ("oppose", oppose)):
            if f"{lemma} {nxt}" in words:
                return polarity, f"{lemma} {nxt}"
        for polarity, words in (("support", support), ("oppose", oppose)):
            if lemma in words:
                return polarity, lemma
    for phrase in phrases:
        window = tuple(t.lemma_.lower() for t in tok.doc[tok.i : tok.i + len(phrase)])
        if window == phrase:
            return "neutral", " ".join(phrase)
    return None


def _target(an: Analysis, verb) -> tuple[Mention, object] | None:
    preps = set(lexicon("stances")["target_preps"])
    objects = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
    for c in verb.children:
        if c.dep_ in ("prep", "prt") and c.lower_ in preps:
            objects += [g for g in c.children if g.dep_ == "pobj"]
    org_nouns = set(lexicon("sources")["org_nouns"])
    nom_types = {w: t for t, words in lexicon("stances")["target_nouns"].items() for w in words}
    for obj in objects:
        inside = an.table.inside(obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge))
        if inside:
            return inside[0], obj
        if obj.pos_ == "NOUN" and obj.lemma_.lower() in org_nouns:
            return mention_for(an, obj), obj
        nom_type = nom_types.get(obj.lemma_.lower())
        if obj.pos_ == "NOUN" and nom_type is not None:
            s, e = trim(an.text, obj.left_edge.idx, _phrase_end(obj))
            return an.table.add(s, e, nom_type, "NOM"), obj
        if obj.pos_ == "PRON" and obj.lower_ in ("him", "her", "them"):
            return mention_for(an, obj), obj
    return None


def _stances(an: Analysis) -> None:
    lex = lexicon("stances")
    support = {w for w in lex["support"]}
    oppose = {w for w in lex["oppose"]}
    phrases = lemma_phrases("stances", "neutral")
    seen = set()
    for sent in an.sdoc.sents:
        for tok in sent:
            trig = _stance_trigger(tok, support, oppose, phrases)
            if trig is None:
                continue
            polarity, trigger = trig
            verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
            if any(c.dep_ == "neg" for c in verb.children):
                if polarity != "support":
                    continue
                polarity = "oppose"
            subj = _subject(verb)
            found = _target(an, verb)
            if subj is None or found is None:
                continue
            target, obj = found
            outer = next((a for a in an.attributions if any(s <= tok.idx < e for s, e in a.content)), None)
            if subj.lower_ in ("we", "i", "us") and outer is not None and outer.source is not None:
                holder = outer.source
            else:
                holder = mention_for(an, subj)
            if holder is None or target is None or holder is target:
                continue
            key = (id(holder), id(target), polarity, tok.i)
            if key in seen:
                continue
            seen.add(key)
            keep = [
                t
                for t in verb.subtree
                if t.i >= subj.left_edge.i
                and not any(t in c.subtree for c in verb.children if c.dep_ in ("conj", "cc"))
            ]
            evidence = trim(an.text, *_span(keep))
            evidence = trim(an.text, *_strip_quotes(an.text, *evidence))
            an.stances.append(
                StanceCandidate(
                    holder, target, trigger, polarity, [evidence], (sent.start_char, sent.end_char), outer
                )
            )


def _reported_stances(an: Analysis) -> None:
    """A stance reported through an attribution: an evaluative word in the content makes a stance
    of the source toward the mention in the content nearest to that word (issue 7; most stances
    in news are attributed: "X said the accord was 'a betrayal'")."""
    lex = lexicon("stances")["evaluative"]
    polar = {w: "support" for w in lex["support"]} | {w: "oppose" for w in lex["oppose"]}
    polar.update({w: "neutral" for w in lex["neutral"]})
    org_nouns = set(lexicon("sources")["org_nouns"])
    nom_types = {w: t for t, words in lexicon("stances")["target_nouns"].items() for w in words}
    have = {(id(s.holder), id(s.target)) for s in an.stances}
    for cand in an.attributions:
        if cand.source is None:
            continue
        for cs, ce in cand.content:
            span = an.sdoc.char_span(cs, ce, alignment_mode="expand")
            if span is None:
                continue
            hits = [t for t in span if t.lemma_.lower() in polar and t.pos_ in ("VERB", "NOUN", "ADJ", "ADV")]
            if not hits:
                continue
            votes = {"support": 0, "oppose": 0, "neutral": 0}
            for t in hits:
                label = polar[t.lemma_.lower()]
                negated = any(c.dep_ == "neg" for c in (t.head if t.pos_ == "ADJ" else t).children)
                if label == "support" and negated:
                    label = "oppose"
                votes[label] += 1
            polarity = max(
                ("neutral", "oppose", "support"), key=lambda k: (votes[k] > 0 and k == "neutral", votes[k])
            )
            targets = [m for m in an.table.inside(cs, ce) if m is not cand.source]
            for chunk in span.noun_chunks:
                root = chunk.root.lemma_.lower()
                type_ = "ORG" if root in org_nouns else nom_types.get(root)
                if type_ is not None and chunk.root.pos_ == "NOUN":
                    s, e = trim(an.text, chunk.start_char, chunk.end_char)
                    if not an.table.inside(s, e):
                        targets.append(an.table.add(s, e, type_, "NOM"))
            if not targets:
                continue
            anchor = hits[0].idx
            target = min(targets, key=lambda m: (abs(m.start - anchor), m.start))
            if (
                target.type == cand.source.type
                and an.text[target.start : target.end] == an.text[cand.source.start : cand.source.end]
            ):
                continue
            if (id(cand.source), id(target)) in have:
                continue
            have.add((id(cand.source), id(target)))
            word = hits[0]
            ev = [t for t in word.head.subtree if cs <= t.idx < ce] or [word]
            evidence = trim(an.text, *_strip_quotes(an.text, *_span(ev)))
            an.stances.append(
                StanceCandidate(
                    cand.source, target, word.lemma_.lower(), polarity, [evidence], cand.sentence, cand
                )
            )


def _strip_quotes(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _QUOTE_CHARS + " ,.":
        s += 1
    while e > s and text[e - 1] in _QUOTE_CHARS + " ,":
        e -= 1
    return s, e


def analyse(text: str, sdoc, named: list[tuple[int, int, str]]) -> Analysis:
    """Build the candidates of one document from its parse and its named mentions."""
    table = MentionTable(text)
    for start, end, type_ in named:
        table.add(start, end, type_, "NAM")
    an = Analysis(text, sdoc, table, find_quotes(text))
    _attributions(an)
    _stances(an)
    _reported_stances(an)
    an.stances.sort(key=lambda s: (s.evidence[0], s.holder.start, s.target.start))
    return an
