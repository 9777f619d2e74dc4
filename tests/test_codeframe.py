"""Codeframes with the real multilingual embedder on small invented data: save, edit, history, revert, apply
(known / new, candidates), determinism, compare periods, export/import, and two writers at once."""

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cx import codeframe as cf
from cx.__main__ import main
from cx.io import read_file
from cx.schema import build_dataset
from cx.store import Store

ROOT = Path(__file__).resolve().parent.parent
DELIVERY = [
    "the delivery arrived two weeks late",
    "my package came very late",
    "el envío llegó tarde otra vez",
    "shipping took forever to arrive",
    "the parcel was delayed again",
    "el pedido tardó un mes en llegar",
    "late delivery, nobody told me anything",
    "mi paquete llegó con retraso",
]
CHARGE = [
    "I was charged twice for one order",
    "double charge on my credit card",
    "me cobraron dos veces",
    "cobro duplicado en la tarjeta",
    "they billed me two times for the same thing",
    "charged twice and no refund yet",
    "me han cobrado el doble",
    "duplicate payment taken from my account",
]
APP = [
    "the app crashes when I log in",
    "la aplicación se cierra al entrar",
    "the app keeps freezing on startup",
    "login screen crashes every time",
    "the app is broken after the update",
    "la app se bloquea constantemente",
    "app crashes when I open my orders",
    "no puedo entrar, la app se cae",
]
# Next month: the same complaints in other words, and one kind the codeframe has never seen.
DELIVERY2 = [
    "my order arrived ten days late",
    "el repartidor llegó tardísimo",
    "the courier was late again",
    "delivery took three weeks",
]
CHARGE2 = [
    "you charged my card two times",
    "me cobrasteis el pedido dos veces",
    "two identical charges on my statement",
]
APP2 = [
    "the app froze and closed itself",
    "la aplicación no abre desde la actualización",
    "app crashing on my phone",
]
STAFF = [
    "the shop assistant was very rude to me",
    "el dependiente fue muy maleducado",
    "rude staff at the counter, they shouted at me",
    "la cajera me trató fatal y con mala educación",
]
TOPIC = {t: "delivery" for t in DELIVERY + DELIVERY2}
TOPIC |= {t: "charge" for t in CHARGE + CHARGE2}
TOPIC |= {t: "app" for t in APP + APP2}
TOPIC |= {t: "staff" for t in STAFF}


def write(path: Path, texts: list[str], month: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "date", "nps", "comment"])
        for i, text in enumerate(texts):
            out.writerow([f"{month}-{i + 1}", f"2025-{month:02d}-{i % 27 + 1:02d}", i % 5, text])
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("codeframe_files")
    return {
        "jan": write(folder / "jan.csv", DELIVERY + CHARGE + APP, 1),
        "feb": write(folder / "feb.csv", DELIVERY2 + CHARGE2 + APP2 + STAFF, 2),
    }


@pytest.fixture(scope="module")
def frames(files) -> dict[str, pd.DataFrame]:
    return {name: build_dataset(read_file(path)).frame for name, path in files.items()}


@pytest.fixture(scope="module")
def template(frames, tmp_path_factory) -> cf.Codeframe:
    """The January themes, found once (k = 3) and saved in a throwaway store."""
    store = Store(tmp_path_factory.mktemp("template_home"))
    return cf.save_from_frame(frames["jan"], "cx", n_themes=3, all_comments=True, store=store)


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "home")


@pytest.fixture
def saved(template, store) -> cf.Codeframe:
    return cf.save(cf._copy(template), store)


@pytest.fixture
def cli_home(monkeypatch, store):
    monkeypatch.setenv("CX_HOME", str(store.home))
    return store


def topic_of(codeframe: cf.Codeframe) -> dict[str, str]:
    """Theme id -> the invented topic all its examples come from (fails if a theme mixes topics)."""
    out = {}
    for theme in codeframe.themes:
        topics = {TOPIC[e] for e in theme.examples}
        assert len(topics) == 1, (theme.id, theme.examples)
        out[theme.id] = topics.pop()
    return out


def by_topic(applied: cf.Applied, frame: pd.DataFrame) -> pd.DataFrame:
    table = applied.assignments.copy()
    table["topic"] = frame.loc[table.index, "text"].map(TOPIC)
    return table


def test_save_keeps_stable_ids_labels_centroids_examples_and_the_embedder(saved):
    assert saved.version == 1 and saved.ids() == ["1", "2", "3"]
    assert sorted(topic_of(saved).values()) == ["app", "charge", "delivery"]
    for theme in saved.themes:
        assert theme.label.strip() and theme.n == 8 and len(theme.examples) == 8
        assert theme.centroid.shape == (512,) and abs(float(np.linalg.norm(theme.centroid)) - 1) < 1e-5
        assert cf.THRESHOLD_MIN <= theme.threshold <= cf.THRESHOLD_MAX
    assert saved.embedder == "multilingual" and saved.embedder_model == "use-multilingual-v3"
    assert saved.embedder_version  # the package version of the model's weights


def test_applied_to_its_own_file_every_comment_gets_its_saved_theme(saved, frames):
    applied = cf.apply(saved, frames["jan"])
    table = by_topic(applied, frames["jan"])
    topics = topic_of(saved)
    assert (table["status"] == cf.KNOWN).all()
    assert (table["theme_id"].map(topics) == table["topic"]).all()
    assert applied.candidates.empty


def test_next_month_keeps_ids_and_labels_and_marks_the_unseen_complaint_new(saved, frames, store):
    applied = cf.apply(saved, frames["feb"])
    table = by_topic(applied, frames["feb"])
    topics = topic_of(saved)
    known = table[table["topic"] != "staff"]
    assert (known["status"] == cf.KNOWN).all(), known
    assert (known["theme_id"].map(topics) == known["topic"]).all()
    labels = {t.id: t.label for t in saved.themes}
    assert (known["theme_label"] == known["theme_id"].map(labels)).all()
    staff = table[table["topic"] == "staff"]
    assert (staff["status"] == cf.NEW).all() and staff["theme_id"].isna().all()
    # The four new comments form one candidate theme, which one call adds; then they are known.
    assert applied.candidates["n"].tolist() == [4]
    candidate = applied.candidate("new-1")
    assert set(candidate["examples"]) == set(STAFF) and len(candidate["quotes"]) == 3
    added = cf.add_candidate("cx", candidate, label="Rude staff", store=store)
    assert added.version == 2 and added.ids() == ["1", "2", "3", "4"]
    again = by_topic(cf.apply(added, frames["feb"]), frames["feb"])
    assert (again.loc[again["topic"] == "staff", "theme_id"] == "4").all()
    assert (again["status"] == cf.KNOWN).all()


def test_a_comment_unlike_any_theme_is_new(saved):
    frame = pd.DataFrame(
        {
            "response_id": ["a", "b"],
            "text": ["mi abuela cocina paella los domingos", "me cobraron dos veces el mismo pedido"],
            "is_complaint": [True, True],
        }
    )
    out = cf.apply(saved, frame).assignments
    charge = [i for i, topic in topic_of(saved).items() if topic == "charge"][0]
    assert out["status"].tolist() == [cf.NEW, cf.KNOWN]
    assert out["theme_id"].tolist()[1] == charge
    assert out["similarity"].iloc[0] < saved.theme(charge).threshold


def test_each_edit_is_a_version_ids_never_change_and_revert_restores(saved, store, frames):
    topics = topic_of(saved)
    ids = {topic: i for i, topic in topics.items()}
    v2 = cf.rename("cx", ids["charge"], "Double charge", store=store)
    assert v2.version == 2 and v2.theme(ids["charge"]).label == "Double charge"
    assert [t.label for t in v2.themes if t.id != ids["charge"]] == [
        t.label for t in saved.themes if t.id != ids["charge"]
    ]
    # Merge: the first id survives, the other points to it, and its comments now land on the survivor.
    v3 = cf.merge("cx", [ids["delivery"], ids["charge"]], label="Orders", store=store)
    assert sorted(v3.ids()) == sorted([ids["delivery"], ids["app"]])
    assert v3.aliases == {ids["charge"]: ids["delivery"]} and v3.resolve(ids["charge"]) == ids["delivery"]
    assert v3.theme(ids["delivery"]).n == 16 and len(v3.theme(ids["delivery"]).examples) == 16
    merged = by_topic(cf.apply(v3, frames["feb"]), frames["feb"])
    assert (merged.loc[merged["topic"] == "charge", "theme_id"] == ids["delivery"]).all()
    # Split: k sub-themes "<id>.1", "<id>.2" whose comments are the parent's, re-clustered.
    v4 = cf.split("cx", ids["delivery"], k=2, store=store)
    children = [t for t in v4.themes if t.id.startswith(ids["delivery"] + ".")]
    assert [t.id for t in children] == [f"{ids['delivery']}.1", f"{ids['delivery']}.2"]
    assert sorted(e for t in children for e in t.examples) == sorted(v3.theme(ids["delivery"]).examples)
    # KMeans on the merged theme finds the two topics it was made of again.
    assert sorted({TOPIC[e] for e in t.examples}.pop() for t in children) == ["charge", "delivery"]
    v5 = cf.delete("cx", children[1].id, store=store)
    assert children[1].id not in v5.ids() and ids["app"] in v5.ids()
    v6 = cf.add("cx", "Cobro duplicado", ["cobro duplicado", "double charge"], store=store)
    assert v6.themes[-1].id == "4" and v6.themes[-1].origin == "custom"
    notes = cf.history("cx", store)["note"].tolist()
    assert len(notes) == 6 and notes[1].startswith("renamed") and notes[4].startswith("deleted")
    # Revert: a new version equal to the old one; history keeps everything, and old ids are never reused.
    v7 = cf.revert("cx", 1, store=store)
    assert v7.version == 7 and v7.ids() == saved.ids() and v7.aliases == {}
    assert [t.label for t in v7.themes] == [t.label for t in saved.themes]
    for old, new in zip(saved.themes, v7.themes, strict=True):
        assert np.array_equal(old.centroid, new.centroid) and old.examples == new.examples
    assert cf.add("cx", "Refunds", ["no me han devuelto el dinero"], store=store).themes[-1].id == "5"
    assert cf.load("cx", 3, store).aliases == {ids["charge"]: ids["delivery"]}  # old versions stay readable


def test_a_custom_theme_from_typed_phrases_catches_its_complaints(saved, store, frames):
    charge = [i for i, topic in topic_of(saved).items() if topic == "charge"][0]
    cf.delete("cx", charge, store=store)
    custom = cf.add("cx", "Double charge", ["cobro duplicado", "double charge"], store=store)
    new_id = custom.themes[-1].id
    assert new_id == "4"  # never the deleted theme's id
    table = by_topic(cf.apply(custom, frames["feb"]), frames["feb"])
    assert (table.loc[table["topic"] == "charge", "theme_id"] == new_id).all()


def test_apply_is_deterministic_bit_for_bit(saved, files, tmp_path, cli_home):
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        assert main(["codeframe", "apply", "cx", str(files["feb"]), "--out", str(out)]) == 0
        outs.append(out)
    for name in ("assignments.csv", "new_themes.csv", "new_themes.json"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    rows = pd.read_csv(outs[0] / "assignments.csv", encoding="utf-8-sig")
    assert len(rows) == 14 and rows["status"].value_counts().to_dict() == {"known": 10, "new": 4}


def test_cli_round_trip_save_edit_apply_export_import(files, tmp_path, cli_home, capsys):
    assert main(["codeframe", "save", str(files["jan"]), "--name", "team", "--k", "3", "--all-comments"]) == 0
    capsys.readouterr()
    assert main(["codeframe", "rename", "team", "1", "Late", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == 2
    assert main(["codeframe", "show", "team", "--version", "1", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["codeframe", "show", "team", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["version"] == 2 and shown["themes"][0]["label"] == "Late"
    assert [t["theme_id"] for t in shown["themes"]] == [t["theme_id"] for t in first["themes"]]
    out = tmp_path / "apply"
    assert main(["codeframe", "apply", "team", str(files["feb"]), "--out", str(out)]) == 0
    assert main(["codeframe", "add", "team", "Rude staff", "--candidate", "new-1", "--from", str(out)]) == 0
    capsys.readouterr()
    assert main(["codeframe", "history", "team", "--format", "json"]) == 0
    versions = json.loads(capsys.readouterr().out)
    assert [v["version"] for v in versions] == [1, 2, 3] and versions[2]["note"].startswith(
        "added 4 (Rude staff)"
    )
    assert main(["codeframe", "export", "team", str(tmp_path / "team.json")]) == 0
    assert main(["codeframe", "import", str(tmp_path / "team.json"), "--name", "copy"]) == 0
    capsys.readouterr()
    assert main(["codeframe", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["name"], c["themes"]) for c in listed] == [("copy", 4), ("team", 4)]


def test_export_then_import_gives_the_same_codeframe(saved, store, tmp_path):
    ids = saved.ids()
    cf.merge("cx", [ids[0], ids[1]], store=store)
    before = cf.load("cx", store=store)
    cf.export("cx", tmp_path / "cx.json", store=store)
    doc = json.loads((tmp_path / "cx.json").read_text(encoding="utf-8"))
    assert doc["format"] == cf.FORMAT and doc["schema_version"] == cf.FILE_SCHEMA and doc["version"] == 2
    after = cf.import_file(tmp_path / "cx.json", name="copy", store=store)
    assert after.version == 1 and after.name == "copy"
    assert after.ids() == before.ids() and after.aliases == before.aliases == {ids[1]: ids[0]}
    for a, b in zip(before.themes, after.themes, strict=True):
        assert a.to_dict() == b.to_dict() and a.centroid.dtype == b.centroid.dtype == np.float32
    assert (after.embedder, after.embedder_model, after.embedder_version) == (
        before.embedder,
        before.embedder_model,
        before.embedder_version,
    )
    assert cf.to_json(cf.from_json(cf.to_json(before))) == cf.to_json(before)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "is not JSON"),
        ('{"format": "something-else"}', "is not a CX Lens codeframe"),
        ('{"format": "cx-lens-codeframe", "schema_version": 99}', "newer CX Lens"),
        (
            '{"format": "cx-lens-codeframe", "schema_version": 1, "embedder": {"name": "multilingual"},'
            ' "themes": [{"id": "1", "label": "x", "centroid": "abc"}]}',
            '"centroid" must be a list of numbers',
        ),
        (
            '{"format": "cx-lens-codeframe", "schema_version": 1, "embedder": {"name": "multilingual"},'
            ' "themes": [{"id": "1", "label": "x", "centroid": [1, 0]}], "aliases": {"2": "9"}}',
            "aliases point to themes it does not have (9)",
        ),
    ],
)
def test_a_bad_file_gets_one_plain_error_and_changes_nothing(content, message, tmp_path, cli_home, capsys):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(cf.CodeframeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        cf.import_file(path, name="bad", store=cli_home)
    assert main(["codeframe", "import", str(path), "--name", "bad"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: bad.json") and "Traceback" not in err[0]
    assert cf.names(cli_home).empty


def test_compare_periods_by_stable_id(saved, frames):
    both = pd.concat([frames["jan"], frames["feb"]], ignore_index=True)
    applied = cf.apply(saved, both)
    table = cf.compare_periods(both, applied.assignments, "month", saved)
    topics = topic_of(saved)
    charge = [i for i, topic in topics.items() if topic == "charge"][0]
    rows = table[table["theme_id"] == charge]
    assert rows["n"].tolist() == [8, 3]
    assert rows["share"].tolist() == [round(100 * 8 / 24, 2), round(100 * 3 / 14, 2)]
    feb_new = table[(table["theme_id"] == cf.NEW)]
    assert feb_new["n"].tolist() == [4] and str(feb_new["period"].iloc[0].date()) == "2025-02-01"
    # After a merge, the older apply's ids resolve to the survivor: volumes stay comparable.
    ids = saved.ids()
    merged = cf._copy(saved)
    merged.themes = [t for t in merged.themes if t.id != ids[1]]
    merged.aliases = {ids[1]: ids[0]}
    resolved = cf.compare_periods(both, applied.assignments, "month", merged)
    jan = resolved[resolved["period"] == resolved["period"].min()].set_index("theme_id")["n"]
    assert jan.to_dict() == {ids[0]: 16, ids[2]: 8}


def test_two_processes_editing_at_once_lose_nothing(saved, store):
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from cx import codeframe as cf\n"
        "from cx.store import Store\n"
        "store = Store(sys.argv[1])\n"
        "while not (Path(sys.argv[1]) / 'go').exists():\n"  # both start editing at the same moment
        "    time.sleep(0.01)\n"
        "for i in range(10):\n"
        "    cf.rename('cx', sys.argv[2], f'{sys.argv[3]} {i}', store=store)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(store.home), theme, tag], env=env, cwd=ROOT)
        for theme, tag in (("1", "A"), ("2", "B"))
    ]
    time.sleep(3)  # both processes have imported and wait at the gate
    (store.home / "go").touch()
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    history = cf.history("cx", store)
    assert history["version"].tolist() == list(range(1, 22))  # 20 edits, each its own version
    latest = cf.load("cx", store=store)
    assert latest.theme("1").label == "A 9" and latest.theme("2").label == "B 9"
    for theme, tag in (("1", "A"), ("2", "B")):  # each writer's ten edits, in its own order
        done = [n.rsplit("→ ", 1)[1] for n in history["note"] if n.startswith(f"renamed {theme}:")]
        assert done == [f"{tag} {i}" for i in range(10)]


def test_edits_of_a_missing_codeframe_or_theme_say_what_exists(saved, store):
    with pytest.raises(cf.CodeframeError, match="no codeframe called 'nope'; saved ones: cx"):
        cf.rename("nope", "1", "x", store=store)
    with pytest.raises(cf.CodeframeError, match="has no theme '9'; its themes are 1, 2, 3"):
        cf.delete("cx", "9", store=store)
    with pytest.raises(cf.CodeframeError, match="no version 5"):
        cf.load("cx", 5, store)
    with pytest.raises(cf.CodeframeError, match="already exists"):
        cf.save(cf._copy(saved), store)
    assert len(cf.history("cx", store)) == 1


def test_an_edit_keeps_the_users_own_note_after_its_own(saved, store):
    cf.rename("cx", "1", "Entregas", store=store, note="  as agreed in\nthe March review ")
    cf.revert("cx", 1, store=store, note="")
    notes = cf.history("cx", store)["note"].tolist()
    assert notes[1] == f"renamed 1: {saved.theme('1').label} → Entregas — as agreed in the March review"
    assert notes[2] == "reverted to version 1"


def test_a_codeframe_from_another_embedder_is_re_embedded_from_its_examples(saved, frames):
    old = cf._copy(saved)
    old.embedder_model = "some-older-model"  # as if saved with another model: its centroids mean nothing now
    for theme in old.themes:
        theme.centroid = np.roll(theme.centroid, 7)
    applied = cf.apply(old, frames["feb"])
    assert len(applied.notes) == 2 and "made with some-older-model" in applied.notes[0]
    assert "re-made from the saved examples" in applied.notes[0]
    assert (
        applied.codeframe.embedder_model == "use-multilingual-v3" and applied.codeframe.ids() == saved.ids()
    )
    table = by_topic(applied, frames["feb"])
    topics = topic_of(saved)
    known = table[table["topic"] != "staff"]
    assert (known["theme_id"].map(topics) == known["topic"]).all()
