"""Push and pull against a real Label Studio 1.23.2 started by the session fixture (no mocks)."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from conftest import API_KEY
from ls_documents import as_the_editor_submits, editor_result, unicode_document

from sayso import cli
from sayso.labelstudio import Client

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "corpus" / "gold").glob("*/*.json"))
LAYERS = ("mentions", "entities", "attributions", "stances")


@pytest.fixture
def ls(label_studio, monkeypatch) -> Client:
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", API_KEY)
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    return label_studio.client()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out, err)
    assert API_KEY not in out.getvalue() + err.getvalue()  # the key is never printed
    return code, out.getvalue(), err.getvalue()


def write(folder: Path, *docs: dict) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in docs:
        path = folder / f"{doc['id']}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def tasks_by_doc(client: Client, name: str) -> dict[str, dict]:
    project = client.find_project(name)
    return {t["data"]["doc_id"]: t for t in client.tasks(project["id"])}


def test_unicode_documents_drawn_in_the_editor_come_back_exactly(ls, project_name, tmp_path) -> None:
    doc = unicode_document("sayso-9201")
    blank = copy.deepcopy(doc)
    for layer in LAYERS:
        blank[layer] = []
    blank["meta"]["phenomena"] = []
    status, out, err = run("labelstudio", "push", "--project", project_name, *write(tmp_path / "in", blank))
    assert (status, err) == (0, "")
    assert out.endswith("1 tasks created, 0 already there, 0 pre-annotations\n")
    task = tasks_by_doc(ls, project_name)["sayso-9201"]
    assert task["data"]["text"] == doc["text"]  # stored byte for byte: CRLF, tabs, NBSP, emoji
    ls.create_annotation(task["id"], editor_result(doc, seed=1), lead_time=42.0)

    status, out, err = run("labelstudio", "pull", "--project", project_name, "--out", str(tmp_path / "out"))
    assert (status, err) == (0, "")
    assert out.splitlines()[-1] == (
        f"1 annotations pulled from project {ls.find_project(project_name)['id']}: 1 valid written to "
        f"{tmp_path / 'out'}, 0 invalid written to {tmp_path / 'out' / '_invalid'}"
    )
    pulled = json.loads((tmp_path / "out" / "sayso-9201.json").read_text(encoding="utf-8"))

    # What differs from `doc` is only what the editor cannot know: it writes text on every span, and
    # records drawn by hand are numbered in text order (the stance on "stall" comes first).
    expected = copy.deepcopy(doc)
    for a in expected["attributions"]:
        for span in a["content"]:
            span["text"] = doc["text"][span["start"] : span["end"]]
    s1, s2, s3 = expected["stances"]
    for span in s2["evidence"]:
        span["text"] = doc["text"][span["start"] : span["end"]]
    expected["stances"] = [{**s3, "id": "s1"}, {**s1, "id": "s2"}, {**s2, "id": "s3"}]
    expected["meta"].update(
        annotator="annotator@sayso.invalid", annotation_id=pulled["meta"]["annotation_id"]
    )
    for field in ("id", "schema_version", "meta", "text", *LAYERS):
        assert pulled[field] == expected[field], field
    assert pulled == expected


@pytest.mark.skipif(not CORPUS, reason="no corpus documents under corpus/gold yet")
def test_the_whole_corpus_round_trips_through_label_studio(ls, project_name, tmp_path) -> None:
    """Every gold document pushed as a pre-annotation, submitted unchanged, pulled back: equal."""
    status, out, err = run(
        "labelstudio", "push", "--project", project_name, "--predictions", str(ROOT / "corpus" / "gold")
    )
    assert (status, err) == (0, "")
    assert out.endswith(f": {len(CORPUS)} tasks created, 0 already there, {len(CORPUS)} pre-annotations\n")
    for task in tasks_by_doc(ls, project_name).values():
        prediction = task["predictions"][0]
        ls.create_annotation(
            task["id"], as_the_editor_submits(prediction["result"]), parent_prediction=prediction["id"]
        )
    status, out, err = run("labelstudio", "pull", "--project", project_name, "--out", str(tmp_path))
    assert (status, err) == (0, "")
    written = sorted(tmp_path.glob("*.json"))
    assert [p.name for p in written] == sorted(p.name for p in CORPUS)
    for path in CORPUS:
        original = json.loads(path.read_text(encoding="utf-8"))
        pulled = json.loads((tmp_path / path.name).read_text(encoding="utf-8"))
        provenance = {k: pulled["meta"].pop(k) for k in ("annotator", "annotation_id")}
        assert pulled == original, path.name
        assert provenance["annotator"] == "annotator@sayso.invalid"


def test_invalid_annotations_are_reported_and_kept_aside(ls, project_name, tmp_path) -> None:
    doc = unicode_document("sayso-9202")
    assert (
        run("labelstudio", "push", "--project", project_name, "--predictions", *write(tmp_path / "in", doc))[
            0
        ]
        == 0
    )
    task = tasks_by_doc(ls, project_name)["sayso-9202"]
    result = as_the_editor_submits(task["predictions"][0]["result"])
    result.append(
        {
            "id": "ghost00001",
            "from_name": "polarity",
            "to_name": "text",
            "type": "choices",
            "origin": "manual",
            "value": {"start": 0, "end": 4, "choices": ["oppose"]},
        }
    )
    ann = ls.create_annotation(task["id"], result)
    status, out, err = run("labelstudio", "pull", "--project", project_name, "--out", str(tmp_path / "out"))
    assert (status, err) == (1, "")
    where = f"task {task['id']}/annotation {ann['id']}"
    assert (
        f"{where}: [ls-orphan] $.result[{len(result) - 1}]: 'polarity' refers to region 'ghost00001', "
        "which is not in the result\n" in out
    )
    aside = tmp_path / "out" / "_invalid" / f"sayso-9202.task{task['id']}.annotation{ann['id']}.json"
    assert json.loads(aside.read_text(encoding="utf-8"))["id"] == "sayso-9202"
    assert not (tmp_path / "out" / "sayso-9202.json").exists()


def test_pull_never_overwrites_without_force(ls, project_name, tmp_path) -> None:
    doc = unicode_document("sayso-9203")
    run("labelstudio", "push", "--project", project_name, "--predictions", *write(tmp_path / "in", doc))
    task = tasks_by_doc(ls, project_name)["sayso-9203"]
    ls.create_annotation(task["id"], task["predictions"][0]["result"])
    out_dir = tmp_path / "out"
    assert run("labelstudio", "pull", "--project", project_name, "--out", str(out_dir))[0] == 0
    target = out_dir / "sayso-9203.json"
    target.write_text("kept\n", encoding="utf-8")
    status, out, err = run("labelstudio", "pull", "--project", project_name, "--out", str(out_dir))
    assert (status, out) == (1, "")
    assert err == (
        f"sayso labelstudio: {target} exists\n"
        "sayso labelstudio: 1 files exist; pass --force to overwrite them. Nothing was written.\n"
    )
    assert target.read_text(encoding="utf-8") == "kept\n"
    assert run("labelstudio", "pull", "--project", project_name, "--out", str(out_dir), "--force")[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["text"] == doc["text"]


def test_two_annotators_need_by_annotator(ls, project_name, tmp_path) -> None:
    doc = unicode_document("sayso-9204")
    run("labelstudio", "push", "--project", project_name, "--predictions", *write(tmp_path / "in", doc))
    task = tasks_by_doc(ls, project_name)["sayso-9204"]
    second = ls.request(
        "POST",
        "/api/users/",
        {
            "email": f"second-{project_name[-2:].strip()}@sayso.invalid",
            "username": f"second{project_name[-2:].strip()}",
            "password": "a-long-password-1",
        },
    )
    first = ls.create_annotation(task["id"], task["predictions"][0]["result"])
    other = ls.create_annotation(task["id"], task["predictions"][0]["result"], completed_by=second["id"])
    status, out, err = run("labelstudio", "pull", "--project", project_name, "--out", str(tmp_path / "a"))
    assert (status, out) == (1, "")
    assert err == (
        f"sayso labelstudio: document 'sayso-9204' has 2 annotations (annotator@sayso.invalid "
        f"(annotation {first['id']}), {second['email']} (annotation {other['id']})); pull with "
        "--by-annotator. Nothing was written.\n"
    )
    assert not (tmp_path / "a").exists()
    status, out, err = run(
        "labelstudio",
        "pull",
        "--project",
        project_name,
        "--out",
        str(tmp_path / "b"),
        "--by-annotator",
        "--json",
    )
    assert (status, err) == (0, "")
    report = json.loads(out)
    assert [(d["annotator"], d["valid"]) for d in report["documents"]] == [
        ("annotator@sayso.invalid", True),
        (second["email"], True),
    ]
    a = json.loads(
        (tmp_path / "b" / "annotator@sayso.invalid" / "sayso-9204.json").read_text(encoding="utf-8")
    )
    b = json.loads((tmp_path / "b" / second["email"] / "sayso-9204.json").read_text(encoding="utf-8"))
    assert (a["meta"]["annotation_id"], b["meta"]["annotation_id"]) == (first["id"], other["id"])
    assert {k: a[k] for k in LAYERS} == {k: b[k] for k in LAYERS} == {k: doc[k] for k in LAYERS}


def test_push_refuses_invalid_documents_and_sends_nothing(ls, project_name, tmp_path) -> None:
    doc = unicode_document("sayso-9205")
    doc["mentions"][0]["text"] = "Jose Marin Ortega"
    (path,) = write(tmp_path, doc)
    status, out, err = run("labelstudio", "push", "--project", project_name, path)
    assert (status, out) == (1, "")
    assert err.endswith("sayso labelstudio: 1 errors in the documents; nothing was pushed\n")
    assert "[span-text-mismatch] $.mentions[0].text" in err
    assert ls.find_project(project_name) is None


def test_push_twice_adds_nothing_and_a_submission_becomes_predictions(ls, project_name, tmp_path) -> None:
    doc = unicode_document("sayso-9206")
    paths = write(tmp_path / "gold", doc)
    assert run("labelstudio", "push", "--project", project_name, *paths)[0] == 0
    submission = {
        "id": "sayso-9206",
        "mentions": [{k: v for k, v in m.items() if k != "entity"} for m in doc["mentions"][:2]],
    }
    sub = write(tmp_path / "sub", submission)
    status, out, err = run(
        "labelstudio", "push", "--project", project_name, "--predictions-from", sub[0], *paths
    )
    assert (status, err) == (0, "")
    assert out.endswith(": 0 tasks created, 1 already there, 1 pre-annotations\n")
    (task,) = tasks_by_doc(ls, project_name).values()
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "sayso-9206"
    again = run("labelstudio", "push", "--project", project_name, "--predictions-from", sub[0], *paths)
    assert again[0] == 0 and again[1].endswith(": 0 tasks created, 1 already there, 0 pre-annotations\n")
    assert [r["id"] for r in prediction["result"] if r["from_name"] == "mention"] == ["sy-m-m1", "sy-m-m2"]


def test_wrong_key_and_wrong_project(label_studio, project_name, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "0" * 40)
    status, out, err = run(
        "labelstudio", "pull", "--url", label_studio.url, "--project", "123456", "--out", str(tmp_path)
    )
    assert (status, out) == (1, "")
    assert err.startswith(
        "sayso labelstudio: GET /api/projects/123456/: HTTP 401 (check the API key: "
        "LABEL_STUDIO_API_KEY or --api-key)"
    )
    monkeypatch.delenv("LABEL_STUDIO_API_KEY")
    status, out, err = run("labelstudio", "pull", "--url", label_studio.url, "--project", "x", "--out", "y")
    assert (status, err) == (
        2,
        "sayso labelstudio: no API key: set LABEL_STUDIO_API_KEY (Label Studio: Account & "
        "Settings > Legacy Token) or pass --api-key\n",
    )
    status, out, err = run(
        "labelstudio",
        "pull",
        "--url",
        label_studio.url,
        "--api-key",
        API_KEY,
        "--project",
        project_name,
        "--out",
        str(tmp_path),
    )
    assert (status, err) == (1, f"sayso labelstudio: no project {project_name!r} at {label_studio.url}\n")


def test_serve_without_a_server_installed(tmp_path) -> None:
    status, out, err = run(
        "labelstudio",
        "serve",
        "--executable",
        str(tmp_path / "label-studio"),
        "--data-dir",
        str(tmp_path / "data"),
    )
    assert (status, out) == (1, "")
    assert err == (
        "sayso labelstudio: the label-studio executable was not found; install it with "
        "`bash tools/install-labelstudio.sh` (or set SAYSO_LABEL_STUDIO)\n"
    )


def test_every_page_of_tasks_and_projects_is_read(label_studio, project_name, tmp_path) -> None:
    """Pagination: projects give ``next``, tasks give ``total``; read with two items per page."""
    from sayso.labelstudio import Client, ensure_project, push_documents

    client = Client(label_studio.url, API_KEY, page_size=2)
    docs = [(f"{i}.json", unicode_document(f"sayso-95{i:02d}")) for i in range(5)]
    project, what = ensure_project(client, project_name)
    assert what == "created"
    assert push_documents(client, project["id"], docs).created == [d["id"] for _, d in docs]
    again = push_documents(client, project["id"], docs)
    assert (again.created, again.existing) == ([], [d["id"] for _, d in docs])
    assert len(client.tasks(project["id"])) == 5
    for suffix in (" b", " c"):
        ensure_project(client, project_name + suffix)
    titles = [p["title"] for p in client.projects()]  # three or more projects, two per page
    assert {project_name, project_name + " b", project_name + " c"} <= set(titles)
    assert len(titles) == len(set(titles))
