"""Role detection, value parsing and the row report."""

import pandas as pd
import pytest

from cx.io import InputError, read_bytes
from cx.schema import (
    Roles,
    build_dataset,
    detect_roles,
    parse_churn,
    parse_dates,
    parse_scores,
    parse_sentiment,
)

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


def test_text_only_file_complaints_are_the_likely_negative_comments():
    text = "comment\nThe app keeps crashing on login\nVery slow delivery this time\nLovely staff and thank you!\n"
    d = build_dataset(read_bytes(text.encode(), "x.csv"))
    assert d.roles.text == ["comment"] and d.sentiment_source == "estimated"
    assert d.frame["is_complaint"].tolist() == [True, True, False]
    unestimated = build_dataset(read_bytes(text.encode(), "x.csv"), estimate_sentiment=False)
    assert unestimated.frame["is_complaint"].all()  # without the estimate, every comment


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


def test_twelve_hour_clocks_epochs_serials_and_zones():
    values = pd.Series(
        ["3/14/2025 2:05:33 PM", "3/15/2025 12:10 AM", "1741961133", "1741961133000", "45730", "45730.5"],
        dtype=object,
    )
    dates, bad, used = parse_dates(values)
    assert not bad.any() and used is False  # 3/14: month first
    assert dates.iloc[0] == pd.Timestamp("2025-03-14 14:05:33")
    assert dates.iloc[1] == pd.Timestamp("2025-03-15 00:10")
    assert dates.iloc[2] == dates.iloc[3] == pd.Timestamp("2025-03-14 14:05:33")  # Unix s and ms
    assert dates.iloc[4] == pd.Timestamp("2025-03-14") and dates.iloc[5] == pd.Timestamp("2025-03-14 12:00")
    spanish, bad, _ = parse_dates(pd.Series(["14/03/2025 2:05 p. m.", "14/03/2025 9:00 a. m."]))
    assert list(spanish) == [pd.Timestamp("2025-03-14 14:05"), pd.Timestamp("2025-03-14 09:00")]
    assert parse_dates(pd.Series([45730, 1741961133]))[0].tolist() == [
        pd.Timestamp("2025-03-14"),
        pd.Timestamp("2025-03-14 14:05:33"),
    ]


def test_a_column_mixing_zoned_and_naive_times_is_one_clock():
    values = pd.Series(["2025-02-01T08:15:00Z", "2025-02-01 09:20:00", "2025-02-04T21:30:00-05:00"])
    values = pd.concat([values, pd.Series([pd.Timestamp("2025-02-05 10:00", tz="Europe/Madrid")])])
    dates, bad, _ = parse_dates(values.reset_index(drop=True))
    assert not bad.any()
    assert dates.tolist() == [
        pd.Timestamp("2025-02-01 08:15"),
        pd.Timestamp("2025-02-01 09:20"),
        pd.Timestamp("2025-02-05 02:30"),  # converted to UTC
        pd.Timestamp("2025-02-05 09:00"),
    ]


def test_bare_years_are_year_only_rows():
    text = "fecha,nps\n2021,9\n2022-05-03,3\n2023,10\n,8\n"
    d = build_dataset(read_bytes(text.encode(), "x.csv"))
    assert d.frame["year_only"].tolist() == [True, False, True, False]
    assert d.frame["year_only"].dtype == bool
    assert any(n.startswith("2 dates are a year only") for n in d.notes)
    assert not build_dataset(read_bytes(b"nps\n9\n", "y.csv")).frame["year_only"].any()  # always present


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Extremely satisfied", 5),
        ("somewhat SATISFIED", 4),
        ("Neither satisfied nor dissatisfied", 3),
        ("Somewhat dissatisfied", 2),
        ("Extremadamente satisfecho", 5),
        ("Algo satisfecha", 4),
        ("Ni satisfecha ni insatisfecha", 3),
        ("algo insatisfecho", 2),
        ("EXTREMADAMENTE INSATISFECHO", 1),
        ("★★★★☆", 4),
        ("★☆☆☆☆", 1),
        ("4 - Satisfied", 4),
        ("Bueno", 4),
    ],
)
def test_scales_by_their_words(raw, expected):
    scores, invalid = parse_scores(pd.Series([raw]), 1, 5, words=True)
    assert scores.iloc[0] == expected and not invalid.iloc[0]


def test_two_point_answers_give_csat_as_the_share_good():
    text = (
        'ticket,rating\n4001,Good\n4002,Bad\n4003,good\n4004,Offered\n4005,👍\n4006,"Bad, I\'m unsatisfied"\n'
    )
    d = build_dataset(read_bytes(text.encode(), "x.csv"))
    assert d.roles.csat == "rating" and d.roles.csat_scale == (0, 1)
    assert d.frame["csat"].tolist() == [1, 0, 1, 1, 0]
    assert d.frame["csat_satisfied"].tolist() == [True, False, True, True, False]
    assert d.frame["is_complaint"].tolist() == [False, True, False, False, True]
    assert d.rejected["reason"].tolist() == ["survey offered but not answered"]
    assert d.report()["roles"]["csat_scale"] == "0-1"


def test_a_rating_named_label_is_csat_not_a_segment():
    for header in ("Label", "Calificación", "Puntuación", "Stars", "Estrellas", "Rating"):
        text = f"{header},texto\n" + "".join(
            f"{i % 5 + 1},opinión número {i} sobre el hotel\n" for i in range(20)
        )
        roles = detect_roles(read_bytes(text.encode(), "x.csv").frame)
        assert roles.csat == header and roles.csat_scale == (1, 5) and header not in roles.segments


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("positive", "pos"), ("NEGATIVO", "neg"), ("Neutral", "neu"), ("neutro", "neu"), ("neg", "neg")]
    + [
        ("pos", "pos"),
        ("1", "pos"),
        ("0", "neu"),
        ("-1", "neg"),
        ("\u22121", "neg"),
        (-1, "neg"),
        ("meh", None),
    ],
)
def test_sentiment_values(raw, expected):
    labels, invalid = parse_sentiment(pd.Series([raw], dtype=object))
    assert pd.isna(labels.iloc[0]) if expected is None else labels.iloc[0] == expected
    assert bool(invalid.iloc[0]) is (expected is None)


def test_a_sentiment_column_is_a_role_and_makes_the_complaints():
    text = "polarity,tweet\npositive,great flight and a kind crew\nnegative,lost my bag again today\n"
    text += "neutral,boarding now in Madrid airport\nnegative,\n,no label for this one at all\n"
    d = build_dataset(read_bytes(text.encode(), "x.csv"))
    assert d.roles.sentiment == "polarity" and d.sentiment_source == "column polarity"
    assert list(d.frame["sentiment"].cat.categories) == ["neg", "neu", "pos"]
    assert d.frame["sentiment"].astype(object).where(d.frame["sentiment"].notna(), None).tolist() == [
        "pos",
        "neg",
        "neu",
        "neg",
        None,
    ]
    assert d.frame["is_complaint"].tolist() == [False, True, False, True, False]  # a label alone is an answer
    assert d.report()["roles"]["sentiment"] == "polarity"
    by_values = detect_roles(pd.DataFrame({"x": ["positivo", "negativo", "neutro", "negativo"]}))
    assert by_values.sentiment == "x"
    none = build_dataset(
        read_bytes(b"comment\nthe app crashes on login\n", "y.csv"), estimate_sentiment=False
    )
    assert none.sentiment_source is None and none.frame["sentiment"].isna().all()


def test_id_like_columns_are_the_id_never_a_comment():
    ids = [f"es_cafe_casa_{i}_JoseLuis_2015-02-1{i}" for i in range(6)]
    text = "review_id,review\n" + "".join(
        f"{i},the coffee was cold and the waiter ignored us {n}\n" for n, i in enumerate(ids)
    )
    roles = detect_roles(read_bytes(text.encode(), "x.csv").frame)
    assert roles.id == "review_id" and roles.text == ["review"]
    unnamed = pd.DataFrame({"key": ids, "opinion": [f"muy lento el servicio hoy {i}" for i in range(6)]})
    roles = detect_roles(unnamed)
    assert roles.id == "key" and roles.text == ["opinion"]


def test_a_role_given_by_the_user_removes_the_column_from_every_other():
    detected = Roles(id="a", nps="b", text=["c", "d"], segments=["e", "f"], sentiment="g")
    given = detected.with_user_roles(nps="c", segments=None, text=["a"], sentiment=None)
    assert given.nps == "c" and given.id is None and given.text == ["a"]
    assert given.segments == ["e", "f"] and given.sentiment == "g"
    given = detected.with_user_roles(csat="e")
    assert given.csat == "e" and given.segments == ["f"]


# ---- churn role -------------------------------------------------------------------------------------


def test_churn_values_in_every_form():
    values = pd.Series(
        ["Sí", "No", "si", "NO", None, "quizás", "churned", "active", "Activo", 1, 0, True], dtype=object
    )
    churned, invalid = parse_churn(values)
    assert churned.tolist() == [True, False, True, False, pd.NA, pd.NA, True, False, False, True, False, True]
    assert invalid.tolist() == [False] * 5 + [True] + [False] * 6
    # a header about staying: "yes" means the customer stayed; churned/active keep their own meaning
    kept, _ = parse_churn(pd.Series(["yes", "no", "churned"]), retention=True)
    assert kept.tolist() == [False, True, True]


def test_cancellation_date_means_left_and_blank_means_stayed():
    churned, invalid = parse_churn(pd.Series(["2025-03-01", "", None, "03/04/2025"], dtype=object))
    assert churned.tolist() == [True, False, False, True] and not invalid.any()


def test_churn_role_is_detected_and_parsed():
    csv = "id,nps,cancelled,region\n1,9,Sí,N\n2,3,No,S\n3,5,Sí,N\n4,,No,S\n"
    d = build_dataset(read_bytes(csv.encode(), "churn.csv"))
    assert d.roles.churned == "cancelled" and "cancelled" not in d.roles.segments
    assert d.frame["churned"].tolist() == [True, False, True, False]
    assert d.rows_kept == 4  # a churn answer alone keeps the row
    csv = "id,nps,Renovó,fecha de baja\n1,9,sí,\n2,3,no,2025-01-02\n"
    d = build_dataset(read_bytes(csv.encode("utf-8"), "renew.csv"))
    assert d.roles.churned == "Renovó" and d.frame["churned"].tolist() == [False, True]


def test_churn_role_given_by_the_user_wins():
    csv = "id,nps,status2\n1,9,churned\n2,3,active\n3,5,???\n"
    table = read_bytes(csv.encode(), "u.csv")
    roles = detect_roles(table.frame).with_user_roles(churned="status2")
    d = build_dataset(table, roles)
    assert d.frame["churned"].tolist() == [True, False, pd.NA]
    assert d.report()["invalid_values"] == {"status2": 1}


@pytest.mark.parametrize(
    "content",
    ["comment\nToo slow\n", "nps,comment\n3,Rude staff\n", "comentario,región\nMuy lento,Norte\nFatal,Sur\n"],
)
def test_a_short_comment_in_a_one_or_two_row_file_is_the_comment(content):
    dataset = build_dataset(read_bytes(content.encode(), "tiny.csv"))
    header = content.split("\n")[0].split(",")
    assert dataset.roles.text == [next(h for h in header if h.startswith("com"))]
    assert len(dataset.frame) == content.count("\n") - 1


def test_a_one_comment_file_says_what_the_model_made_of_it():
    dataset = build_dataset(read_bytes(b'comment\n"Terrible service, the staff were rude"\n', "one.csv"))
    assert list(dataset.frame["sentiment"]) == ["neg"]
    assert any("its one comment and calls it likely negative" in note for note in dataset.notes)


def test_repeated_short_labels_under_a_comment_header_are_still_a_category():
    rows = "".join(f"{i},{label}\n" for i, label in enumerate(["Price", "Delivery", "Price", "Staff"] * 3))
    dataset = build_dataset(read_bytes(("nps,comment category\n" + rows).encode(), "codes.csv"))
    assert dataset.roles.text == []
