"""``sayso build``: gold documents to the Hugging Face Hub layout inside ``corpus/``.

Reads ``corpus/gold/<split>/*.json`` (validated first: nothing is built from invalid gold), and
renders, in memory, one Parquet file per config and split
(``corpus/<config>/<split>-00000-of-00001.parquet``) and the dataset card ``corpus/README.md``
(generated YAML front matter and sections, hand-written prose kept). Only then are files
written, as one set (:func:`sayso.writing.file_set`), and only those whose bytes changed.

The output is deterministic: rows sorted by document id, the Parquet writer run with fixed
options, no timestamps anywhere. The same gold and the same pyarrow version give byte-identical
files, which is how a test detects a committed build that is stale. The one byte a newer pyarrow
changes by itself is its version in the Parquet footer (``created_by``): :func:`compare` then
falls back to comparing the decoded tables, schema metadata and row groups exactly, so a pyarrow
upgrade alone does not make a build stale while any change of content still does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import diversity
from ..io import SPLITS, split_of
from ..issues import Issue
from . import _example, card, stats
from ._features import CONFIGS, arrow_schema
from ._rows import rows

__all__ = ["Build", "render", "write", "compare", "load_gold", "parquet_bytes", "PARQUET_OPTIONS"]

# Fixed writer options: part of the build's output, so changing one is a rebuild of every file.
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "row_group_size": 1024,
    "data_page_version": "1.0",
    "store_schema": True,
    "write_page_index": False,
}


@dataclass
class Build:
    """A build rendered in memory: ``files`` maps paths relative to the corpus folder to bytes."""

    files: dict[str, bytes] = field(default_factory=dict)
    split_rows: dict[str, dict[str, int]] = field(default_factory=dict)
    split_bytes: dict[str, dict[str, int]] = field(default_factory=dict)  # in-memory Arrow size
    documents: int = 0
    issues: list[Issue] = field(default_factory=list)  # validation errors: nothing was rendered
    problems: list[str] = field(default_factory=list)  # layout errors: nothing was rendered

    @property
    def ok(self) -> bool:
        return not self.issues and not self.problems


def load_gold(corpus: Path) -> tuple[list[tuple[str, dict]], list[Issue], list[str]]:
    """Validated ``(split, document)`` pairs from ``corpus/gold``, sorted by split then id."""
    from ..validate import validate_paths

    gold = corpus / "gold"
    if not gold.is_dir():
        return [], [], [f"{gold}: no gold folder (expected {gold}/<split>/<id>.json)"]
    report = validate_paths([gold])
    errors = [i for i in report.issues if i.is_error]
    problems = []
    docs = []
    for loaded in report.valid:
        split = split_of(Path(loaded.path).relative_to(gold))
        if split is None:
            problems.append(f"{loaded.path}: not in a split folder ({', '.join(SPLITS)}) under {gold}")
            continue
        docs.append((split, loaded.doc))
    docs.sort(key=lambda sd: (SPLITS.index(sd[0]), sd[1]["id"]))
    return docs, errors, problems


def parquet_bytes(config: str, table_rows: list[dict]) -> tuple[bytes, int]:
    """One Parquet file of ``config`` holding ``table_rows`` (written with :data:`PARQUET_OPTIONS`),
    and the size of the table in memory (what ``datasets`` calls a split's ``num_bytes``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(table_rows, schema=arrow_schema(config))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, **PARQUET_OPTIONS)
    return sink.getvalue().to_pybytes(), table.nbytes


def _read_agreement(path: Path, required: bool) -> tuple[Any | None, str | None]:
    """The parsed agreement JSON (None when absent and not ``required``), or a problem message."""
    if not path.is_file():
        return None, (f"{path}: no such agreement file" if required else None)
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"{path}: cannot read the agreement figures: {exc}"


def _read_ood(path: Path) -> dict | None:
    """The out-of-domain report beside the corpus, if there is one (the card shows its table)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def render(
    corpus: str | os.PathLike,
    *,
    agreement: str | os.PathLike | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Build:
    """Render the build of ``corpus`` in memory (see the module docstring); writes nothing.

    ``agreement`` is the agreement JSON the card reports (default: ``annotation/agreement.json``
    beside the corpus folder; absent means "not yet measured").
    """
    corpus = Path(corpus)
    docs, issues, problems = load_gold(corpus)
    build = Build(issues=issues, problems=problems, documents=len(docs))
    if not build.ok:
        return build
    if not docs:
        build.problems.append(f"{corpus / 'gold'}: no gold documents")
        return build
    splits = [s for s in SPLITS if any(split == s for split, _ in docs)]
    table: dict[tuple[str, str], list[dict]] = {(c, s): [] for c in CONFIGS for s in splits}
    for number, (split, doc) in enumerate(docs, start=1):
        for config, row in rows(doc):
            table[config, split].append(row)
        if progress:
            progress(number, len(docs))
    for (config, split), table_rows in table.items():
        if not table_rows:
            # A split with no row of this config (a layer left null) gets no file: datasets
            # 5.2 cannot read a Parquet file of zero rows, and the card omits the split.
            continue
        data, nbytes = parquet_bytes(config, table_rows)
        build.files[card.parquet_path(config, split)] = data
        build.split_rows.setdefault(config, {})[split] = len(table_rows)
        build.split_bytes.setdefault(config, {})[split] = nbytes
    agreement_path = Path(agreement) if agreement else corpus.parent / "annotation" / "agreement.json"
    figures, problem = _read_agreement(agreement_path, required=agreement is not None)
    if problem:
        build.problems.append(problem)
        build.files.clear()
        return build
    corpus_stats = stats.corpus_stats(docs)
    sections = {
        "configs": card.configs_section(build.split_rows),
        "fields": card.fields_section(),
        "example": _example.example_section(docs),
        "stats": stats.to_markdown(corpus_stats),
        "diversity": diversity.to_markdown(diversity.diversity(docs)),
        "agreement": card.agreement_section(figures),
        "ood": card.ood_section(_read_ood(corpus.parent / "eval" / "ood" / "gum.json")),
    }
    readme = corpus / "README.md"
    existing = readme.read_text(encoding="utf-8") if readme.is_file() else None
    build.files["README.md"] = card.render_card(
        existing, card.front_matter(build.split_rows, build.split_bytes), sections
    ).encode("utf-8")
    return build


def _stale_parquet(out: Path, build: Build) -> list[str]:
    """Parquet files in the config folders that this build does not produce (a split now empty)."""
    found = []
    for config in CONFIGS:
        folder = out / config
        if folder.is_dir():
            found += [f"{config}/{p.name}" for p in sorted(folder.glob("*.parquet"))]
    return [name for name in found if name not in build.files]


def conflicts(build: Build, out: str | os.PathLike) -> dict[str, str]:
    """Files that writing ``build`` into ``out`` would overwrite or remove: ``{relative name:
    "changed" | "removed"}``, in name order within each kind."""
    out = Path(out)
    found = {
        name: "changed"
        for name, data in sorted(build.files.items())
        if (out / name).exists() and not ((out / name).is_file() and (out / name).read_bytes() == data)
    }
    found.update((name, "removed") for name in _stale_parquet(out, build))
    return found


def write(build: Build, out: str | os.PathLike, *, force: bool = False) -> dict[str, str]:
    """Write ``build`` into ``out`` as one set: ``{path: "written" | "unchanged" | "removed"}``.

    Raises :class:`~sayso.writing.Refused` (nothing written) when a file would be overwritten or
    removed and not ``force``; a killed run leaves the old build or the new one, never a mix.
    """
    from ..writing import Refused, file_set

    refused = conflicts(build, out)
    if refused and not force:
        raise Refused(Path(out) / next(iter(refused)))
    with file_set(out, force=True) as files:
        for name, data in sorted(build.files.items()):
            files.write(name, data)
        for name in _stale_parquet(Path(out), build):
            files.remove(name)
    return dict(files.status)


def _same_file(name: str, old: bytes, new: bytes) -> bool:
    if old == new:
        return True
    if not name.endswith(".parquet"):
        return False
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        old_file, new_file = pq.ParquetFile(pa.BufferReader(old)), pq.ParquetFile(pa.BufferReader(new))
    except (pa.ArrowInvalid, OSError):
        return False
    if old_file.metadata.created_by == new_file.metadata.created_by:
        return False  # same writer, different bytes: the content changed
    return old_file.metadata.num_row_groups == new_file.metadata.num_row_groups and old_file.read().equals(
        new_file.read(), check_metadata=True
    )


def compare(build: Build, out: str | os.PathLike) -> dict[str, str]:
    """How the files in ``out`` differ from ``build``: ``{path: "missing" | "differs" | "extra"}``."""
    out = Path(out)
    diff = {}
    for name, data in sorted(build.files.items()):
        target = out / name
        if not target.is_file():
            diff[name] = "missing"
        elif not _same_file(name, target.read_bytes(), data):
            diff[name] = "differs"
    for name in _stale_parquet(out, build):
        diff[name] = "extra"
    return diff
