"""Writes the corpus of awkward files (tests/data/corpus/) and the outcome each must have.

    python tests/data/make_corpus.py

Deterministic. The large cases (a 1 MB comment, a file over the upload limit) are built by the tests in a
temporary directory instead of being committed. `EXPECTED` is what test_corpus.py checks, through the CLI
and through the upload page: either the row report (rows read / kept / rejected by reason / invalid values)
or the one plain sentence that refuses the whole file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import xlsxwriter

HERE = Path(__file__).resolve().parent / "corpus"
BASE = [
    ["id", "date", "nps", "csat", "comment", "region"],
    ["1", "2025-01-05", "9", "5", "Todo perfecto, atención rápida", "Norte"],
    ["2", "2025-01-06", "3", "2", "El envío llegó tarde y nadie contestó", "Sur"],
    ["3", "2025-02-07", "10", "4", "Great app, quick transfers", "Norte"],
    ["4", "2025-02-08", "6", "3", "A tarxeta chegou tarde", "Sur"],
    ["5", "2025-03-09", "8", "4", "Atendimento razoável, nada de especial", "Este"],
]
XSS = [
    '<script>window.__xss=1;alert("x")</script>',
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "[click me](javascript:window.__xss=1)",
    "**bold** and <b>tags</b> and :red[colour]",
    "<svg onload=window.__xss=1>",
]


def csv_text(rows, sep=",") -> str:
    out = io.StringIO()
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(out, sep=sep, index=False)
    return out.getvalue()


def ok(read, kept=None, rejected=None, invalid=None, **extra):
    kept = read if kept is None else kept
    return {
        "rows_read": read,
        "rows_kept": kept,
        "rejected_by_reason": rejected or {},
        "invalid_values": invalid or {},
        **extra,
    }


def error(text):
    return {"error": text}


def build() -> dict[str, tuple[bytes, dict]]:
    files: dict[str, tuple[bytes, dict]] = {}
    base = csv_text(BASE)
    files["empty.csv"] = (b"", error("is empty"))
    files["header_only.csv"] = (b"id,nps,comment\r\n", error("header row but no responses"))
    files["binary_renamed.csv"] = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        error("not a text table"),
    )
    files["csv_named.xlsx"] = (base.encode(), ok(5))
    files["old_excel.xls"] = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, error("old Excel .xls"))
    files["utf8.csv"] = (base.encode("utf-8"), ok(5))
    files["utf8_bom.csv"] = (base.encode("utf-8-sig"), ok(5))
    files["utf16_bom.csv"] = (base.encode("utf-16"), ok(5))
    files["utf16le_no_bom.csv"] = (base.encode("utf-16-le"), ok(5))
    files["latin1.csv"] = (base.encode("latin-1"), ok(5))
    files["cp1252_euro_quotes.csv"] = (
        csv_text([BASE[0], ["1", "2025-01-05", "9", "5", "Cobran 5 € y dicen “gratis”", "Norte"]]).encode(
            "cp1252"
        ),
        ok(1),
    )
    files["semicolon.csv"] = (csv_text(BASE, ";").encode(), ok(5))
    files["tab.tsv"] = (csv_text(BASE, "\t").encode(), ok(5))
    files["pipe.txt"] = (csv_text(BASE, "|").encode(), ok(5))
    files["decimal_commas.csv"] = (
        "id;nps;csat;comentario\n1;9,0;4,0;bien\n2;3,0;2,0;mal servicio\n3;10;5;genial\n".encode("cp1252"),
        ok(3),
    )
    files["quoted_newlines.csv"] = (
        b'id,nps,comment\n1,9,"first line\nsecond line"\n2,3,"a ""quoted"" word, and a comma"\n3,7,plain\n',
        ok(3),
    )
    files["ragged.csv"] = (
        b"id,nps,comment,region\n1,9,fine,Norte\n2,3\n3,7,ok,Sur,EXTRA\n4,10,great,Norte,\n5,,,\n",
        ok(5, 3, {"more fields than the header": 1, "no valid score or comment": 1}),
    )
    files["duplicate_columns.csv"] = (
        b"id,nps,comment,comment\n1,9,good service overall,the staff were kind\n2,2,bad app and slow,very bad support\n",
        ok(2, text=["comment", "comment (2)"]),
    )
    files["blank_lines.csv"] = (b"\n\nid,nps,comment\n\n1,9,good\n\n\n2,4,bad\n\n", ok(2))
    files["bad_scores.csv"] = (
        b"id,nps,comment\n1,N/A,late card\n2,diez,rude staff\n3,11,app crash\n4,-1,slow refund\n5,9.5,fees\n6,9,fine\n7,11,\n",
        ok(7, 6, {"no valid score or comment": 1}, {"nps": 6}),
    )
    files["mixed_dates.csv"] = (
        b"id,date,nps\n1,2024-02-30,9\n2,31/12/2024,8\n3,2024-12-31,7\n4,not a date,6\n5,2024,5\n6,,4\n",
        ok(6, invalid={"date": 2}),
    )
    files["emoji_rtl.csv"] = (
        csv_text(
            [
                ["id", "nps", "comment"],
                ["1", "10", "Excelente 👍🏽🎉"],
                ["2", "2", "الخدمة سيئة جدا"],
                ["3", "4", "השירות איטי מאוד"],
                ["4", "9", "‮reversed text‬ 🙂"],
            ]
        ).encode(),
        ok(4),
    )
    files["only_text.csv"] = (
        b"feedback\nThe app crashes on login\nNobody answers the phone\nLa tarjeta no llega\n",
        ok(3, text=["feedback"]),
    )
    files["only_score.csv"] = (b"nps\n9\n10\n3\n7\n", ok(4))
    files["one_row.csv"] = (b"nps,comment\n9,fine\n", ok(1))
    files["identical_500.csv"] = (
        ("nps,comment\n" + "2,The app crashes every time\n" * 500).encode(),
        ok(500, text=["comment"]),
    )
    files["duplicate_ids.csv"] = (
        b"id,nps\nA1,9\nA2,3\nA1,7\nA3,10\n",
        ok(4, 3, {"duplicate response_id": 1}),
    )
    files["all_empty_rows.csv"] = (b"id,nps,comment\n,,\n,,\n", ok(2, 0, {"empty row": 2}))
    files["html_page.csv"] = (
        b"<!DOCTYPE html><html><body><h1>Login</h1><p>Your session expired.</p></body></html>\n",
        error("is a web page (HTML), not a survey export"),
    )
    segment_values = ["<b>North</b>", '<img src=x onerror="window.__xss=1">']
    header = ["id", "nps", "comment", '<img src=x onerror="window.__xss=1;alert(9)">']
    rows = [[str(i), str(i % 11), XSS[i % 5], segment_values[i % 2]] for i in range(40)]
    files["xss.csv"] = (csv_text([header, *rows]).encode(), ok(40, text=["comment"], segments=[header[3]]))
    records = [dict(zip(BASE[0], row, strict=True)) for row in BASE[1:]]
    files["records.json"] = (json.dumps(records, ensure_ascii=False).encode(), ok(5))
    files["lines.jsonl"] = ("\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode(), ok(5))
    buffer = io.BytesIO()
    pd.DataFrame(BASE[1:], columns=BASE[0]).astype({"nps": int, "csat": int}).to_parquet(buffer, index=False)
    files["table.parquet"] = (buffer.getvalue(), ok(5))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        pd.DataFrame({"Notes": []}).to_excel(writer, sheet_name="Cover", index=False)
        pd.DataFrame(BASE[1:], columns=BASE[0]).astype({"nps": int, "csat": int}).to_excel(
            writer, sheet_name="Responses", index=False
        )
        pd.DataFrame({"nps": [1, 2]}).to_excel(writer, sheet_name="Old", index=False)
    files["multi_sheet.xlsx"] = (buffer.getvalue(), ok(5, sheet="Responses"))
    add_export_shapes(files)
    return files


def add_export_shapes(files: dict[str, tuple[bytes, dict]]) -> None:
    """The shapes survey tools and people really write (issue 11), and the files that used to crash."""
    files["title_rows.csv"] = (
        "Encuesta de clientes – marzo\n\nid;nps;comentario\n1;9;bien\n2;3;mal\n3;10;genial\n".encode(),
        ok(3),
    )
    meta = (
        "StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,DistributionChannel,UserLanguage"
    )
    qualtrics = [
        meta + ",Q1,Q1_NPS_GROUP,Q2",
        "Start Date,End Date,Response Type,Progress,Finished,Recorded Date,Response ID,Distribution Channel,"
        "User Language,How likely are you to recommend us?,How likely are you to recommend us? - Group,Why?",
        '{""ImportId"":""startDate""},{""ImportId"":""endDate""},{""ImportId"":""status""},'
        '{""ImportId"":""progress""},{""ImportId"":""finished""},{""ImportId"":""recordedDate""},'
        '{""ImportId"":""_recordId""},{""ImportId"":""distributionChannel""},{""ImportId"":""userLanguage""},'
        '{""ImportId"":""QID1""},{""ImportId"":""QID1_NPS_GROUP""},{""ImportId"":""QID2_TEXT""}',
    ]
    qualtrics[2] = ",".join(f'"{cell}"' for cell in qualtrics[2].split(","))
    for i, (nps, group) in enumerate([(9, 3), (3, 1), (7, 2), ("", "")]):
        done = "1" if nps != "" else "0"
        qualtrics.append(
            f"2025-03-0{i + 1} 10:00:00,2025-03-0{i + 1} 10:04:00,0,{100 if done == '1' else 5},{done},"
            f"2025-03-0{i + 1} 10:04:00,R_{i}abcDEF{i},anonymous,EN,{nps},{group},"
        )
    files["qualtrics_three_header_rows.csv"] = (
        ("\r\n".join(qualtrics) + "\r\n").encode("utf-8-sig"),
        ok(4, 3, {"no valid score or comment": 1}, nps="Q1", segments=[]),
    )
    files["qualtrics_es_utf16.tsv"] = (
        "\r\n".join(line.replace(",", "\t") for line in qualtrics).encode("utf-16"),
        ok(4, 3, {"no valid score or comment": 1}, nps="Q1"),
    )
    files["surveymonkey_two_header_rows.csv"] = (
        b"Respondent ID,Start Date,End Date,Custom Data 1,How likely are you to recommend us?,Why?,Which did you use?,\r\n"
        b",,,,Response,Open-Ended Response,Web,App\r\n"
        b"1140001,03/14/2025 02:05:33 PM,03/14/2025 02:09:00 PM,,10,Fast,Web,\r\n"
        b"1140002,03/15/2025 09:00:00 AM,03/15/2025 09:03:00 AM,,4,Slow,,App\r\n"
        b"1140003,03/16/2025 11:00:00 AM,03/16/2025 11:01:00 AM,,,,,\r\n",
        ok(3, 2, {"no valid score or comment": 1}, date="End Date"),
    )
    files["mixed_timezones.csv"] = (
        b"date,nps\n2025-02-01T08:15:00Z,9\n2025-02-01 09:20:00,3\n2025-02-04T21:30:00-05:00,7\n"
        b'"Mon, 10 Feb 2025 10:00:00 +0100",10\n',
        ok(4, date="date"),
    )
    files["twelve_hour_clock.csv"] = (
        b"date,nps\n3/14/2025 2:05:33 PM,9\n3/15/2025 11:00:00 AM,4\n3/16/2025 12:30 PM,8\n",
        ok(3, date="date"),
    )
    files["twelve_hour_es.csv"] = (
        b"fecha;nps\n14/03/2025 2:05 p. m.;9\n15/03/2025 11:00 a. m.;4\n16/03/2025 12:30 p. m.;8\n",
        ok(3, date="fecha"),
    )
    files["epoch_dates.csv"] = (
        b"id,created_at,nps\nA1,1741961133,9\nA2,1741961133000,3\nA3,1742061133,7\n",
        ok(3, date="created_at"),
    )
    files["excel_serial_dates.csv"] = (
        b"id,fecha,nps\nA1,45730,9\nA2,45731.5,3\nA3,45732,7\n",
        ok(3, date="fecha"),
    )
    files["bare_cr_unquoted.csv"] = (
        b"id,nps,comment\n1,9,first\rsecond\n2,3,x\n",
        ok(3, 2, {"no valid score or comment": 1}),  # an unquoted CR ends the row, like any line break
    )
    files["bare_cr_quoted.csv"] = (b'id,nps,comment\r\n1,9,"first\rsecond"\r\n2,3,x\r\n', ok(2))
    files["first_line_extra_field.csv"] = (
        b"id,nps\n1,9,extra\n2,3\n",
        ok(2, 1, {"more fields than the header": 1}),
    )
    files["years_only.csv"] = (b"fecha,nps\n2021,9\n2022,3\n2023-05-04,10\n", ok(3, date="fecha"))
    files["nps_group_codes.csv"] = (
        b"Q1_NPS_GROUP,Q1,comment\n3,9,great\n1,2,awful service\n2,7,ok\n3,10,love it\n1,0,never again\n2,8,fine\n",
        ok(6, nps="Q1", segments=[]),
    )
    files["id_like_reviews.csv"] = (
        "review_id,review\n"
        "es_cafe_casa_7_JoseLuis_2015-02-16,El café llegó frío y tardaron mucho\n"
        "es_cafe_casa_7_Marta_2015-03-02,Muy buena atención y precio justo\n"
        "es_cafe_casa_7_Pedro_2015-03-20,La terraza estaba sucia y nadie limpió\n".encode(),
        ok(3, text=["review"], id="review_id"),
    )
    files["sentiment_text.csv"] = (
        b"texto,sentimiento\nMe encanta la app,Positivo\nNo funciona el pago,NEGATIVO\n"
        b"Abren a las nueve,neutro\nSigo sin tarjeta,negativo\n",
        ok(4, text=["texto"], sentiment="sentimiento"),
    )
    files["stars_and_words.csv"] = (
        "Estrellas,Satisfacción,Opinión\n★★★★★,Muy satisfecho,genial\n★★☆☆☆,Algo insatisfecho,regular\n"
        "★★★★☆,Ni satisfecho ni insatisfecho,bien\n".encode(),
        ok(3, csat="Estrellas"),
    )
    nested = [
        {
            "id": str(i),
            "score": s,
            "comment": c,
            "created_at": 1741600000 + 86400 * i,
            "person": {"email": f"p{i}@example.com", "name": None},
            "person_properties": {"Plan": "Pro" if i % 2 else "Basic"},
            "notes": [{"text": "called back"}] if i == 1 else [],
            "tags": ["vip"] if i == 2 else [],
        }
        for i, (s, c) in enumerate([(10, "great"), (3, "slow support"), (8, None), (0, "cancelled")])
    ]
    files["nested_lists.json"] = (json.dumps(nested).encode(), ok(4, nps="score", date="created_at"))
    files["data_wrapper.json"] = (
        json.dumps(
            {"meta": {"page": 1}, "data": [{"nps": 9, "comment": "ok"}, {"nps": 2, "comment": "no"}]}
        ).encode(),
        ok(2),
    )
    ratings = [
        {
            "id": 900 + i,
            "ticket_id": 4000 + i,
            "score": score,
            "comment": comment,
            "created_at": f"2025-03-0{i + 1}T10:00:00Z",
        }
        for i, (score, comment) in enumerate(
            [
                ("good", "quick fix"),
                ("bad", "three agents, same questions"),
                ("offered", None),
                ("unoffered", None),
            ]
            + [("good", None)]
        )
    ]
    files["zendesk_offered.json"] = (  # two-point CSAT; a survey offered and never answered is rejected
        json.dumps({"satisfaction_ratings": ratings, "next_page": None, "count": 5}).encode(),
        ok(5, 3, {"survey offered but not answered": 2}, csat="score", csat_scale="0-1"),
    )
    files["missing_keys.json"] = (  # a record without the date: NaN in the column (was an AttributeError)
        b'[{"fecha": "22/10/2025", "nps": 9}, {"nps": 3}, {"fecha": "03/11/2025", "nps": 7}]',
        ok(3, date="fecha"),
    )
    files["nested_lines.jsonl"] = (
        b'{"nps": 9, "who": {"plan": "Pro"}}\n{"nps": 3, "who": {"plan": "Free"}, "tags": ["a", "b"]}\n',
        ok(2),
    )
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2025, 3, 31)})
    sheet = book.add_worksheet("Respuestas")
    sheet.write(0, 0, "Encuesta de satisfacción – febrero 2025")
    sheet.write_row(2, 0, ["Nº", "Región", "Recomendación", "Comentario"])
    for r, (nps, comment) in enumerate([(9, "bien"), (4, "tarde"), (10, "genial"), (6, "caro")], start=3):
        sheet.write_row(r, 0, [r - 2, None, nps, comment])
    sheet.merge_range(3, 1, 4, 1, "Norte")
    sheet.merge_range(5, 1, 6, 1, "Sur")
    sheet.write_row(7, 0, ["Promedio", "", 7.25, ""])
    book.add_worksheet("Notas").write(0, 0, "Enviada por correo")
    book.close()
    files["title_merged_totals.xlsx"] = (
        buffer.getvalue(),
        ok(5, 4, {"totals or average row, not a response": 1}, sheet="Respuestas", segments=["Región"]),
    )


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (data, outcome) in build().items():
        (HERE / name).write_bytes(data)
        expected[name] = outcome
    (HERE / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{len(expected)} files in {HERE}")


if __name__ == "__main__":
    main()
