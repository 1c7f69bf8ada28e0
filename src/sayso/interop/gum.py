"""Import the GUM corpus (CoNLL-U entities + eRST attributions) as SaySo schema documents.

Every rule is documented, with its reason, in ``eval/INTEROP.md``; in short:

- text: rebuilt exactly from tokens and ``SpaceAfter=No``; paragraphs (``# newpar``) are
  separated by a blank line, sentences by a space (see :mod:`sayso.interop._conllu`);
- mentions: every GUM mention of a mapped entity type (person, organization, place, event);
  ``NAM`` when its syntactic head is a proper noun (UPOS ``PROPN``), trimmed to GUM's minimal
  span; ``PRO`` when the head is a pronoun; ``NOM`` otherwise. Types: :func:`cluster_type`;
- entities: one per coreference cluster, Wikidata ids through ``wiki_map.tab``;
- attributions: ``attribution-positive``/``-negative`` relations of the eRST tree, except image
  credits ("Image: NASA."); source from the ``attribution_source`` signal when it matches a
  mention, cue from the satellite's lexical signal; ``quote``, ``identity``, ``source_type``,
  ``channel`` and ``via`` null (GUM does not annotate them);
- stances: ``null`` (not annotated).

>>> from sayso.interop.gum import import_gum   # doctest: +SKIP
>>> result = import_gum("../shared/external/gum-news")   # doctest: +SKIP
>>> result.documents[0]["meta"]["source"]   # doctest: +SKIP
'GUM'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from ._conllu import ConlluDocument, ConlluError, Mention, Word, read_conllu
from ._rst import ATTRIBUTION_RELATIONS, RstDocument, RstError, read_rs4

__all__ = [
    "GumImport",
    "GumError",
    "import_gum",
    "read_splits",
    "read_wiki_map",
    "place_type",
    "GUM_LICENSE",
    "GUM_CREDIT",
    "MAPPED_ETYPES",
]

SCHEMA_VERSION = "1.0"
GUM_LICENSE = "CC-BY-2.5 (text); CC-BY-4.0 (annotations)"
GUM_CREDIT = (
    "GUM corpus (Georgetown University Multilayer corpus), news documents: texts from Wikinews "
    "(CC BY 2.5), annotations CC BY 4.0. Zeldes, Amir (2017) The GUM Corpus: Creating Multilayer "
    "Resources in the Classroom. Language Resources and Evaluation 51(3), 581-612; entity linking: "
    "Lin & Zeldes (2021); discourse relations: Zeldes et al. (2025), Computational Linguistics 51(1)."
)
# GUM entity type -> SaySo mention type; `place` is decided by place_type(), `None` drops.
MAPPED_ETYPES = {"person": "PER", "organization": "ORG", "place": "GPE", "event": "EVENT"}
# Words that make a place a facility or a non-political location (issue 8; INTEROP.md).
FAC_WORDS = frozenset(
    "airport airbase base station bridge street road avenue highway square building tower stadium "
    "arena hall palace museum prison jail terminal hospital center centre mosque church cathedral "
    "temple library gallery plant factory mall hotel theatre theater port harbour harbor".split()
)
LOC_WORDS = frozenset(
    "river lake sea ocean bay gulf strait mountains mount mt. valley desert island "
    "islands isle peninsula coast beach forest region continent world earth planet moon space arctic "
    "antarctic antarctica atlantic pacific mediterranean caribbean africa europe asia oceania sahara "
    "balkans".split()
)
LOC_PHRASES = ("middle east", "north america", "south america", "latin america", "north pole", "south pole")
_QUOTES = set("\"'“”‘’«»`")
_SPLIT_NAMES = {"dev": "validation", "test": "test", "train": "train"}


class GumError(ValueError):
    """The GUM folder cannot be imported; ``path`` and ``line`` say where (line may be None)."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(f"{path}{'' if line is None else f':{line}'}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class GumImport:
    """The imported documents, their GUM split (``validation`` for dev) and what was dropped."""

    documents: list[dict]
    splits: dict[str, str | None]
    counts: Counter = field(default_factory=Counter)


def read_wiki_map(path: str | Path) -> dict[str, str]:
    """Wikipedia title (as written in GUM, and as in its URL) -> Wikidata id."""
    out: dict[str, str] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) >= 3 and re.fullmatch(r"Q[1-9][0-9]*", cols[2]):
            for title in (cols[0], cols[1], unquote(cols[0]), unquote(cols[1])):
                out.setdefault(title, cols[2])
    return out


def read_splits(path: str | Path) -> dict[str, str]:
    """GUM document id -> SaySo split name, from GUM's ``splits.md`` (dev becomes validation)."""
    out: dict[str, str] = {}
    current = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        heading = re.match(r"##\s+(\w+)", line)
        if heading:
            current = _SPLIT_NAMES.get(heading.group(1).lower())
            continue
        item = re.match(r"\s*\*\s+(\S+)", line)
        if item and current:
            out[item.group(1)] = current
    return out


def place_type(names: list[str]) -> str:
    """``FAC``, ``LOC`` or ``GPE`` for a GUM ``place``, from the head words of its names.

    A name's head words are its last word, its first word and the word before its first "of"
    ("Museum of Tides"); ``FAC`` when one is a facility word, else ``LOC`` when one is a
    geographic word or the name contains a region phrase, else ``GPE``.

    >>> place_type(["Harlow Space Center"]), place_type(["Lake Orun"]), place_type(["Mountain Ridge"])
    ('FAC', 'LOC', 'GPE')
    """
    heads: set[str] = set()
    for name in names:
        words = [w.lower() for w in re.split(r"[\s_]+", name) if w]
        if not words:
            continue
        heads.update((words[0], words[-1]))
        if "of" in words[1:]:
            heads.add(words[words.index("of", 1) - 1])
    joined = " ".join(n.lower().replace("_", " ") for n in names)
    if heads & FAC_WORDS:
        return "FAC"
    if heads & LOC_WORDS or any(p in joined for p in LOC_PHRASES):
        return "LOC"
    return "GPE"


def _head(doc: ConlluDocument, first: int, last: int) -> Word:
    """The syntactic head of words first..last: the first word whose head lies outside them."""
    words = doc.words[first - 1 : last]
    inside = {(w.sentence, w.sent_index) for w in words}
    for w in words:
        if w.head == 0 or (w.sentence, w.head) not in inside:
            return w
    return words[0]


_NAME_DEPRELS = ("flat", "compound", "amod", "fixed", "goeswith")


def _named_span(doc: ConlluDocument, m: Mention, head: Word, type_: str) -> tuple[int, int]:
    """Word range of a named mention: the head and the dependents that are part of the name
    (flat, compound, amod; an ``of`` modifier except for persons: "University of Texas"; only
    proper nouns for persons), which leaves out determiners, possessors, titles (``nmod:desc``),
    descriptions, appositions and relative clauses
    (SaySo annotates "the [U.S.]", "President [Donald Trump]"; INTEROP.md)."""
    words = doc.words[m.first - 1 : m.last]
    children: dict[int, list[Word]] = {}
    for w in words:
        children.setdefault(w.head, []).append(w)
    kept = [head]
    stack = [head]
    while stack:
        parent = stack.pop()
        for child in children.get(parent.sent_index, ()):
            if child.sentence != parent.sentence:
                continue
            if type_ == "PER" and child.upos != "PROPN":
                continue  # "American academic [Marc Lamont Hill]": descriptions are not the name
            keep = child.deprel.split(":")[0] in _NAME_DEPRELS or (
                child.deprel == "nmod"
                and type_ != "PER"
                and any(
                    c.deprel == "case" and c.form.lower() == "of" for c in children.get(child.sent_index, ())
                )
            )
            if keep:
                kept.append(child)
                stack.append(child)
    first, last = min(w.index for w in kept), max(w.index for w in kept)
    while last > first and doc.words[last - 1].upos in ("PART", "PUNCT"):
        last -= 1
    return first, last


def _cluster_names(doc: ConlluDocument, mentions: list[Mention]) -> list[str]:
    """The cluster's Wikipedia title and the texts of its named mentions (or of its first mention)."""
    names = sorted({unquote(m.identity) for m in mentions if m.identity})
    named = [m for m in mentions if _head(doc, m.first, m.last).upos == "PROPN"]
    for m in named or mentions[:1]:
        names.append(doc.text[doc.words[m.first - 1].start : doc.words[m.last - 1].end])
    return names


def cluster_type(doc: ConlluDocument, mentions: list[Mention], gpe_titles: set[str]) -> str | None:
    """The SaySo type of a GUM coreference cluster (its first mention's entity type), or None."""
    etype = mentions[0].etype
    if etype not in MAPPED_ETYPES:
        return None
    named = [m for m in mentions if _head(doc, m.first, m.last).upos == "PROPN"]
    if etype == "event" and not named:
        return None  # SaySo's EVENT is a named event; "the attack" alone is not one
    if etype == "place":
        if not named and not any(m.identity for m in mentions):  # "the city": its head noun
            return place_type([_head(doc, mentions[0].first, mentions[0].last).form])
        return place_type(_cluster_names(doc, mentions))
    if etype == "organization" and any(m.identity and unquote(m.identity) in gpe_titles for m in mentions):
        return "GPE"  # a country or city standing for its government ("Belgium said")
    if etype == "person":
        if named and _head(doc, named[0].first, named[0].last).xpos == "NNPS":
            return "NORP"  # "Muslims", "Americans": a group named by religion or nationality
    return MAPPED_ETYPES[etype]


def _read_pairs(folder: Path) -> list[tuple[ConlluDocument, RstDocument | None]]:
    files = sorted((folder / "conllu").glob("*.conllu"))
    if not files:
        raise GumError(str(folder / "conllu"), None, "no .conllu files")
    pairs = []
    for f in files:
        try:
            docs = read_conllu(f)
        except ConlluError as exc:
            raise GumError(exc.path, exc.line, exc.message) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise GumError(str(f), None, f"cannot read: {exc}") from exc
        for doc in docs:
            rs4 = folder / "rst" / f"{doc.id}.rs4"
            rst = None
            if rs4.exists():
                try:
                    rst = read_rs4(rs4)
                except RstError as exc:
                    raise GumError(str(rs4), None, str(exc)) from exc
                forms = [w.form for w in doc.words]
                if rst.token_forms != forms:
                    n = next(
                        (i for i, (a, b) in enumerate(zip(forms, rst.token_forms, strict=False)) if a != b),
                        min(len(forms), len(rst.token_forms)),
                    )
                    raise GumError(
                        str(rs4),
                        None,
                        f"token {n + 1} differs from the CoNLL-U words "
                        f"({len(rst.token_forms)} tokens, {len(forms)} words)",
                    )
            pairs.append((doc, rst))
    return pairs


def import_gum(folder: str | Path) -> GumImport:
    """Read a GUM folder (``conllu/``, ``rst/``, ``wiki_map.tab``, ``splits.md``) into documents.

    Raises :class:`GumError` (with file and line) when a file cannot be read or the CoNLL-U and
    eRST tokens disagree.
    """
    folder = Path(folder)
    wiki = read_wiki_map(folder / "wiki_map.tab") if (folder / "wiki_map.tab").exists() else {}
    splits = read_splits(folder / "splits.md") if (folder / "splits.md").exists() else {}
    pairs = _read_pairs(folder)
    # Titles of places that are GPEs anywhere in the input: an organization with the same
    # Wikipedia identity is that country's government (or team: then its title differs).
    gpe_titles: set[str] = set()
    for doc, _ in pairs:
        for cluster in _clusters(doc).values():
            if cluster[0].etype == "place" and cluster_type(doc, cluster, set()) == "GPE":
                gpe_titles.update(unquote(m.identity) for m in cluster if m.identity)
    result = GumImport([], {})
    for doc, rst in pairs:
        result.documents.append(_convert(doc, rst, wiki, gpe_titles, result.counts))
        result.splits[doc.id] = splits.get(doc.id)
    return result


def _clusters(doc: ConlluDocument) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in doc.mentions:
        out.setdefault(m.cluster, []).append(m)
    return out


def _convert(
    doc: ConlluDocument, rst: RstDocument | None, wiki: dict[str, str], gpe_titles: set[str], counts: Counter
) -> dict:
    meta = doc.meta
    published = meta.get("dateCreated")
    if not (published and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published)):
        published = None
    mentions, entities, by_range = _mentions(doc, wiki, gpe_titles, counts)
    attributions = _attributions(doc, rst, by_range, counts) if rst is not None else None
    counts["documents"] += 1
    return {
        "id": doc.id,
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "title": meta.get("title", doc.id),
            "outlet": "Wikinews",
            "published": published,
            "language": "en",
            "url": meta.get("sourceURL"),
            "license": GUM_LICENSE,
            "beat": None,
            "phenomena": None,
            "source": "GUM",
            "credit": GUM_CREDIT,
        },
        "text": doc.text,
        "mentions": mentions,
        "entities": entities,
        "attributions": attributions,
        "stances": None,
    }


def _mentions(doc: ConlluDocument, wiki: dict[str, str], gpe_titles: set[str], counts: Counter):
    """Mentions and entities; ``by_range`` maps GUM word ranges to mention ids (for sources)."""
    text = doc.text
    entities, mentions = [], []
    by_range: dict[tuple[int, int], str] = {}
    seen: dict[tuple[int, int, str], str] = {}  # (start, end, type) -> mention id
    types: dict[str, str] = {}
    for cluster_id, cluster in _clusters(doc).items():
        type_ = cluster_type(doc, cluster, gpe_titles)
        if type_ is None:
            counts["mentions dropped (type not mapped)"] += len(cluster)
            continue
        if any(m.etype != cluster[0].etype for m in cluster):
            counts["clusters with mixed GUM types (first mention's type used)"] += 1
        types[cluster_id] = type_
    entity_ids: dict[str, str] = {}
    for m in doc.mentions:  # document order
        type_ = types.get(m.cluster)
        if type_ is None:
            continue
        head = _head(doc, m.first, m.last)
        if head.upos == "PROPN":
            kind = "NAM"
            first, last = _named_span(doc, m, head, type_)
        else:
            kind = "PRO" if head.upos == "PRON" else "NOM"
            first, last = m.first, m.last
        start, end = doc.words[first - 1].start, doc.words[last - 1].end
        if (start, end, type_) in seen:  # a source naming these words means the kept mention
            counts["mentions dropped (same span and type as another)"] += 1
            by_range.setdefault((m.first, m.last), seen[(start, end, type_)])
            continue
        if m.cluster not in entity_ids:
            entity_ids[m.cluster] = f"e{len(entity_ids) + 1}"
        mid = f"m{len(mentions) + 1}"
        seen[(start, end, type_)] = mid
        mentions.append(
            {
                "id": mid,
                "start": start,
                "end": end,
                "text": text[start:end],
                "type": type_,
                "kind": kind,
                "entity": entity_ids[m.cluster],
            }
        )
        by_range.setdefault((m.first, m.last), mid)
        counts[f"mentions {kind}"] += 1
    clusters = _clusters(doc)
    for cluster_id, eid in entity_ids.items():
        cluster = clusters[cluster_id]
        identity = next((m.identity for m in cluster if m.identity), None)
        qid = None
        if identity:
            qid = wiki.get(identity) or wiki.get(unquote(identity))
            counts["entities with a Wikipedia identity"] += 1
            counts["entities with a Wikidata id"] += qid is not None
        entities.append(
            {
                "id": eid,
                "name": _entity_name(doc, cluster, mentions, eid, identity),
                "type": types[cluster_id],
                "wikidata": qid,
            }
        )
    return mentions, entities, by_range


def _entity_name(
    doc: ConlluDocument, cluster: list[Mention], mentions: list[dict], eid: str, identity: str | None
) -> str:
    if identity:
        return unquote(identity).replace("_", " ")
    own = [m for m in mentions if m["entity"] == eid]
    named = [m for m in own if m["kind"] == "NAM"]
    return (named or own)[0]["text"]


def _runs(tokens: list[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for t in sorted(set(tokens)):
        if runs and t == runs[-1][1] + 1:
            runs[-1][1] = t
        else:
            runs.append([t, t])
    return [(a, b) for a, b in runs]


def _trim(doc: ConlluDocument, first: int, last: int) -> tuple[int, int] | None:
    """Drop punctuation (but not quotation marks) at the edges of words first..last."""

    def edge(w: Word) -> bool:
        return w.upos == "PUNCT" and not (set(w.form) & _QUOTES)

    while first <= last and edge(doc.words[first - 1]):
        first += 1
    while last >= first and edge(doc.words[last - 1]):
        last -= 1
    return (first, last) if first <= last else None


def _balance_quotes(doc: ConlluDocument, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop a quotation mark at the edge of the content whose partner lies outside it (the
    opening mark of '"I suspect,' [he said]): SaySo's content includes a quotation's marks
    only when it includes the whole quotation."""
    if not runs:
        return runs
    forms = [doc.words[t - 1].form for a, b in runs for t in range(a, b + 1)]
    text = "".join(forms)
    (a0, b0), (a1, b1) = runs[0], runs[-1]
    first, last = forms[0], forms[-1]
    if text.count('"') % 2 == 1:
        if last == '"' and b1 > a1:
            runs = runs[:-1] + [(a1, b1 - 1)]
        elif first == '"' and b0 > a0:
            runs = [(a0 + 1, b0)] + runs[1:]
    elif last == "”" and "“" not in text and b1 > a1:
        runs = runs[:-1] + [(a1, b1 - 1)]
    elif first == "“" and "”" not in text and b0 > a0:
        runs = [(a0 + 1, b0)] + runs[1:]
    return [r for r in (_trim(doc, a, b) for a, b in runs) if r]


def _content_tokens(rst: RstDocument, sat_id: str) -> list[int]:
    """The attributed content: the nucleus the satellite ``sat_id`` attaches to (INTEROP.md)."""
    nodes = rst.nodes
    parent = nodes[nodes[sat_id].parent]  # type: ignore[index]
    if parent.kind == "segment":
        return list(parent.tokens)  # its other satellites are not part of what was said
    # Reporting clauses of other attributions inside the nucleus ("said Gustafon") are not
    # content: their own relation covers them.
    exclude = {n.id for n in nodes.values() if n.relname in ATTRIBUTION_RELATIONS}
    children = rst.children().get(parent.id, [])
    if parent.kind == "span":
        nuclei = [c for c in children if nodes[c].relname == "span"]
        return sorted(t for c in nuclei for t in rst.subtree_tokens(c, exclude))
    return rst.subtree_tokens(parent.id, exclude)  # multinuc: every member


def _attributions(doc: ConlluDocument, rst: RstDocument, by_range: dict, counts: Counter) -> list[dict]:
    signals: dict[str, list] = {}
    for sig in rst.signals:
        signals.setdefault(sig.source, []).append(sig)
    records = []
    for node in rst.nodes.values():
        if node.relname not in ATTRIBUTION_RELATIONS or node.parent not in rst.nodes:
            continue
        counts["attribution relations"] += 1
        sat_tokens = rst.subtree_tokens(node.id)
        forms = [doc.words[t - 1].form for t in sat_tokens[:2]]
        if forms and forms[0] in ("Image", "Images") and forms[1:] == [":"]:
            counts["attributions dropped (image credit)"] += 1
            continue
        runs = [r for r in (_trim(doc, a, b) for a, b in _runs(_content_tokens(rst, node.id))) if r]
        runs = _balance_quotes(doc, runs)
        spans = []
        for first, last in runs:
            s, e = doc.words[first - 1].start, doc.words[last - 1].end
            spans.append({"start": s, "end": e, "text": doc.text[s:e]})
        if not spans:
            counts["attributions dropped (empty content)"] += 1
            continue
        sigs = signals.get(node.id, [])
        source_tokens = sorted({t for s in sigs if s.subtype == "attribution_source" for t in s.tokens})
        source = _source(doc, source_tokens, by_range) if source_tokens else None
        if source_tokens and source is None:
            counts["attribution sources not a mapped mention (source null)"] += 1
        elif source is None:
            counts["attributions without a source signal (source null)"] += 1
        cue_tokens = [t for s in sigs if s.type == "lexical" for t in s.tokens if t not in source_tokens]
        cue = _cue(doc, cue_tokens)
        counts["attributions with a cue"] += cue is not None
        records.append(
            {
                "source": source,
                "cue": cue,
                "content": spans,
                "quote": None,
                "via": None,
                "identity": None,
                "source_type": None,
                "channel": None,
            }
        )
    records.sort(key=lambda r: (r["content"][0]["start"], r["content"][0]["end"]))
    counts["attributions"] += len(records)
    return [{"id": f"a{i}", **r} for i, r in enumerate(records, start=1)]


def _source(doc: ConlluDocument, tokens: list[int], by_range: dict) -> str | None:
    """The mention the ``attribution_source`` tokens name: the same words, or else the longest
    mention inside them that holds their syntactic head."""
    lo, hi = tokens[0], tokens[-1]
    if (lo, hi) in by_range:
        return by_range[(lo, hi)]
    head = _head(doc, lo, hi).index
    inside = [(b - a, mid) for (a, b), mid in by_range.items() if lo <= a <= head <= b <= hi]
    return max(inside)[1] if inside else None


def _cue(doc: ConlluDocument, tokens: list[int]) -> dict | None:
    runs = _runs(tokens)
    if not runs:
        return None
    verbal = [r for r in runs if any(doc.words[t - 1].upos == "VERB" for t in range(r[0], r[1] + 1))]
    a, b = (verbal or runs)[-1]
    start, end = doc.words[a - 1].start, doc.words[b - 1].end
    return {"start": start, "end": end, "text": doc.text[start:end]}
