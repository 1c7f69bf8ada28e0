"""The real Label Studio editor in headless Chromium: what an annotator's Submit writes comes back right.

Needs the ``playwright`` package (dev extra; it drives the system's Chromium, no browser
download) and a ``chromium`` executable (``tools/install-chromium.sh``). Skips without them.
"""

from __future__ import annotations

import copy
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import API_KEY
from ls_documents import unicode_document

from sayso import cli

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium executable (bash tools/install-chromium.sh)"
)
ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("mentions", "entities", "attributions", "stances")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return cli.run(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def page(label_studio):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(f"{label_studio.url}/user/login/")
        page.fill("input[name=email]", label_studio.username)
        page.fill("input[name=password]", label_studio.password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        yield page
        browser.close()


def open_task(page, url: str, project_id: int, task_id: int) -> None:
    page.goto(f"{url}/projects/{project_id}/data?task={task_id}")
    page.wait_for_selector(".lsf-richtext", timeout=60_000)
    page.wait_for_timeout(1000)  # regions and relations are drawn after the text


def submit(page) -> None:
    page.get_by_role("button", name="Submit").first.click()
    page.wait_for_timeout(2500)


def push_and_open(page, label_studio, monkeypatch, project_name, tmp_path, doc, *flags) -> None:
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", API_KEY)
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    path = tmp_path / f"{doc['id']}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run("labelstudio", "push", "--project", project_name, *flags, str(path))[0] == 0
    client = label_studio.client()
    project = client.find_project(project_name)
    (task,) = client.tasks(project["id"])
    open_task(page, label_studio.url, project["id"], task["id"])


def pull(project_name, tmp_path) -> dict:
    status, out, err = run("labelstudio", "pull", "--project", project_name, "--out", str(tmp_path / "out"))
    assert (status, err) == (0, ""), out
    (path,) = (tmp_path / "out").glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_pre_annotation_submitted_in_the_editor_comes_back_unchanged(
    page, label_studio, monkeypatch, project_name, tmp_path
) -> None:
    doc = unicode_document("sayso-9401")
    push_and_open(page, label_studio, monkeypatch, project_name, tmp_path, doc, "--predictions")
    submit(page)
    pulled = pull(project_name, tmp_path)
    assert pulled["meta"].pop("annotator") == label_studio.username
    pulled["meta"].pop("annotation_id")
    assert pulled == doc


def test_a_word_labelled_in_the_editor_gets_code_point_offsets(
    page, label_studio, monkeypatch, project_name, tmp_path
) -> None:
    doc = unicode_document("sayso-9402")
    blank = copy.deepcopy(doc)
    for layer in LAYERS:
        blank[layer] = []
    push_and_open(page, label_studio, monkeypatch, project_name, tmp_path, blank)
    page.get_by_text("PER", exact=True).first.click()
    # double-click the word "Ortega" that starts the last line (after an emoji flag, combining
    # accents, a no-break space, CRLFs and a tab: every offset convention but code points differs)
    box = page.locator(".lsf-richtext__line").filter(has_text="Ortega later").first.bounding_box()
    page.mouse.dblclick(box["x"] + 12, box["y"] + box["height"] / 2)
    page.wait_for_timeout(800)
    submit(page)
    pulled = pull(project_name, tmp_path)
    start = doc["text"].index("\tOrtega later") + 1
    assert pulled["mentions"] == [
        {
            "id": "m1",
            "start": start,
            "end": start + 6,
            "text": "Ortega",
            "type": "PER",
            "kind": None,
            "entity": None,
        }
    ]


SAMPLE = [
    sorted(split.glob("*.json"))[0]
    for split in sorted(ROOT.glob("corpus/gold/*"))
    if any(split.glob("*.json"))
]


@pytest.mark.skipif(not SAMPLE, reason="no corpus documents under corpus/gold yet")
@pytest.mark.parametrize("path", SAMPLE, ids=[p.stem for p in SAMPLE])
def test_corpus_documents_submitted_in_the_editor_come_back_unchanged(
    path, page, label_studio, monkeypatch, project_name, tmp_path
) -> None:
    """The first gold document of each split through the real editor (every document goes
    through the server in test_server.py)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    push_and_open(page, label_studio, monkeypatch, project_name, tmp_path, doc, "--predictions")
    submit(page)
    pulled = pull(project_name, tmp_path)
    for key in ("annotator", "annotation_id"):
        pulled["meta"].pop(key)
    assert pulled == doc
