"""Several files: a comments file joined to a survey on a shared id, or stacked as extra feedback."""

from cx.io import read_bytes
from cx.schema import build_dataset
from cx.sources import combine

SURVEY = "response_id,date,nps,region\n" + "\n".join(
    f"R{i},2025-01-{i + 1:02d},{i % 11},North" for i in range(10)
)


def load(text, name):
    return build_dataset(read_bytes(text.encode(), name))


def test_comments_join_on_shared_id_and_unmatched_are_kept():
    comments = "response_id,comment\nR1,the card arrived two weeks late\nR3,nobody answers the phone line\nX9,app crashes on login every day\n"
    d, notes = combine(
        [load(SURVEY, "survey.csv"), load(comments, "comments.csv")], ["survey.csv", "comments.csv"]
    )
    f = d.frame.set_index("response_id")
    assert f.loc["R1", "text"] == "the card arrived two weeks late" and f.loc["R1", "nps"] == 1
    assert f.loc["X9", "text"] == "app crashes on login every day" and "nps" in f.columns
    assert len(d.frame) == 11  # 10 survey rows + 1 unmatched comment
    assert d.rows_read == 13
    assert "joined on response_id: 2 of 3 comments matched" in notes[-1]
    assert set(d.frame["source"]) == {"survey.csv", "comments.csv"}
    assert bool(f.loc["X9", "is_complaint"])  # an unscored support comment counts as a complaint


def test_text_file_without_shared_ids_is_stacked():
    tickets = "ticket_date,channel,message\n2025-02-01,Twitter,your app keeps logging me out all the time\n2025-02-02,Email,I was charged twice for the same thing\n"
    d, notes = combine(
        [load(tickets, "tickets.csv"), load(SURVEY, "survey.csv")], ["tickets.csv", "survey.csv"]
    )
    assert len(d.frame) == 12
    assert "added as extra feedback" in notes[-1]
    stacked = d.frame[d.frame["source"] == "tickets.csv"]
    assert stacked["date"].notna().all() and stacked["nps"].isna().all()
    assert set(stacked["channel"]) == {"Twitter", "Email"}


def test_two_survey_exports_are_appended():
    d, notes = combine([load(SURVEY, "jan.csv"), load(SURVEY, "feb.csv")], ["jan.csv", "feb.csv"])
    assert len(d.frame) == 20 and d.frame["response_id"].is_unique
    assert "appended" in notes[-1]
