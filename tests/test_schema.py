"""Role detection, value parsing and the row report."""

import pandas as pd
import pytest

from cx.io import InputError, read_bytes
from cx.schema import Roles, build_dataset, detect_roles, parse_dates, parse_scores

SPANISH = (
    "id;fecha;recomendación;satisfacción;comentario;región;canal\n"
    "1;22/10/2025;9;Muy satisfecho;Todo bien, gracias por la atención;Norte;Teléfono\n"
    "2;03/11/2025;3;2;El envío llegó tarde y nadie contesta;Sur;Web\n"
    "3;2025-02-30;11;5;;Norte;Web\n"
    "4;;;;;Sur;Web\n"
    ";;;;;;\n"
    "5;01/12/2025;10 - Extremely likely;4,0;Muy buena app, la verdad;Sur;App\n"
    "5;02/12/2025;8;4;Repetido;Sur;App\n"
)


def spanish():
    return build_dataset(read_bytes(SPANISH.encode("cp1252"), "es.csv"))


def test_spanish_headers_are_detected():
    roles = spanish().roles
    assert (roles.id, roles.date, roles.nps, roles.csat) == ("id", "fecha", "recomendación", "satisfacción")
    assert roles.text == ["comentario"] and roles.segments == ["región", "canal"]
    assert roles.csat_scale == (1, 5)


def test_english_headers_are_detected():
    text = (
        "Response ID,Submitted,How likely are you to recommend us?,Overall satisfaction,CES,Why?,Region\n"
        + "\n".join(
            f"R{i},2025-01-{i % 28 + 1:02d},{i % 11},{i % 5 + 1},{i % 7 + 1},comment number {i} is here,{'NS'[i % 2]}"
            for i in range(40)
        )
    )
    roles = detect_roles(read_bytes(text.encode(), "en.csv").frame)
    assert roles.id == "Response ID" and roles.date == "Submitted"
    assert roles.nps == "How likely are you to recommend us?"
    assert roles.csat == "Overall satisfaction" and roles.ces == "CES"
    assert roles.text == ["Why?"] and roles.segments == ["Region"]


def test_row_report_accounts_for_every_row():
    d = spanish()
    report = d.report()
    assert report["rows_read"] == 7
    assert report["rows_kept"] + report["rows_rejected"] == report["rows_read"]
    assert report["rejected_by_reason"] == {
        "no valid score or comment": 1,
        "empty row": 1,
        "duplicate response_id": 1,
    }
    # "2025-02-30" is an impossible date; "11" is out of the 0-10 range: both counted, rows kept.
    assert report["invalid_values"] == {"fecha": 1, "recomendación": 1}


def test_a_row_with_one_bad_score_keeps_its_other_fields():
    row = spanish().frame.set_index("response_id").loc["3"]
    assert pd.isna(row["nps"]) and pd.isna(row["date"])
    assert row["csat"] == 5 and row["región"] == "Norte"


def test_text_scores_and_day_first_dates():
    f = spanish().frame.set_index("response_id")
    assert f.loc["1", "csat"] == 5  # "Muy satisfecho"
    assert f.loc["5", "nps"] == 10 and f.loc["5", "csat"] == 4  # "10 - Extremely likely", "4,0"
    assert f.loc["1", "date"] == pd.Timestamp("2025-10-22")
    assert f.loc["2", "date"] == pd.Timestamp("2025-11-03")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9", 9),
        ("9.0", 9),
        ("9,0", 9),
        (" 10 - Extremely likely", 10),
        ("0 (not at all)", 0),
        (7, 7),
        (8.0, 8),
        ("9.5", None),
        ("11", None),
        ("-1", None),
        ("N/A", None),
        ("diez", None),
        (9.5, None),
    ],
)
def test_nps_values(raw, expected):
    scores, invalid = parse_scores(pd.Series([raw], dtype=object), 0, 10)
    if expected is None:
        assert invalid.iloc[0] and pd.isna(scores.iloc[0])
    else:
        assert scores.iloc[0] == expected and not invalid.iloc[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Muy satisfecho", 5),
        ("Satisfecha", 4),
        ("Ni satisfecho ni insatisfecho", 3),
        ("Insatisfecho", 2),
        ("Muy insatisfecho", 1),
        ("Very satisfied", 5),
        ("Satisfied", 4),
        ("Neutral", 3),
        ("Dissatisfied", 2),
        ("Very dissatisfied", 1),
        ("so-so", None),
    ],
)
def test_satisfaction_words(raw, expected):
    scores, invalid = parse_scores(pd.Series([raw]), 1, 5, words=True)
    assert pd.isna(scores.iloc[0]) if expected is None else scores.iloc[0] == expected
    assert bool(invalid.iloc[0]) is (expected is None)


def test_blank_scores_are_missing_not_invalid():
    scores, invalid = parse_scores(pd.Series(["", None, "  "], dtype=object), 0, 10)
    assert scores.isna().all() and not invalid.any()


def test_dates_follow_the_files_convention():
    dayfirst, bad, used = parse_dates(pd.Series(["22/10/2016", "03/04/2016"]))
    assert used is True and list(dayfirst) == [pd.Timestamp("2016-10-22"), pd.Timestamp("2016-04-03")]
    monthfirst, _, used = parse_dates(pd.Series(["10/22/2016", "03/04/2016"]))
    assert used is False and monthfirst.iloc[1] == pd.Timestamp("2016-03-04")
    forced, _, _ = parse_dates(pd.Series(["03/04/2016"]), dayfirst=False)
    assert forced.iloc[0] == pd.Timestamp("2016-03-04")


def test_bare_years_iso_and_unparseable_dates():
    dates, bad, _ = parse_dates(
        pd.Series(["2016", "2024-02-29", "2024-02-30", "yesterday", "", "2025-03-01T10:30:00Z"])
    )
    assert dates.iloc[0] == pd.Timestamp("2016-01-01")
    assert dates.iloc[1] == pd.Timestamp("2024-02-29")
    assert list(bad) == [False, False, True, True, False, False]
    assert dates.iloc[5] == pd.Timestamp("2025-03-01 10:30")


def test_csat_scale_is_inferred():
    text = "nps,rating\n" + "\n".join(f"{i % 11},{i % 7 + 1}" for i in range(30))
    d = build_dataset(read_bytes(text.encode(), "x.csv"))
    assert d.roles.csat == "rating" and d.roles.csat_scale == (1, 7)
    assert d.frame["csat_satisfied"].sum() == (d.frame["csat"] >= 6).sum()


def test_overrides_win_and_bad_roles_get_a_message():
    table = read_bytes(SPANISH.encode("cp1252"), "es.csv")
    roles = Roles(nps="satisfacción", text=["comentario"])
    d = build_dataset(table, roles)
    assert d.frame["nps"].dropna().tolist() == [2, 5, 4, 4]  # "Muy satisfecho" is not a 0-10 answer
    with pytest.raises(InputError, match="not in the file: nope"):
        build_dataset(table, Roles(nps="nope"))
    with pytest.raises(InputError, match="No score or comment column"):
        build_dataset(table, Roles(segments=["región"]))


def test_text_only_file_makes_every_comment_a_complaint():
    text = "comment\nThe app keeps crashing on login\nVery slow delivery this time\n"
    d = build_dataset(read_bytes(text.encode(), "x.csv"))
    assert d.roles.text == ["comment"] and d.frame["is_complaint"].all()


def test_complaints_are_detractors_or_bottom_two_csat():
    d = spanish()
    f = d.frame.set_index("response_id")
    assert f.loc["2", "is_complaint"]  # NPS 3, CSAT 2
    assert not f.loc["1", "is_complaint"]
    groups = [None if pd.isna(g) else g for g in f["nps_group"]]
    assert groups == ["promoter", "detractor", None, "promoter"]


def test_rejected_rows_carry_the_row_number_the_user_finds_in_the_file():
    text = "id,nps,comment\n1,9,fine\n2,8,too,many\n,,\n4,abc,\n5,10,great\n"
    d = build_dataset(read_bytes(text.encode(), "x.csv"))
    assert d.rows_read == 5 and d.rows_kept == 2
    rows = d.rejected.set_index("row")["reason"].to_dict()
    assert rows == {2: "more fields than the header", 3: "empty row", 4: "no valid score or comment"}
    assert d.rejected.set_index("row").loc[2, "line"] == "2,8,too,many"
