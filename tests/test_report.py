"""The HTML report: content computed from the scorer, self-contained, and rendered by a real browser."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from _toy_docs import toy_document

from sayso.cli import run
from sayso.report.html import render_report
from sayso.score import Options, evaluate

_doc = toy_document


def _pred(doc: dict) -> dict:
    return {"id": doc["id"], **{k: doc[k] for k in ("mentions", "entities", "attributions", "stances")}}


GOLD = [_doc("d1"), _doc("d2")]
PRED = [_pred(_doc("d1", source_type="expert", polarity="support")), _pred(_doc("d2", drop=True))]


@pytest.fixture(scope="module")
def report() -> str:
    result = evaluate(GOLD, PRED, Options(split="test", bootstrap=50, seed=1, keep_documents=True))
    return render_report(result, system="fixture-system")


def test_report_sections_and_numbers(report: str):
    assert report.startswith("<!DOCTYPE html>")
    assert "<title>SaySo report: fixture-system on test</title>" in report
    for anchor in ("summary", "labels", "confusion", "phenomena", "documents"):
        assert f'<h2 id="{anchor}">' in report
    # 3 of 4 gold attributions matched (d2 predicts only a1), so record F1 = 2*3/(4+3).
    assert '<td>Attributions: record F1</td><td class="num">85.7</td>' in report
    assert re.search(r"sayso\|schema:1\.0\|gold:[0-9a-f]{10}\|split:test\|docs:2\|", report)
    # Confusion cells come from matched pairs: d1's a1 is political in gold, expert predicted.
    assert "<title>gold political, predicted expert: 1</title>" in report
    assert "<title>gold political, predicted political: 1</title>" in report
    assert "<title>gold civilian, predicted civilian: 1</title>" in report
    assert "<title>gold oppose, predicted support: 1</title>" in report
    # Bars: mention types, four attribution fields, polarity; then two confusion matrices.
    assert report.count('<svg class="chart') == 8
    assert report.count('<details class="doc"') == 2
    assert '<tr class="row-missed"><td class="status">missed</td><td>a2</td>' in report  # d2's a2
    assert 'class="m m-type"' in report  # Kestria typed ORG in the prediction
    assert "<td>generic-source</td>" in report


def test_report_is_self_contained(report: str):
    assert "<script" not in report and "<link" not in report and "<img" not in report
    assert "@import" not in report and "url(" not in report
    # The only URL-like text is the SVG namespace, which browsers never fetch.
    assert set(re.findall(r"https?://[^\s\"'<>]+", report)) == {"http://www.w3.org/2000/svg"}


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> Path:
    gold = tmp_path / "gold" / "test"
    gold.mkdir(parents=True)
    for doc in GOLD:
        (gold / f"{doc['id']}.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "pred.jsonl").write_text("".join(json.dumps(p) + "\n" for p in PRED), encoding="utf-8")
    return tmp_path


def test_report_cli(files: Path):
    out_file = files / "r.html"
    argv = [
        "report",
        "--gold",
        str(files / "gold"),
        "--split",
        "test",
        "--pred",
        str(files / "pred.jsonl"),
        "--out",
        str(out_file),
        "--bootstrap",
        "20",
    ]
    assert _run(argv) == (0, f"report: 2 documents, 2 predicted -> {out_file}\n", "")
    assert "<title>SaySo report: pred on test</title>" in out_file.read_text(encoding="utf-8")
    assert _run(argv)[0] == 0  # the same report again: nothing is overwritten
    out_file.write_text("mine", encoding="utf-8")
    code, _, err = _run(argv)
    assert (code, err) == (1, f"sayso report: {out_file}: exists; pass --force to overwrite it\n")
    assert out_file.read_text(encoding="utf-8") == "mine"
    assert _run(argv + ["--force"])[0] == 0
    assert "<title>SaySo report: pred on test</title>" in out_file.read_text(encoding="utf-8")


def test_report_cli_rejects_bad_predictions(files: Path):
    bad = files / "bad.jsonl"
    bad.write_text(
        json.dumps(
            {
                "id": "d1",
                "mentions": [
                    {"id": "m1", "start": 0, "end": 999, "type": "PER", "kind": "NAM", "entity": None}
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = _run(
        ["report", "--gold", str(files / "gold" / "test"), "--pred", str(bad), "--out", str(files / "x.html")]
    )
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{bad}:1: [span-out-of-range] $.mentions[0].end: end 999 is beyond the text (59 characters)",
        "sayso report: 1 error(s) in the predictions; nothing was scored",
    ]
    assert not (files / "x.html").exists()


# --- a real browser ---------------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; CI must install the Debian package `chromium`")
        pytest.skip("chromium is not installed (Debian: apt-get install -y chromium)")
    return path


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG into rows of raw pixel bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, cur = line[0], bytearray(line[1:])
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                cur[i] = (cur[i] + a) & 255
            elif kind == 2:
                cur[i] = (cur[i] + b) & 255
            elif kind == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(cur))
        prev = cur
    return width, height, rows


def test_report_renders_in_headless_chromium(report: str, tmp_path: Path):
    chromium = _chromium()
    page = tmp_path / "report.html"
    page.write_text(report, encoding="utf-8")
    profile = tmp_path / "profile"
    base = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*base, "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    # The page is drawn: the blue bars (#3b6fb6) and the green/red highlights are on screen.
    pixels = {row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 4 * (len(row) // width))}
    assert bytes((0x3B, 0x6F, 0xB6)) in pixels
    assert len(pixels) > 50
    dom = subprocess.run(
        [*base, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    assert "<h1>SaySo report: fixture-system on test</h1>" in dom
    assert dom.count("<svg") == 8
    assert dom.count('<details class="doc"') == 2
