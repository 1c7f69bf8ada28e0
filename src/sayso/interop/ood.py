"""Out-of-domain evaluation: the baselines scored on GUM news imported by :mod:`sayso.interop.gum`.

``evaluate_gum`` imports the GUM folder in memory, runs each baseline on the imported texts,
scores it with the SaySo scorer (named mentions, linking, attributions; type map
``eval/type-maps/gum.json``; bootstrap intervals) and returns the report written to
``eval/ood/gum.json``; ``render_markdown`` turns it into ``eval/ood/GUM.md``. The report holds
only scores, counts and signatures: nothing of GUM's text or annotation.

    sayso import gum-eval ../shared/external/gum-news --out-dir eval/ood --force
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from .gum import GUM_LICENSE, import_gum

__all__ = ["FORMAT", "SYSTEMS", "FIGURES", "CREDIT_LINE", "evaluate_gum", "render_markdown", "render_table"]

# One line to print under the table wherever it is embedded (leaderboard, dataset card).
CREDIT_LINE = (
    "GUM news: Wikinews texts (CC BY 2.5), GUM annotations (CC BY 4.0); Zeldes (2017), Language "
    "Resources and Evaluation 51(3); Lin & Zeldes (2021); Zeldes et al. (2025), Computational "
    "Linguistics 51(1). Details: eval/ood/GUM.md."
)

FORMAT = "sayso-ood/1"
SYSTEMS = ("rules", "learned")
# (key in the report, column title, where in the scorer's result)
FIGURES = (
    ("mentions.strict.f1", "Mentions F1 (strict)"),
    ("mentions.partial.f1", "Mentions F1 (partial)"),
    ("mentions.macro_f1", "Mentions macro-F1"),
    ("linking.f1", "Linking F1"),
    ("attributions.f1", "Attributions F1"),
)
EXTRA = (("attributions.cue.f1", "Cue F1"), ("attributions.content.f1", "Content char F1"))


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def _file_digest(path: str | Path) -> str | None:
    p = Path(path)
    return hashlib.sha256(p.read_bytes()).hexdigest()[:10] if p.exists() else None


def _gum_commit(folder: Path) -> str | None:
    readme = folder / "README.md"
    if not readme.exists():
        return None
    found = re.search(r"\b([0-9a-f]{40})\b", readme.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def evaluate_gum(
    folder: str | Path,
    *,
    systems: tuple[str, ...] = SYSTEMS,
    type_map: str = "eval/type-maps/gum.json",
    model: str | None = None,
    bootstrap: int = 1000,
    seed: int = 12345,
) -> dict:
    """Score ``systems`` on the GUM news in ``folder``; the ``eval/ood/gum.json`` report."""
    from ..baselines import DEFAULT_MODEL, get_system
    from ..score import Options, evaluate, gold_digest, load_type_map, read_gold

    folder = Path(folder)
    imported = import_gum(folder)
    gold = imported.documents
    tmap = load_type_map(type_map)
    digest = gold_digest(gold)
    report: dict[str, Any] = {
        "format": FORMAT,
        "corpus": {
            "name": "GUM news (Wikinews documents of the GUM corpus)",
            "commit": _gum_commit(folder),
            "license": GUM_LICENSE,
            "documents": len(gold),
            "gold_digest": digest,
            "import": dict(sorted(imported.counts.items())),
        },
        "type_map": {"file": type_map, "digest": tmap.digest},
        "settings": {"mentions": "nam", "bootstrap": bootstrap, "seed": seed},
        "systems": {},
    }
    checked = read_gold(gold)
    options = Options(
        type_map=tmap, bootstrap=bootstrap, seed=seed, layers=("mentions", "linking", "attributions")
    )
    for name in systems:
        system = get_system(name, model=model)
        preds = list(system.predict([{"id": d["id"], "text": d["text"]} for d in gold]))
        result = evaluate(checked, preds, options)
        attributions = result.scores["attributions"]
        figures = {key: result.headline.get(key) for key, _ in FIGURES}
        figures["attributions.cue.f1"] = attributions["cue"]["f1"]
        figures["attributions.content.f1"] = attributions["content"]["f1"]
        entry: dict[str, Any] = {
            "signature": result.signature,
            "figures": _round_all(figures),
            "intervals": {k: _round(result.intervals.get(k)) for k, _ in FIGURES if k in result.intervals},
            "counts": {
                "mentions": {
                    "gold": result.scores["mentions"].get("gold"),
                    "pred": result.scores["mentions"].get("pred"),
                },
                "linking": {k: result.scores["linking"][k] for k in ("gold", "pred", "correct")},
                "attributions": {k: attributions[k] for k in ("gold", "pred", "matched")},
            },
        }
        if name == "learned":
            entry["model_digest"] = _file_digest(model or DEFAULT_MODEL)
        report["systems"][name] = entry
    return report


def _round_all(figures: dict) -> dict:
    return {k: _round(v) for k, v in figures.items()}


def _pct(value: float | None, interval: list | None = None) -> str:
    if value is None:
        return "–"
    text = f"{100 * value:.1f}"
    if interval:
        text += f" <small>[{100 * interval[0]:.1f}, {100 * interval[1]:.1f}]</small>"
    return text


def render_table(report: dict) -> str:
    """Only the Markdown table of ``report`` (one row per system), for embedding elsewhere.

    >>> import json; from sayso.interop.ood import render_table   # doctest: +SKIP
    >>> print(render_table(json.load(open("eval/ood/gum.json"))))  # doctest: +SKIP
    """
    lines = [
        "| System | " + " | ".join(title for _, title in FIGURES + EXTRA) + " |",
        "|---|" + "---|" * (len(FIGURES) + len(EXTRA)),
    ]
    for name, entry in report["systems"].items():
        cells = [_pct(entry["figures"].get(k), entry["intervals"].get(k)) for k, _ in FIGURES]
        cells += [_pct(entry["figures"].get(k)) for k, _ in EXTRA]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_markdown(report: dict) -> str:
    """``eval/ood/GUM.md``: the out-of-domain table, the settings, GUM's credit and licence."""
    corpus = report["corpus"]
    lines = [
        "# Out-of-domain evaluation: GUM news",
        "",
        "<!-- Generated by `sayso import gum-eval ../shared/external/gum-news --out-dir eval/ood --force`; "
        "do not edit. A test fails when this file or gum.json is stale. -->",
        "",
        f"The SaySo baselines scored on the {corpus['documents']} Wikinews documents of the GUM corpus"
        + (f" (commit `{corpus['commit'][:12]}`)" if corpus.get("commit") else "")
        + ", imported by `sayso import gum` (rules and their reasons: [INTEROP.md](../INTEROP.md)). "
        "Nobody in this project wrote or annotated these texts. Scores in percent, document-level "
        f"bootstrap 95% intervals ({report['settings']['bootstrap']} resamples, seed "
        f"{report['settings']['seed']}); named mentions with the type map "
        f"[`{report['type_map']['file']}`](../type-maps/gum.json) (LAW and NORP left out). GUM does not "
        "annotate source type, identity, channel, quote or stances, so those are not scored.",
        "",
        render_table(report).rstrip("\n"),
    ]
    imp = corpus["import"]
    first = next(iter(report["systems"].values()), None)
    scored = first["counts"]["mentions"]["gold"] if first else imp.get("mentions NAM", 0)
    lines += [
        "",
        f"Gold: {scored} named mentions scored ({imp.get('mentions NAM', 0)} imported), "
        f"{imp.get('attributions', 0)} attributions "
        f"({imp.get('attributions dropped (image credit)', 0)} image credits left out), "
        f"{imp.get('entities with a Wikidata id', 0)} entities with a Wikidata id.",
        "",
        "Signatures:",
        "",
    ]
    lines += [f"- {name}: `{entry['signature']}`" for name, entry in report["systems"].items()]
    lines += [
        "",
        "## Credit and licence",
        "",
        "GUM: the Georgetown University Multilayer corpus. The news texts are Wikinews articles, "
        "CC BY 2.5 (each document's source URL is in its metadata); the annotations are CC BY 4.0. "
        'Cite Zeldes, Amir (2017) "The GUM Corpus: Creating Multilayer Resources in the Classroom", '
        "Language Resources and Evaluation 51(3), 581-612; for entity linking Lin & Zeldes (2021); "
        "for discourse relations (attributions) Zeldes et al. (2025), Computational Linguistics 51(1). "
        "No GUM text or annotation is included in SaySo: these files hold only scores and counts.",
        "",
    ]
    return "\n".join(lines)
