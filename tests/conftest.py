"""Session-wide test setup.

Hugging Face libraries read their offline switches and cache location when first imported, so
they are set here, before any test module can import `datasets` (issue 6).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_HF_HOME = tempfile.mkdtemp(prefix="sayso-hf-home-")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HOME"] = _HF_HOME
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

ROOT = Path(__file__).resolve().parent.parent
GUM_DIR = ROOT.parent / "shared" / "external" / "gum-news"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The project checkout (tests may read its committed data folders)."""
    return ROOT


@pytest.fixture(scope="session")
def gum_dir() -> Path:
    """The GUM news sample beside the checkout; tests using it skip when it is absent."""
    if not (GUM_DIR / "conllu").is_dir():
        pytest.skip("../shared/external/gum-news is absent (it is only beside a project checkout)")
    return GUM_DIR
