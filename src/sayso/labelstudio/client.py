"""A small client for the Label Studio REST API (only what push and pull need), on urllib.

Authentication uses the legacy ``Authorization: Token <key>`` header; the key is never put in
an error message or a repr. Every non-2xx answer raises :class:`LabelStudioError` with the
method, the path and the server's message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

__all__ = ["Client", "LabelStudioError"]


class LabelStudioError(RuntimeError):
    """A request to Label Studio failed (connection refused, 4xx/5xx)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Client:
    """A Label Studio server at ``url`` used with the API key ``token``."""

    def __init__(self, url: str, token: str, *, timeout: float = 120.0, page_size: int = 100):
        self.url = url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self.page_size = page_size

    def __repr__(self) -> str:  # never show the key
        return f"Client({self.url!r})"

    def request(self, method: str, path: str, body: Any = None, *, params: dict | None = None) -> Any:
        """Send one request; return the decoded JSON answer (None for an empty body)."""
        url = f"{self.url}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Authorization", f"Token {self._token}")
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            hint = " (check the API key: LABEL_STUDIO_API_KEY or --api-key)" if exc.code == 401 else ""
            raise LabelStudioError(f"{method} {path}: HTTP {exc.code}{hint}: {detail}", exc.code) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise LabelStudioError(f"{method} {path}: cannot reach {self.url} ({reason})") from None
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            raise LabelStudioError(f"{method} {path}: the answer is not JSON: {raw[:200]!r}") from None

    def _pages(self, path: str, params: dict | None = None, key: str = "results") -> Iterator[dict]:
        """Every item of a paginated list (``/api/projects`` gives ``next``; ``/api/tasks`` gives
        ``total`` and answers 404 past the last page)."""
        page, seen = 1, 0
        while True:
            answer = self.request(
                "GET", path, params={**(params or {}), "page": page, "page_size": self.page_size}
            )
            items = answer if isinstance(answer, list) else answer.get(key, [])
            yield from items
            seen += len(items)
            if isinstance(answer, list) or not items:
                return
            if "next" in answer:
                if not answer["next"]:
                    return
            elif seen >= answer.get("total", 0):
                return
            page += 1

    # -- users and health
    def health(self) -> bool:
        """True when the server answers ``/health``."""
        try:
            return (self.request("GET", "/health") or {}).get("status") == "UP"
        except LabelStudioError:
            return False

    def whoami(self) -> dict:
        return self.request("GET", "/api/current-user/whoami")

    def user(self, user_id: int) -> dict:
        return self.request("GET", f"/api/users/{user_id}/")

    # -- projects
    def projects(self) -> list[dict]:
        return list(self._pages("/api/projects/"))

    def project(self, project_id: int) -> dict:
        return self.request("GET", f"/api/projects/{project_id}/")

    def find_project(self, name_or_id: str) -> dict | None:
        """The project whose id (digits) or exact title is ``name_or_id``; None when absent."""
        if name_or_id.isdigit():
            try:
                return self.project(int(name_or_id))
            except LabelStudioError as exc:
                if exc.status == 404:
                    return None
                raise
        matches = [p for p in self.projects() if p.get("title") == name_or_id]
        if len(matches) > 1:
            ids = ", ".join(str(p["id"]) for p in matches)
            raise LabelStudioError(
                f"{len(matches)} projects are titled {name_or_id!r} (ids {ids}); give the id"
            )
        return matches[0] if matches else None

    def create_project(self, title: str, label_config: str, description: str = "") -> dict:
        return self.request(
            "POST",
            "/api/projects/",
            {"title": title, "label_config": label_config, "description": description},
        )

    def update_project(self, project_id: int, **fields: Any) -> dict:
        return self.request("PATCH", f"/api/projects/{project_id}/", fields)

    # -- tasks, predictions, annotations
    def tasks(self, project_id: int) -> list[dict]:
        """Every task of a project (data and ids; annotations come from :meth:`export`)."""
        return list(self._pages("/api/tasks/", {"project": project_id, "fields": "all"}, key="tasks"))

    def import_tasks(self, project_id: int, tasks: list[dict]) -> dict:
        """Import tasks (each ``{"data": ..., "predictions": [...]}``) synchronously."""
        return self.request(
            "POST",
            f"/api/projects/{project_id}/import",
            tasks,
            params={"commit_to_project": "true", "return_task_ids": "true"},
        )

    def create_prediction(self, task_id: int, result: list, model_version: str) -> dict:
        return self.request(
            "POST", "/api/predictions/", {"task": task_id, "result": result, "model_version": model_version}
        )

    def create_annotation(self, task_id: int, result: list, **fields: Any) -> dict:
        """Create an annotation the way the editor's Submit button does."""
        return self.request("POST", f"/api/tasks/{task_id}/annotations/", {"result": result, **fields})

    def export(self, project_id: int) -> list[dict]:
        """Every task with its annotations, in the full (lossless) JSON export format.

        ``JSON_MIN`` is lossy (it drops relations and flattens per-region choices), so the full
        ``JSON`` format is asked for.
        """
        return self.request(
            "GET",
            f"/api/projects/{project_id}/export",
            params={"exportType": "JSON", "download_all_tasks": "true"},
        )
