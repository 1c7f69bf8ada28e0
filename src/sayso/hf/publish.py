"""``sayso publish``: upload the dataset files of ``corpus/`` to a Hugging Face dataset repository.

What goes up is an explicit allow-list, never "the folder": the card, the licence files, the
Parquet build and the gold JSON documents. Everything else in the folder (caches, editor and
temporary files, hidden files) is listed as skipped and stays home. Files of the dataset that
no longer exist locally (a removed document, an emptied split) are deleted from the repository
in the same commit, so the Hub copy is exactly the local one.

The token comes from ``HF_TOKEN`` or the Hugging Face login (``huggingface_hub`` finds it);
nothing here reads, prints or logs it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..io import SPLITS
from ._features import CONFIGS

__all__ = ["Plan", "plan", "upload", "DATASET_PATTERNS", "PublishError"]

_TOP_LEVEL = ("README.md", "LICENSE", "LICENSE.md", "LICENSE.txt", "CITATION.cff")
_PARQUET = re.compile(rf"^(?:{'|'.join(CONFIGS)})/(?:{'|'.join(SPLITS)})-\d{{5}}-of-\d{{5}}\.parquet$")
_GOLD = re.compile(rf"^gold/(?:{'|'.join(SPLITS)})/[A-Za-z0-9][A-Za-z0-9._-]*\.json$")
# Remote files under these patterns that are not in the upload are deleted (see upload()).
DATASET_PATTERNS = [f"{config}/*.parquet" for config in CONFIGS] + [
    f"gold/{split}/*.json" for split in SPLITS
]


class PublishError(Exception):
    """A publish that cannot go ahead, with a message for the user (never containing the token)."""


@dataclass
class Plan:
    """The files that would go up (paths relative to the corpus folder, sorted) and those skipped."""

    folder: Path
    files: list[str]
    skipped: list[str]

    @property
    def size(self) -> int:
        return sum((self.folder / name).stat().st_size for name in self.files)


def _is_dataset_file(name: str) -> bool:
    return name in _TOP_LEVEL or bool(_PARQUET.match(name)) or bool(_GOLD.match(name))


def plan(folder: str | os.PathLike) -> Plan:
    """Sort every file under ``folder`` into the dataset files to upload and the rest."""
    folder = Path(folder)
    files, skipped = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        name = path.relative_to(folder).as_posix()
        (files if _is_dataset_file(name) and path.is_file() and not path.is_symlink() else skipped).append(
            name
        )
    return Plan(folder, files, skipped)


def upload(
    the_plan: Plan,
    repo_id: str,
    *,
    revision: str | None = None,
    message: str | None = None,
    create: bool = False,
    private: bool = False,
) -> str:
    """Upload ``the_plan``'s files to the dataset repository ``repo_id``; return the commit URL.

    ``create`` makes the repository first when it does not exist. Raises :class:`PublishError`.
    """
    try:
        from huggingface_hub import HfApi, get_token
    except ImportError as exc:  # the hf extra is not installed
        raise PublishError("huggingface_hub is not installed: pip install 'sayso[hf]'") from exc
    if "README.md" not in the_plan.files:
        raise PublishError(f"{the_plan.folder}: no README.md (run `sayso build` first)")
    if get_token() is None:
        raise PublishError("no Hugging Face token: set HF_TOKEN or log in with `hf auth login`")
    api = HfApi()
    try:
        if create:
            api.create_repo(repo_id, repo_type="dataset", exist_ok=True, private=private)
        info = api.upload_folder(
            folder_path=str(the_plan.folder),
            repo_id=repo_id,
            repo_type="dataset",
            revision=revision,
            commit_message=message or f"Upload SaySo ({len(the_plan.files)} files)",
            allow_patterns=list(the_plan.files),
            delete_patterns=list(DATASET_PATTERNS),
        )
    except Exception as exc:  # network, permission, offline mode: report, never a traceback
        raise PublishError(f"upload to {repo_id} failed: {type(exc).__name__}: {exc}") from exc
    return str(getattr(info, "commit_url", info))
