"""``sayso labelstudio config|push|pull|serve``: annotate in Label Studio, bring back validated gold.

The API key comes from ``LABEL_STUDIO_API_KEY`` or ``--api-key`` and is never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import TextIO

from ._args import http_url, port

HELP = "Label Studio config, push and pull"
DEFAULT_URL = "http://127.0.0.1:8080"
CONFIG_PATH = Path("annotation") / "labelstudio.xml"


def _connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        type=http_url,
        default=os.environ.get("LABEL_STUDIO_URL", DEFAULT_URL),
        help=f"Label Studio address (default: $LABEL_STUDIO_URL or {DEFAULT_URL})",
    )
    parser.add_argument(
        "--api-key",
        default=None,
        help="API key (default: $LABEL_STUDIO_API_KEY; prefer the variable: arguments are visible "
        "to other users of the machine)",
    )
    parser.add_argument("--project", required=True, metavar="NAME_OR_ID", help="project title or numeric id")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    config = sub.add_parser(
        "config", help="print (or write, or check) the labeling config generated from labels.json"
    )
    config.add_argument("--out", metavar="FILE", help=f"write it to FILE (e.g. {CONFIG_PATH})")
    config.add_argument("--force", action="store_true", help="replace --out when it differs")
    config.add_argument("--check", metavar="FILE", help="exit 1 when FILE differs from the generated config")

    push = sub.add_parser("push", help="create the project if needed and import documents as tasks")
    _connection(push)
    push.add_argument("files", nargs="+", metavar="FILE", help="documents (.json/.jsonl files or folders)")
    group = push.add_mutually_exclusive_group()
    group.add_argument(
        "--predictions",
        action="store_true",
        help="also import the documents' own annotations as pre-annotations (gold)",
    )
    group.add_argument(
        "--predictions-from",
        metavar="PATH",
        help="import a submission's documents (matched by id) as pre-annotations",
    )
    push.add_argument(
        "--model-version",
        default=None,
        help="label of the pre-annotations in Label Studio (default: gold, or the submission's name)",
    )
    push.add_argument(
        "--update-config",
        action="store_true",
        help="replace the labeling config of an existing project when it differs",
    )

    pull = sub.add_parser("pull", help="export every annotation as a validated schema document")
    _connection(pull)
    pull.add_argument("--out", required=True, metavar="DIR", help="folder for the documents")
    pull.add_argument(
        "--by-annotator",
        action="store_true",
        help="write DIR/<annotator>/<id>.json (for `sayso agree`); needed when a task has several "
        "annotations",
    )
    pull.add_argument("--force", action="store_true", help="overwrite existing files")

    serve = sub.add_parser(
        "serve", help="run a local Label Studio with a project ready to annotate (Ctrl-C stops)"
    )
    serve.add_argument("files", nargs="*", metavar="FILE", help="documents to push into the project")
    serve.add_argument("--project", default="SaySo annotation", help="project title (default: %(default)s)")
    serve_predictions = serve.add_mutually_exclusive_group()
    serve_predictions.add_argument(
        "--predictions", action="store_true", help="push the documents' annotations as pre-annotations"
    )
    serve_predictions.add_argument(
        "--predictions-from",
        metavar="PATH",
        help="push a submission's documents (matched by id) as pre-annotations",
    )
    serve.add_argument(
        "--data-dir",
        default=str(Path(".nox") / "labelstudio-data"),
        help="Label Studio's data folder, kept between runs (default: %(default)s)",
    )
    serve.add_argument("--port", type=port, default=8080, help="port on 127.0.0.1 (default: %(default)s)")
    serve.add_argument(
        "--executable",
        default=None,
        help="the label-studio executable (default: $SAYSO_LABEL_STUDIO or "
        ".nox/labelstudio-server/bin/label-studio)",
    )
    serve.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)  # for tests


def _api_key(args: argparse.Namespace, err: TextIO) -> str | None:
    key = args.api_key or os.environ.get("LABEL_STUDIO_API_KEY")
    if not key:
        err.write(
            "sayso labelstudio: no API key: set LABEL_STUDIO_API_KEY (Label Studio: Account & Settings > "
            "Legacy Token) or pass --api-key\n"
        )
    return key


def _config(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..io import write_text_atomic
    from ..labelstudio import render_config

    text = render_config()
    if args.check:
        try:
            current = Path(args.check).read_text(encoding="utf-8")
        except OSError as exc:
            err.write(f"sayso labelstudio: cannot read {args.check}: {exc.strerror}\n")
            return 1
        if current != text:
            err.write(
                f"{args.check} is stale: regenerate it with "
                f"`sayso labelstudio config --out {args.check} --force`\n"
            )
            return 1
        out.write(f"{args.check} is up to date\n")
        return 0
    if args.out:
        status = write_text_atomic(args.out, text, force=args.force)
        out.write(f"{status} {args.out}\n")
        return 0
    out.write(text)
    return 0


def _load(paths: list[str], kind: str, err: TextIO) -> tuple[list[tuple[str, dict]], int]:
    """Valid documents of ``paths`` and the number of errors printed for the others."""
    from ..io import load_documents
    from ..issues import format_issue
    from ..validate import validate_document

    docs, errors = [], 0
    for loaded in load_documents(paths):
        issues = list(loaded.issues)
        if loaded.doc is not None and not issues:
            issues = validate_document(
                loaded.doc, path=loaded.path, line=loaded.line, kind=kind, raw=loaded.raw
            )
        bad = [i for i in issues if i.severity == "error"]
        for issue in bad:
            err.write(format_issue(issue) + "\n")
        errors += len(bad)
        if not bad:
            docs.append((loaded.path, loaded.doc))
    return docs, errors


def push_documents_from_args(args: argparse.Namespace, client, out: TextIO, err: TextIO) -> int:
    """Shared by ``push`` and ``serve``: validate, ensure the project, import."""
    from ..issues import format_issue
    from ..labelstudio import ensure_project, push_documents

    docs, errors = _load(args.files, "document", err)
    if errors:
        err.write(f"sayso labelstudio: {errors} errors in the documents; nothing was pushed\n")
        return 1
    predictions = None
    model_version = getattr(args, "model_version", None)
    if getattr(args, "predictions", False):
        predictions = {doc["id"]: (path, doc) for path, doc in docs}
        model_version = model_version or "gold"
    elif getattr(args, "predictions_from", None):
        preds, errors = _load([args.predictions_from], "submission", err)
        if errors:
            err.write(f"sayso labelstudio: {errors} errors in the submission; nothing was pushed\n")
            return 1
        texts = {doc["id"]: doc["text"] for _, doc in docs}
        predictions = {}
        for path, pred in preds:
            if pred["id"] not in texts:
                err.write(
                    f"{path}: [ls-not-representable] $.id: document {pred['id']!r} is not among the pushed "
                    "documents\n"
                )
                errors += 1
            elif "text" in pred and pred["text"] != texts[pred["id"]]:
                err.write(f"{path}: [ls-not-representable] $.text: the text differs from the document's\n")
                errors += 1
            else:
                predictions[pred["id"]] = (path, {**pred, "text": texts[pred["id"]]})
        if errors:
            err.write(f"sayso labelstudio: {errors} errors in the submission; nothing was pushed\n")
            return 1
        model_version = model_version or Path(args.predictions_from).stem
    project, what = ensure_project(
        client, str(args.project), update_config=getattr(args, "update_config", False)
    )
    report = push_documents(
        client, project["id"], docs, predictions=predictions, model_version=model_version or "sayso"
    )
    for issue in report.issues:
        err.write(format_issue(issue) + "\n")
    failed = any(issue.severity == "error" for issue in report.issues)
    if getattr(args, "json", False):
        out.write(
            json.dumps(
                {
                    "project": project["id"],
                    "project_status": what,
                    "created": report.created,
                    "existing": report.existing,
                    "predictions": report.predictions,
                    "pushed": not failed,
                },
                indent=2,
            )
            + "\n"
        )
    elif failed:
        err.write("sayso labelstudio: nothing was pushed\n")
    else:
        out.write(
            f"project {project['id']} ({project.get('title')!r}, {what}): "
            f"{len(report.created)} tasks created, "
            f"{len(report.existing)} already there, {report.predictions} pre-annotations\n"
        )
    return 1 if failed else 0


def _push(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..labelstudio import Client

    key = _api_key(args, err)
    if key is None:
        return 2
    return push_documents_from_args(args, Client(args.url, key), out, err)


def _folder_name(annotator: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]", "_", annotator) or "unknown"


def _pull(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..io import dump_document
    from ..issues import format_issue, issue_to_dict
    from ..labelstudio import Client, pull_annotations
    from ..writing import file_set

    key = _api_key(args, err)
    if key is None:
        return 2
    client = Client(args.url, key)
    project = client.find_project(str(args.project))
    if project is None:
        err.write(f"sayso labelstudio: no project {args.project!r} at {args.url}\n")
        return 1
    pulled, notes = pull_annotations(client, project["id"])
    root = Path(args.out)
    targets: dict[Path, object] = {}
    by_doc: dict[str, list] = {}
    for p in pulled:
        by_doc.setdefault(p.doc_id, []).append(p)
    for doc_id, group in by_doc.items():
        if len(group) > 1 and not args.by_annotator:
            who = ", ".join(f"{p.annotator} (annotation {p.annotation_id})" for p in group)
            err.write(
                f"sayso labelstudio: document {doc_id!r} has {len(group)} annotations ({who}); "
                "pull with --by-annotator. Nothing was written.\n"
            )
            return 1
    for p in pulled:
        safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", p.doc_id)
        if not p.valid:
            path = root / "_invalid" / f"{safe_id}.task{p.task_id}.annotation{p.annotation_id}.json"
        elif args.by_annotator:
            path = root / _folder_name(p.annotator) / f"{safe_id}.json"
        else:
            path = root / f"{safe_id}.json"
        if path in targets:
            err.write(
                f"sayso labelstudio: two annotations would both be written to {path} "
                f"(annotation {p.annotation_id}); nothing was written\n"
            )
            return 1
        targets[path] = p
    existing = [path for path in targets if path.exists()]
    if existing and not args.force:
        for path in existing:
            err.write(f"sayso labelstudio: {path} exists\n")
        err.write(
            f"sayso labelstudio: {len(existing)} files exist; pass --force to overwrite them. "
            "Nothing was written.\n"
        )
        return 1
    with file_set(root, force=args.force) as files:  # every pulled document or none
        for path, p in targets.items():
            files.write(str(path.relative_to(root)), dump_document(p.doc))
    issues = notes + [issue for p in pulled for issue in p.issues]
    invalid = [p for p in pulled if not p.valid]
    if args.json:
        out.write(
            json.dumps(
                {
                    "project": project["id"],
                    "documents": [
                        {
                            "task": p.task_id,
                            "annotation": p.annotation_id,
                            "annotator": p.annotator,
                            "id": p.doc_id,
                            "valid": p.valid,
                            "path": str(path),
                        }
                        for path, p in targets.items()
                    ],
                    "issues": [issue_to_dict(i) for i in issues],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        for issue in issues:
            out.write(format_issue(issue) + "\n")
        out.write(
            f"{len(pulled)} annotations pulled from project {project['id']}: "
            f"{len(pulled) - len(invalid)} valid "
            f"written to {root}, {len(invalid)} invalid written to {root / '_invalid'}\n"
        )
    return 1 if invalid else 0


def _serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import secrets
    import signal
    import time

    from ..io import write_text_atomic
    from ..labelstudio.server import ServerError, find_executable, start

    executable = Path(args.executable) if args.executable else find_executable(".")
    if executable is None or not executable.is_file():
        err.write(
            "sayso labelstudio: the label-studio executable was not found; install it with "
            "`bash tools/install-labelstudio.sh` (or set SAYSO_LABEL_STUDIO)\n"
        )
        return 1
    data = Path(args.data_dir)
    secrets_file = data / "sayso-credentials.json"
    if secrets_file.is_file():
        creds = json.loads(secrets_file.read_text(encoding="utf-8"))
    else:
        creds = {
            "username": "annotator@sayso.invalid",
            "password": secrets.token_urlsafe(12),
            "api_key": secrets.token_hex(20),
        }
        data.mkdir(parents=True, exist_ok=True)
        write_text_atomic(secrets_file, json.dumps(creds, indent=2) + "\n", force=True)
        secrets_file.chmod(0o600)
    try:
        server = start(
            executable,
            data,
            port=args.port,
            username=creds["username"],
            password=creds["password"],
            token=creds["api_key"],
        )
    except ServerError as exc:
        err.write(f"sayso labelstudio: {exc}\n")
        return 1

    def _terminate(signum, frame):  # noqa: ARG001 - a `kill` stops the server too, like Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        client = server.client()
        if args.files:
            args.model_version, args.update_config, args.json = None, True, False
            code = push_documents_from_args(args, client, out, err)
            if code:
                return code
        else:
            from ..labelstudio import ensure_project

            project, what = ensure_project(client, args.project, update_config=True)
            out.write(f"project {project['id']} ({args.project!r}, {what})\n")
        out.write(
            f"Label Studio is running at {server.url}\n"
            f"  log in as {creds['username']}; the password and API key are in {secrets_file}\n"
            f"  for push/pull: export LABEL_STUDIO_URL={server.url}\n"
            f'                 export LABEL_STUDIO_API_KEY=$(python3 -c "import json; print(json.load(open('
            f"'{secrets_file}'))['api_key'])\")\n"
        )
        if args.exit_when_ready:
            return 0
        out.write("Press Ctrl-C to stop it.\n")
        out.flush()
        while server.process.poll() is None:
            time.sleep(1)
        err.write(f"sayso labelstudio: label-studio stopped (exit code {server.process.returncode})\n")
        return 1
    except KeyboardInterrupt:
        out.write("stopping Label Studio\n")
        return 0
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..labelstudio import LabelStudioError

    action = {"config": _config, "push": _push, "pull": _pull, "serve": _serve}[args.action]
    try:
        return action(args, out, err)
    except LabelStudioError as exc:
        err.write(f"sayso labelstudio: {exc}\n")
        return 1
    except BrokenPipeError:  # pragma: no cover - `| head`
        sys.stderr.close()
        return 0
