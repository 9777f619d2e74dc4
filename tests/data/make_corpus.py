"""Writes the corpus of awkward files (tests/data/corpus/) and the outcome each must have.

    python tests/data/make_corpus.py

Deterministic. The large cases (a 1 MB comment, a file over the upload limit) are built by the tests in a
temporary directory instead of being committed. `EXPECTED` is what test_corpus.py checks, through the CLI
and through the upload page: either the row report (rows read / kept / rejected by reason / invalid values)
or the one plain sentence that refuses the whole file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

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
    return files


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
