"""Reading bytes: encodings, delimiters, formats, and whole files that cannot be used."""

import io
import json

import pandas as pd
import pytest

from cx.io import InputError, read_bytes, sniff_delimiter

ROWS = [
    ["id", "fecha", "recomendación", "satisfacción", "comentario", "región"],
    ["1", "22/10/2025", "9", "5", "Atención excelente, muy rápida", "Galicia"],
    ["2", "03/11/2025", "4", "2", "El envío llegó tarde; nadie contestó", "Andalucía"],
    ["3", "15/11/2025", "10", "4", "Todo perfecto con la tarjeta, señor", "Galicia"],
]


def encode(rows, sep, encoding):
    out = io.StringIO()
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(out, sep=sep, index=False)
    return out.getvalue().encode(encoding)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
def test_every_delimiter_and_encoding(sep, encoding):
    table = read_bytes(encode(ROWS, sep, encoding), "export.csv")
    assert table.delimiter == sep
    assert list(table.frame.columns) == ROWS[0]  # accents in headers survive
    assert table.rows_read == 3
    assert table.frame.loc[1, "comentario"] == "El envío llegó tarde; nadie contestó"
    assert table.frame.loc[2, "comentario"].endswith("señor")


def test_cp1252_specific_characters():
    text = "id;comentario\n1;Precio en € y comillas “raras”\n"
    table = read_bytes(text.encode("cp1252"), "x.csv")
    assert table.frame.loc[0, "comentario"] == "Precio en € y comillas “raras”"


def test_quoted_newlines_and_blank_lines_are_not_rows():
    text = 'id,comment,nps\n1,"line one\nline two",9\n\n2,ok,3\n\n'
    table = read_bytes(text.encode(), "x.csv")
    assert table.rows_read == 2
    assert table.frame.loc[0, "comment"] == "line one\nline two"


def test_extra_fields_are_reported_not_guessed():
    text = "id,nps\n1,9\n2,8,extra\n\n3\n4,6,\n"
    table = read_bytes(text.encode(), "x.csv")
    assert table.rows_read == 4 and len(table.frame) == 3
    assert table.rejected == [(2, "more fields than the header", "2,8,extra")]
    assert table.frame.loc[2, "nps"] == ""  # a short row is padded, not rejected (index = data row - 1)
    assert table.frame.loc[3, "nps"] == "6"  # an empty trailing field is not an extra value


def test_duplicate_headers_keep_the_users_name():
    table = read_bytes(b"score,score,comment\n1,2,x\n", "x.csv")
    assert list(table.frame.columns) == ["score", "score (2)", "comment"]


def test_excel_sheets(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["cover"]}).head(0).to_excel(writer, sheet_name="Portada", index=False)
        pd.DataFrame({"nps": [9, 10, 3], "comentario": ["bien", "genial", "mal"]}).to_excel(
            writer, sheet_name="Respuestas", index=False
        )
        pd.DataFrame({"nps": [1]}).to_excel(writer, sheet_name="Otra", index=False)
    data = path.read_bytes()
    table = read_bytes(data, "book.xlsx")
    assert table.sheets == ["Portada", "Respuestas", "Otra"]
    assert table.sheet == "Respuestas"  # the first sheet with data
    assert table.rows_read == 3
    other = read_bytes(data, "book.xlsx", sheet="Otra")
    assert other.rows_read == 1
    with pytest.raises(InputError, match="no sheet called 'Nope'"):
        read_bytes(data, "book.xlsx", sheet="Nope")


def test_parquet_and_json():
    frame = pd.DataFrame({"nps": [9, 1], "comment": ["great", "bad"]})
    buf = io.BytesIO()
    frame.to_parquet(buf)
    assert read_bytes(buf.getvalue(), "x.parquet").rows_read == 2
    records = json.dumps([{"nps": 9, "comment": "great"}, {"nps": 1, "comment": "malo"}]).encode()
    assert read_bytes(records, "x.json").frame.loc[1, "comment"] == "malo"
    wrapped = json.dumps({"responses": [{"nps": 9}]}).encode()
    assert read_bytes(wrapped, "x.json").rows_read == 1
    lines = b'{"nps": 9}\n{"nps": 3}\n'
    assert read_bytes(lines, "x.jsonl").rows_read == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"  \r\n\n", "is empty"),
        (b"id,nps,comment\n", "header row but no responses"),
        (bytes(range(256)) * 40, "not a text table"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200, "not a text table"),
        (b"PK\x03\x04 this is not really a workbook", "could not be opened as an Excel workbook"),
        (b"[1, 2, 3]", "not a list of records"),
    ],
)
def test_unusable_files_get_one_plain_sentence(data, message):
    with pytest.raises(InputError, match=message) as info:
        read_bytes(data, "upload.csv")
    assert "\n" not in str(info.value) and str(info.value).startswith("upload.csv")


def test_sniffer_prefers_consistent_splits():
    assert sniff_delimiter("a;b;c\n1;2,5;3\n4;5,1;6\n") == ";"
    assert sniff_delimiter("a,b\n1,2\n") == ","


def test_title_rows_above_the_header_are_skipped_and_said():
    text = "Encuesta de clientes 2024\n\nExportado: 05/01/2025\nid;nps;comentario\n1;9;bien\n2;3;mal\n"
    table = read_bytes(text.encode(), "x.csv")
    assert table.delimiter == ";" and list(table.frame.columns) == ["id", "nps", "comentario"]
    assert table.rows_read == 2 and table.header_row == 4
    assert [n for n, _ in table.skipped_rows] == [1, 3]
    assert "The header is row 4; rows 1, 3 are not responses" in table.notes[0]


def test_the_user_chooses_the_header_row():
    data = b"a,b\nid,nps\n1,9\n2,3\n"
    assert list(read_bytes(data, "x.csv").frame.columns) == ["a", "b"]
    chosen = read_bytes(data, "x.csv", header_row=2)
    assert list(chosen.frame.columns) == ["id", "nps"] and chosen.rows_read == 2
    with pytest.raises(InputError, match="no row 9 with values"):
        read_bytes(data, "x.csv", header_row=9)
    with pytest.raises(InputError, match="rows are counted from 1"):
        read_bytes(data, "x.csv", header_row=0)


def test_legacy_qualtrics_question_row_under_v_columns_is_a_header_row():
    rows = ["V1,V2,V8,Q1,Q2", "ResponseID,ResponseSet,StartDate,How likely are you to recommend us?,Why?"]
    rows += [f"R_{i}abc,Default,2025-01-0{i} 10:00:00,{i + 3},reason {i}" for i in range(1, 6)]
    table = read_bytes("\n".join(rows).encode(), "legacy.csv")
    assert table.rows_read == 5 and list(table.frame.columns)[:2] == ["V1", "V2"]
    assert table.questions["Q1"] == "How likely are you to recommend us?"
    assert table.frame.attrs["questions"]["Q2"] == "Why?"


def test_a_bare_cr_counts_the_same_way_everywhere():
    quoted = read_bytes(b'id,nps,comment\r\n1,9,"first\rsecond"\r\n2,3,x\r\n', "x.csv")
    assert quoted.rows_read == 2 and quoted.frame.loc[0, "comment"] == "first\rsecond"  # inside quotes: text
    bare = read_bytes(b"id,nps,comment\n1,9,first\rsecond\n2,3,x\n", "x.csv")
    assert bare.rows_read == 3 and bare.frame.loc[1, "id"] == "second"  # unquoted: a line break, like \n
    old_mac = read_bytes(b"id,nps,comment\r1,9,first\r2,3,x\r", "x.csv")
    assert old_mac.rows_read == 2


def test_json_wrappers_nested_objects_and_lists():
    wrapped = json.dumps({"meta": {"page": 1}, "data": [{"nps": 9}, {"nps": 3}]}).encode()
    assert read_bytes(wrapped, "x.json").rows_read == 2
    nested = [
        {"id": "1", "score": 9, "person": {"email": "a@example.com"}, "person_properties": {"Plan": "Pro"}},
        {
            "id": "2",
            "score": 3,
            "person": {"email": "b@example.com"},
            "notes": [{"text": "called"}],
            "tags": [],
        },
    ]
    table = read_bytes(json.dumps(nested).encode(), "x.json")
    assert {"person.email", "person_properties.Plan", "notes", "tags"} <= set(table.frame.columns)
    assert table.frame.loc[1, "notes"] == '[{"text": "called"}]' and pd.isna(table.frame.loc[1, "tags"])
    lines = b'{"nps": 9, "who": {"plan": "Pro"}}\n\n{"nps": 3, "who": {"plan": "Free"}, "tags": ["a"]}\n'
    table = read_bytes(lines, "x.jsonl")
    assert table.rows_read == 2 and list(table.frame["who.plan"]) == ["Pro", "Free"]


def test_a_totals_row_under_the_data_is_rejected_with_its_reason():
    text = "id,nps,region\n1,9,Norte\n2,3,Sur\n3,10,Norte\nTotal,7.3,\n"
    table = read_bytes(text.encode(), "x.csv")
    assert table.rows_read == 4 and len(table.frame) == 3
    assert table.rejected == [(4, "totals or average row, not a response", "Total | 7.3")]


def test_the_sheet_with_the_answers_is_read_and_the_choice_is_said(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Región": ["Norte", "Sur"], "NPS": [20, 10]}).to_excel(
            writer, sheet_name="Resumen", index=False
        )
        pd.DataFrame({"nps": range(11), "comentario": ["x"] * 11}).to_excel(
            writer, sheet_name="Datos", index=False
        )
    table = read_bytes(path.read_bytes(), "book.xlsx")
    assert table.sheet == "Datos" and table.rows_read == 11
    assert "Sheet 'Datos' was read" in table.sheet_reason and "Resumen" in table.notes[0]


def test_data_rows_are_never_mistaken_for_header_rows():
    missing = read_bytes(b"id,nps,csat\nabc,N/A,N/A\n1,9,5\n2,3,4\n3,8,2\n", "x.csv")
    assert missing.rows_read == 4 and missing.skipped_rows == []  # "N/A" answers are a response
    unnamed = read_bytes(b"nps,,,\n9,2,3,4\n3,5,6,7\n", "x.csv")
    assert unnamed.header_row == 1 and unnamed.rows_read == 2
    assert list(unnamed.frame.columns) == ["nps", "column 2", "column 3", "column 4"]
