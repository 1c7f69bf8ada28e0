"""The leaderboard: score every submission folder, render ``eval/leaderboard.json`` and
``eval/LEADERBOARD.md``.

A submission is a folder ``eval/submissions/<system>/`` with ``system.yaml`` (name, authors,
description, url, date, command; optional ``kind``: baseline, sanity or submission) and
``predictions/<split>.jsonl`` for the validation and test splits. Every prediction file is
validated (submission schema and references) and checked against gold (ids, text, spans, labels)
before it is scored; any problem makes the whole leaderboard fail, so CI rejects a broken
submission instead of ranking it.

The output is a pure function of the submissions, the gold corpus and the scorer version, so
``sayso leaderboard --check`` can tell whether the committed files are stale.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..issues import Issue

__all__ = [
    "SPLITS",
    "SYSTEM_FIELDS",
    "Submission",
    "load_submissions",
    "build_leaderboard",
    "SUMMARY",
    "LeaderboardError",
]

SPLITS = ("test", "validation")
SYSTEM_FIELDS = ("name", "authors", "description", "url", "date", "command")
KINDS = ("submission", "baseline", "sanity")
# The compact table: one figure per layer and the key attribute fields (all are in the JSON).
SUMMARY = (
    ("mentions.strict.f1", "Mentions F1"),
    ("linking.f1", "Linking F1"),
    ("attributions.f1", "Attributions F1"),
    ("attributions.source_type.macro_f1", "Source type mF1"),
    ("attributions.channel.macro_f1", "Channel mF1"),
    ("stances.labeled.f1", "Stances F1"),
    ("stances.polarity.macro_f1", "Polarity mF1"),
)
RANK_BY = "attributions.f1"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NAME = re.compile(r"^[a-z0-9_-]+$")


class LeaderboardError(Exception):
    """The submissions cannot be scored; ``issues`` says why, file by file."""

    def __init__(self, issues: list[Issue], where: str = "the submissions"):
        super().__init__(f"{len(issues)} problem(s) in {where}")
        self.issues = issues


@dataclass
class Submission:
    folder: Path
    meta: dict[str, Any]
    predictions: dict[str, Path] = field(default_factory=dict)  # split -> predictions/<split>.jsonl
    issues: list[Issue] = field(default_factory=list)  # system.yaml and folder problems


def _read_yaml(path: Path, issues: list[Issue]) -> dict[str, Any] | None:
    try:
        import yaml
    except ImportError:  # pragma: no cover - pyyaml is in the dev and hf extras
        issues.append(
            Issue(
                "submission-system-yaml",
                "error",
                str(path),
                None,
                "$",
                "reading system.yaml needs PyYAML (pip install pyyaml)",
            )
        )
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0]
        issues.append(Issue("submission-system-yaml", "error", str(path), None, "$", first))
        return None
    if not isinstance(data, dict):
        issues.append(Issue("submission-system-yaml", "error", str(path), 1, "$", "must be a mapping"))
        return None
    return data


def _check_meta(path: Path, folder: Path, data: dict[str, Any], issues: list[Issue]) -> None:
    def bad(key: str, message: str) -> None:
        issues.append(Issue("submission-system-yaml", "error", str(path), None, f"$.{key}", message))

    for key in SYSTEM_FIELDS:
        if key not in data:
            bad(key, f"missing required field {key!r}")
    if not _NAME.match(folder.name):
        bad("name", f"the folder name {folder.name!r} must match [a-z0-9_-]+")
    if "name" in data and data["name"] != folder.name:
        bad("name", f"{data['name']!r} differs from the folder name {folder.name!r}")
    for key in ("name", "description", "command"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            bad(key, "must be a non-empty string")
    authors = data.get("authors")
    if "authors" in data and not (
        isinstance(authors, list) and authors and all(isinstance(a, str) and a for a in authors)
    ):
        bad("authors", "must be a non-empty list of names")
    if "url" in data and data["url"] is not None and not isinstance(data["url"], str):
        bad("url", "must be a string or null")
    date = data.get("date")
    if "date" in data and not (isinstance(date, str) and _DATE.match(date)):
        bad("date", "must be a quoted YYYY-MM-DD string")
    kind = data.get("kind", "submission")
    if kind not in KINDS:
        bad("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    for key in sorted(set(data) - set(SYSTEM_FIELDS) - {"kind"}):
        bad(key, "unknown field")


def load_submissions(root: Path) -> list[Submission]:
    """Every ``root/<system>/`` with its ``system.yaml`` read and checked (problems in
    ``Submission.issues``) and its prediction files (checked when they are scored)."""
    subs = []
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for folder in folders:
        issues: list[Issue] = []
        meta_path = folder / "system.yaml"
        if not meta_path.is_file():
            issues.append(
                Issue(
                    "submission-system-yaml",
                    "error",
                    str(meta_path),
                    None,
                    "$",
                    "a submission folder needs system.yaml",
                )
            )
            subs.append(Submission(folder, {}, issues=issues))
            continue
        meta = _read_yaml(meta_path, issues)
        if meta is None:
            subs.append(Submission(folder, {}, issues=issues))
            continue
        _check_meta(meta_path, folder, meta, issues)
        sub = Submission(folder, meta, issues=issues)
        for split in SPLITS:
            pred = folder / "predictions" / f"{split}.jsonl"
            if pred.is_file():
                sub.predictions[split] = pred
        if not sub.predictions:
            issues.append(
                Issue(
                    "submission-no-predictions",
                    "error",
                    str(folder / "predictions"),
                    None,
                    "$",
                    f"no predictions/<split>.jsonl for any of {', '.join(SPLITS)}",
                )
            )
        subs.append(sub)
    return subs


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _cell(entry: dict[str, Any], key: str) -> str:
    value = entry["headline"].get(key)
    interval = (entry.get("intervals") or {}).get(key)
    if value is None:
        return "–"
    if interval:
        return f"{_pct(value)} <small>[{_pct(interval[0])}, {_pct(interval[1])}]</small>"
    return _pct(value)


def _read_ood(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def build_leaderboard(
    submissions_dir: str | Path, gold_dir: str | Path, *, bootstrap: int = 1000, seed: int = 12345
) -> tuple[dict[str, Any], str]:
    """Score every submission; return ``(leaderboard.json dict, LEADERBOARD.md text)``."""
    from .. import __version__
    from ..score import HEADLINE, EvaluationError, Options, evaluate, markdown_header, markdown_row, read_gold

    gold_dir, root = Path(gold_dir), Path(submissions_dir)
    try:
        gold = read_gold(gold_dir)
    except EvaluationError as exc:
        issues = exc.issues or [Issue("no-documents", "error", str(gold_dir), None, "$", exc.summary)]
        raise LeaderboardError(issues, f"the gold ({gold_dir})") from None
    subs = load_submissions(root)
    splits = gold.splits()
    systems = []
    issues: list[Issue] = []
    md_full: dict[str, dict[str, str]] = {split: {} for split in SPLITS}
    for sub in subs:
        issues.extend(sub.issues)
        entry: dict[str, Any] = {
            "system": sub.folder.name,
            "kind": sub.meta.get("kind", "submission"),
            "meta": {k: sub.meta.get(k) for k in SYSTEM_FIELDS},
            "splits": {},
        }
        for split in SPLITS:
            if split not in sub.predictions or not splits.get(split):
                continue
            try:
                result = evaluate(
                    gold, sub.predictions[split], Options(split=split, bootstrap=bootstrap, seed=seed)
                )
            except EvaluationError as exc:
                issues.extend(exc.issues)
                continue
            entry["splits"][split] = {
                "signature": result.signature,
                "documents": {"gold": result.n_gold, "missing": len(result.missing)},
                "layers": result.layers,
                "headline": {k: result.headline.get(k) for k in HEADLINE},
                "intervals": {k: (result.intervals or {}).get(k) for k in HEADLINE},
            }
            # GitHub tables split cells at every "|", even inside code: escape the signature's.
            row = markdown_row(result, sub.folder.name)
            escaped = result.signature.replace("|", "\\|")
            md_full[split][sub.folder.name] = row.replace(result.signature, escaped)
        systems.append(entry)
    if issues:
        raise LeaderboardError(issues)

    def rank(entry: dict[str, Any]) -> tuple:
        score = entry["splits"].get("test", {}).get("headline", {}).get(RANK_BY)
        return (entry["kind"] == "sanity", -(score if score is not None else -1.0), entry["system"])

    systems.sort(key=rank)
    data = json.loads(
        json.dumps(
            {
                "format": 1,
                "generated_by": f"sayso leaderboard (sayso {__version__})",
                "bootstrap": bootstrap,
                "seed": seed,
                "rank_by": f"test {RANK_BY}",
                "headline": list(HEADLINE),
                "systems": systems,
                "ood": _read_ood(root.parent / "ood" / "gum.json"),
            }
        )
    )
    return data, _markdown(data, md_full, markdown_header())


def _ood_lines(report: dict[str, Any] | None) -> list[str]:
    """The out-of-domain table (baselines on GUM news, issue 8) with GUM's credit and licence."""
    if not report:
        return []
    from ..interop.ood import CREDIT_LINE, render_table

    return [
        "## Out-of-domain: GUM news",
        "",
        "The baselines on the 24 Wikinews articles of the GUM corpus, imported by `sayso import gum` "
        "(F1 in percent; intervals, settings and signatures in [ood/GUM.md](ood/GUM.md)).",
        "",
        render_table(report).rstrip(),
        "",
        CREDIT_LINE,
        "",
    ]


def _markdown(data: dict[str, Any], full: dict[str, dict[str, str]], header: str) -> str:
    lines = [
        "# SaySo leaderboard",
        "",
        "<!-- Generated by `sayso leaderboard` from eval/submissions/ and corpus/gold/; do not edit. "
        "A test fails when this file is stale. -->",
        "",
        f"Scores in percent with document-level bootstrap 95% intervals ({data['bootstrap']} resamples, "
        f"seed {data['seed']}). Ranked by {data['rank_by']}; sanity systems last. Every number is "
        "defined in [METRICS.md](METRICS.md); to add a system, see [SUBMITTING.md](SUBMITTING.md). "
        "The same figures, with every headline number, are in [leaderboard.json](leaderboard.json).",
        "",
    ]
    for split in SPLITS:
        rows = [e for e in data["systems"] if split in e["splits"]]
        if not rows:
            continue
        lines += [f"## {split.capitalize()} split", ""]
        lines.append("| System | Kind | " + " | ".join(name for _, name in SUMMARY) + " |")
        lines.append("|---|---|" + "---|" * len(SUMMARY))
        for e in rows:
            cells = [_cell(e["splits"][split], key) for key, _ in SUMMARY]
            lines.append(f"| {e['system']} | {e['kind']} | " + " | ".join(cells) + " |")
        lines += ["", "<details><summary>All headline figures and signatures</summary>", "", header.rstrip()]
        lines += [full[split][e["system"]].rstrip() for e in rows]
        lines += ["", "</details>", ""]
    lines += _ood_lines(data.get("ood"))
    lines += ["## Systems", ""]
    for e in data["systems"]:
        meta = e["meta"]
        url = f" ([link]({meta['url']}))" if meta.get("url") else ""
        lines.append(
            f"- **{e['system']}** ({e['kind']}; {', '.join(meta['authors'] or [])}; {meta['date']})"
            f"{url}: {' '.join(str(meta['description']).split())}"
        )
        lines.append(f"  Produced by: `{meta['command']}`")
    return "\n".join(lines) + "\n"
