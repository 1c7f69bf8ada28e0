"""Problems are values: checks yield :class:`Issue`; only reporters print them.

An issue has a stable kebab-case ``code`` (documented in ``schema/README.md``), a severity,
the file it concerns, a 1-based line (or ``None``), a JSON path (``$.mentions[3].end``) and
a message. :func:`format_issue` renders the canonical one-line form
``path:line: [code] $.json.path: message``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

__all__ = ["Issue", "Severity", "format_issue", "issue_to_dict"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in an input file."""

    code: str
    severity: Severity
    path: str
    line: int | None
    json_path: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def format_issue(issue: Issue) -> str:
    """Render ``issue`` as ``path:line: [code] $.json.path: message``.

    >>> format_issue(Issue("span-out-of-range", "error", "a.json", 12, "$.mentions[0].end", "end 99 > 40"))
    'a.json:12: [span-out-of-range] $.mentions[0].end: end 99 > 40'
    """
    where = issue.path if issue.line is None else f"{issue.path}:{issue.line}"
    return f"{where}: [{issue.code}] {issue.json_path}: {issue.message}"


def issue_to_dict(issue: Issue) -> dict:
    """A JSON-ready dict with stable keys."""
    return asdict(issue)
