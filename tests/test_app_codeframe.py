"""The Codeframe page as a user drives it (Streamlit's AppTest), with the store in a temporary CX_HOME:
save the sample's themes, rename, merge, revert, apply (counts, new comments, one-click candidates),
import a good and a bad file, an unwritable store, and a link that reopens a codeframe and its version."""

import re

import pytest

from cx import codeframe as cf
from cx.io import read_file
from cx.schema import build_dataset
from tests.test_app import SAMPLE, assert_clean, new_app, open_link, page, unescape, url

THEMES_PAGE, CODEFRAME_PAGE = page("themes"), page("codeframe")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Each test its own empty store."""
    path = tmp_path / "cx_home"
    monkeypatch.setenv("CX_HOME", str(path))
    return path


def saved(name: str = "Quejas"):
    """The sample's themes (as the Themes page shows them) saved as codeframe `name` from the page."""
    at = new_app().run()
    at.switch_page(THEMES_PAGE).run()
    themes = at.dataframe[0].value
    grouped = next(int(m.group(1).replace(",", "")) for c in at.caption if (m := GROUPED.search(c.value)))
    at.switch_page(CODEFRAME_PAGE).run()
    at.text_input(key="cf_name").input(name)
    at.button(key="cf_save").click().run()
    assert_clean(at)
    return at, themes, grouped


GROUPED = re.compile(r"([\d,]+) comments grouped into")


def shown(at) -> dict[str, tuple[str, int]]:
    """The codeframe table on screen (after the list of codeframes): theme id -> (label, comments)."""
    table = at.dataframe[1].value
    return {r.theme_id: (r.label, r.comments) for r in table.itertuples()}


def success(at) -> str:
    return unescape(at.success[0].value)


def test_saving_the_current_themes_keeps_their_ids_labels_and_sizes():
    at, themes, _ = saved()
    assert success(at) == f"Saved “Quejas” (version 1) with {len(themes)} themes."
    on_screen = shown(at)
    assert on_screen == {str(r.theme): (r.label, r.comments) for r in themes.itertuples()}
    assert at.selectbox(key="cf_pick").value == "Quejas"
    assert url(at)["codeframe"] == ["Quejas"]
    # The same name again is refused with a plain sentence, and nothing is lost.
    at.text_input(key="cf_name").input("Quejas")
    at.button(key="cf_save").click().run()
    assert not at.exception
    assert "already exists" in unescape(at.error[0].value) and shown(at) == on_screen


def test_saving_without_a_name_says_so_and_saves_nothing():
    at = new_app().run()
    at.switch_page(CODEFRAME_PAGE).run()
    assert at.info[0].value.startswith("No codeframe is saved yet")
    at.button(key="cf_save").click().run()
    assert not at.exception
    assert at.error[0].value == "Give the codeframe a name first."
    assert at.info[0].value.startswith("No codeframe is saved yet") and "codeframe" not in url(at)


def test_rename_makes_version_2_and_a_link_reopens_version_1():
    at, themes, _ = saved()
    old = shown(at)["2"][0]
    at.selectbox(key="cf_theme").set_value("2")
    at.text_input(key="cf_label").input("Envíos tarde")
    at.text_input(key="cf_note").input("agreed in the March review")
    at.button(key="cf_rename").click().run()
    assert_clean(at)
    assert success(at) == f"Version 2: renamed 2: {old} → Envíos tarde — agreed in the March review"
    assert at.text_input(key="cf_note").value == ""  # the note went with that edit
    assert shown(at)["2"] == ("Envíos tarde", int(themes["comments"].iloc[1]))
    assert at.selectbox(key="cf_version").options == ["latest (2)", "1"]
    assert at.selectbox(key="cf_version").value == 0  # the latest
    at.selectbox(key="cf_version").set_value(1).run()
    assert shown(at)["2"][0] == old
    params = url(at)
    assert params["codeframe"] == ["Quejas"] and params["codeframe.version"] == ["1"]
    other = open_link(params, CODEFRAME_PAGE)
    assert_clean(other)
    assert other.selectbox(key="cf_version").value == 1 and shown(other)["2"][0] == old


def test_merge_then_revert_brings_every_theme_back():
    at, themes, _ = saved()
    before = shown(at)
    at.multiselect(key="cf_merge_ids").set_value(["1", "3"])
    at.text_input(key="cf_merge_label").input("Entrega y cobro")
    at.button(key="cf_merge").click().run()
    assert_clean(at)
    after = shown(at)
    assert "3" not in after and len(after) == len(before) - 1
    assert after["1"] == ("Entrega y cobro", before["1"][1] + before["3"][1])
    assert success(at) == "Version 2: merged 3 into 1 (Entrega y cobro)"
    at.button_group(key="cf_section").set_value("history").run()
    history = at.dataframe[2].value
    assert list(history["version"]) == [1, 2] and history["note"].iloc[1].startswith("merged 3 into 1")
    at.selectbox(key="cf_revert_to").set_value(1)
    at.button(key="cf_revert").click().run()
    assert_clean(at)
    assert shown(at) == before
    history = at.dataframe[2].value
    assert list(history["version"]) == [1, 2, 3] and history["note"].iloc[2] == "reverted to version 1"


def test_split_delete_and_a_typed_theme_each_make_a_version():
    at, themes, _ = saved()
    k = len(themes)
    at.selectbox(key="cf_theme").set_value("1")
    at.number_input(key="cf_split_k").set_value(2)
    at.button(key="cf_split").click().run()
    assert_clean(at)
    after = shown(at)
    assert "1" not in after and {"1.1", "1.2"} <= after.keys() and len(after) == k + 1
    assert success(at).startswith("Version 2: split 1 (") and success(at).endswith("into 1.1, 1.2")
    at.selectbox(key="cf_theme").set_value("1.2")
    at.button(key="cf_delete").click().run()
    assert "1.2" not in shown(at) and success(at).startswith("Version 3: deleted 1.2 (")
    at.text_input(key="cf_add_label").input("Cobro duplicado")
    at.button(key="cf_add").click().run()  # no phrases yet: nothing is saved, and the page says why
    assert not at.exception and len(shown(at)) == k
    assert unescape(at.error[0].value) == "give at least one example phrase or keyword for the new theme."
    at.text_area(key="cf_add_examples").input("cobro duplicado\ndouble charge\n")
    at.button(key="cf_add").click().run()
    assert_clean(at)
    assert shown(at)[str(k + 1)] == ("Cobro duplicado", 0)  # a new id, never one used before
    assert success(at) == f"Version 4: added {k + 1} (Cobro duplicado) from 2 examples"


def test_apply_counts_add_up_to_the_comments_grouped_and_a_candidate_is_added_in_one_click():
    at, themes, grouped = saved()
    at.button_group(key="cf_section").set_value("apply").run()
    assert_clean(at)
    table = at.dataframe[2].value
    assert list(table["theme_id"]) == [str(t) for t in themes["theme"]] + ["new"]
    comments = cf.comments(build_dataset(read_file(SAMPLE)).frame)
    assert table["n"].sum() == grouped == len(comments)  # every comment counted once: known or new
    assert abs(table["share"].sum() - 100) < 0.5
    new = int(table["n"].iloc[-1])
    caption = next(c.value for c in at.caption if "fit a saved theme" in c.value)
    assert (
        caption
        == f"{grouped:,} comments of the filtered data: {grouped - new:,} fit a saved theme, {new:,} are new."
    )
    # Most comments fit the themes they were found in; the rest are grouped into candidates with quotes.
    assert 0 < new < 0.2 * grouped
    quotes = [t.value for t in at.text if t.value.startswith("“")]
    assert quotes and all(q.endswith("”") for q in quotes)
    at.button(key="cf_add_new-1").click().run()
    assert_clean(at)
    assert re.fullmatch(rf"Version 2: added {len(themes) + 1} \(.+\) from \d+ examples", success(at))
    assert len(shown(at)) == len(themes) + 1


def test_a_filter_applies_the_codeframe_to_the_filtered_rows_only():
    at, _, grouped = saved()
    region = next(w.key for w in at.sidebar.multiselect if w.label == "region")
    at.multiselect(key=region).set_value(["North"]).run()
    at.button_group(key="cf_section").set_value("apply").run()
    assert_clean(at)
    frame = build_dataset(read_file(SAMPLE)).frame
    north = cf.comments(frame[frame["region"] == "North"])
    assert at.dataframe[2].value["n"].sum() == len(north) < grouped


def test_import_a_bad_file_says_why_and_a_good_one_adds_a_codeframe(home):
    at, themes, _ = saved()
    at.button_group(key="cf_section").set_value("files").run()
    at.file_uploader(key="cf_import_file").set_value(("bad.json", b"{not json", "application/json"))
    at.button(key="cf_import_button").click().run()
    assert not at.exception
    assert unescape(at.error[0].value).startswith("bad.json is not JSON")
    other = b'{"format": "something else"}'
    at.file_uploader(key="cf_import_file").set_value(("other.json", other, "application/json"))
    at.button(key="cf_import_button").click().run()
    assert 'other.json is not a CX Lens codeframe (no "format": "cx-lens-codeframe").' in unescape(
        at.error[0].value
    )
    exported = cf.to_json(cf.load("Quejas")).encode("utf-8")  # what the download button gives
    at.file_uploader(key="cf_import_file").set_value(("quejas.json", exported, "application/json"))
    at.text_input(key="cf_import_name").input("Copia")
    at.button(key="cf_import_button").click().run()
    assert_clean(at)
    assert success(at) == f"Imported “Copia” with {len(themes)} themes."
    assert at.selectbox(key="cf_pick").value == "Copia" and len(shown(at)) == len(themes)
    listed = at.dataframe[0].value  # every codeframe on this server, by name
    assert list(listed["name"]) == ["Copia", "Quejas"] and list(listed["version"]) == [1, 1]
    assert listed["note"].iloc[0] == "imported from quejas.json (version 1)"


def test_an_unwritable_store_is_a_plain_message(tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the store should be")
    monkeypatch.setenv("CX_HOME", str(blocker))
    at = new_app().run()
    at.switch_page(CODEFRAME_PAGE).run()
    assert not at.exception
    message = unescape(at.error[0].value)
    assert (
        message.startswith("Codeframes cannot be kept on this server: the store in") and "CX_HOME" in message
    )
