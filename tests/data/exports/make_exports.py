"""Writes copies of the files survey and support tools export (tests/data/exports/), with invented people.

    python tests/data/exports/make_exports.py

Each file follows the tool's public documentation and example exports: the header rows, the metadata
columns, the way answers are written (numbers or choice text, English or Spanish), the date format and
the encoding. The respondents are invented. tests/test_exports.py reads every file with no flags and
checks the rows kept, the roles and NPS/CSAT against a hand count of the answers below. Deterministic.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent


def csv_bytes(rows, sep=",", encoding="utf-8", lineterminator="\r\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator=lineterminator).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list]], merges: dict[str, list[tuple]] | None = None) -> bytes:
    """Sheets of rows; datetimes are written as real Excel dates, like the tools do."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2025, 3, 31)})  # the same bytes on every run
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, stamp)
                elif value is not None and value != "":
                    sheet.write(r, c, value)
        for first_row, first_col, last_row, last_col, value in (merges or {}).get(name, []):
            sheet.merge_range(first_row, first_col, last_row, last_col, value)
    book.close()
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------------
# Qualtrics: three header rows (export tags, question text, {"ImportId": ...}); metadata columns first.
# --------------------------------------------------------------------------------------------------

QUALTRICS_META = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
]
QUALTRICS_META_TEXT = [
    "Start Date",
    "End Date",
    "Response Type",
    "IP Address",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "Recorded Date",
    "Response ID",
    "Recipient Last Name",
    "Recipient First Name",
    "Recipient Email",
    "External Data Reference",
    "Location Latitude",
    "Location Longitude",
    "Distribution Channel",
    "User Language",
]
QUALTRICS_META_IDS = [
    '{"ImportId":"startDate","timeZone":"Europe/Madrid"}',
    '{"ImportId":"endDate","timeZone":"Europe/Madrid"}',
    '{"ImportId":"status"}',
    '{"ImportId":"ipAddress"}',
    '{"ImportId":"progress"}',
    '{"ImportId":"duration"}',
    '{"ImportId":"finished"}',
    '{"ImportId":"recordedDate","timeZone":"Europe/Madrid"}',
    '{"ImportId":"_recordId"}',
    '{"ImportId":"recipientLastName"}',
    '{"ImportId":"recipientFirstName"}',
    '{"ImportId":"recipientEmail"}',
    '{"ImportId":"externalDataReference"}',
    '{"ImportId":"locationLatitude"}',
    '{"ImportId":"locationLongitude"}',
    '{"ImportId":"distributionChannel"}',
    '{"ImportId":"userLanguage"}',
]
QUALTRICS_QUESTIONS = ["Q1", "Q1_NPS_GROUP", "Q2", "Q3", "Q4"]
QUALTRICS_IMPORT = [
    '{"ImportId":"QID1"}',
    '{"ImportId":"QID1_NPS_GROUP"}',
    '{"ImportId":"QID2"}',
    '{"ImportId":"QID3_TEXT"}',
    '{"ImportId":"QID4"}',
]
# (recorded date, nps, satisfaction 1-5, reason, region); None = not answered. The last one opened the
# survey and answered nothing (Progress 9, Finished 0).
QUALTRICS = [
    ("2025-03-03 09:12:40", 10, 5, "Fast delivery and friendly staff", 1),
    ("2025-03-04 18:30:02", 9, 4, "Good prices", 2),
    ("2025-03-06 11:01:59", 7, 4, "", 1),
    ("2025-03-09 20:45:13", 3, 1, "The parcel arrived broken and nobody answered my emails", 2),
    ("2025-03-11 08:05:00", 0, 2, "Charged twice, still waiting for the refund", 2),
    ("2025-03-15 13:22:31", 8, 3, "Ok but the app is slow", 1),
    ("2025-03-19 16:48:09", 9, None, "", 1),
    ("2025-03-21 10:10:10", 6, 2, "Long queue at the store", 2),
    ("2025-03-24 19:59:59", 10, 5, "Best service I have had this year", 1),
    ("2025-03-28 07:30:45", None, None, "", None),
]
NPS_GROUP_CODE = {"detractor": 1, "passive": 2, "promoter": 3}
SAT_EN = {
    5: "Extremely satisfied",
    4: "Somewhat satisfied",
    3: "Neither satisfied nor dissatisfied",
    2: "Somewhat dissatisfied",
    1: "Extremely dissatisfied",
}
SAT_ES = {
    5: "Extremadamente satisfecho",
    4: "Algo satisfecho",
    3: "Ni satisfecho ni insatisfecho",
    2: "Algo insatisfecho",
    1: "Extremadamente insatisfecho",
}


def nps_group(score):
    if score is None:
        return None
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def qualtrics_rows(choice_text: bool, spanish: bool = False) -> list[list]:
    q_text = (
        [
            "¿Qué probabilidad hay de que recomiende Tiendas Ejemplo a un amigo o compañero?",
            "¿Qué probabilidad hay de que recomiende Tiendas Ejemplo a un amigo o compañero? - Group",
            "En general, ¿qué grado de satisfacción tiene con su última compra?",
            "¿Cuál es el motivo principal de su puntuación?",
            "¿En qué región vive?",
        ]
        if spanish
        else [
            "How likely are you to recommend Example Stores to a friend or colleague?",
            "How likely are you to recommend Example Stores to a friend or colleague? - Group",
            "Overall, how satisfied are you with your last purchase?",
            "What is the main reason for your score?",
            "Which region do you live in?",
        ]
    )
    regions = {1: "Norte", 2: "Sur"} if spanish else {1: "North", 2: "South"}
    groups = (
        {"promoter": "Promotor", "passive": "Pasivo", "detractor": "Detractor"}
        if spanish
        else {"promoter": "Promoter", "passive": "Passive", "detractor": "Detractor"}
    )
    rows = [
        QUALTRICS_META + QUALTRICS_QUESTIONS,
        QUALTRICS_META_TEXT + q_text,
        QUALTRICS_META_IDS + QUALTRICS_IMPORT,
    ]
    for i, (recorded, nps, sat, reason, region) in enumerate(QUALTRICS):
        finished = nps is not None
        start = (dt.datetime.fromisoformat(recorded) - dt.timedelta(minutes=3)).strftime("%Y-%m-%d %H:%M:%S")
        group = nps_group(nps)
        meta = [
            start,
            recorded,
            "IP Address" if choice_text else "0",
            f"192.0.2.{10 + i}",
            "100" if finished else "9",
            str(180 + 17 * i),
            ("True" if finished else "False") if choice_text else ("1" if finished else "0"),
            recorded,
            f"R_{i + 1}xYz{7 * i + 3}AbCdEfGh",
            "",
            "",
            "",
            "",
            f"40.4{i}",
            f"-3.7{i}",
            "anonymous",
            "ES" if spanish else "EN",
        ]
        sat_cell = "" if sat is None else (SAT_ES if spanish else SAT_EN)[sat] if choice_text else str(sat)
        answers = [
            "" if nps is None else str(nps),
            "" if group is None else groups[group] if choice_text else str(NPS_GROUP_CODE[group]),
            sat_cell,
            _spanish_reason(reason) if spanish else reason,
            "" if region is None else regions[region] if choice_text else str(region),
        ]
        rows.append(meta + answers)
    return rows


def _spanish_reason(reason: str) -> str:
    return {
        "Fast delivery and friendly staff": "Entrega rápida y personal amable",
        "Good prices": "Buenos precios",
        "The parcel arrived broken and nobody answered my emails": "El paquete llegó roto y nadie contestó",
        "Charged twice, still waiting for the refund": "Me cobraron dos veces y sigo esperando el reembolso",
        "Ok but the app is slow": "Bien, pero la aplicación va lenta",
        "Long queue at the store": "Mucha cola en la tienda",
        "Best service I have had this year": "El mejor servicio que he tenido este año",
    }.get(reason, reason)


def qualtrics_legacy() -> list[list]:
    """The legacy export: two header rows, the second repeating the metadata names and giving the questions."""
    meta = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress"]
    meta += ["Status", "StartDate", "EndDate", "Finished"]
    rows = [
        meta + ["Q1", "Q2", "Q3", "LocationLatitude", "LocationLongitude", "LocationAccuracy"],
        meta
        + [
            "How likely is it that you would recommend us to a friend or colleague?",
            "How satisfied are you with our support?",
            "Please tell us why.",
            "LocationLatitude",
            "LocationLongitude",
            "LocationAccuracy",
        ],
    ]
    for i, (recorded, nps, sat, reason, _region) in enumerate(QUALTRICS[:9]):
        rows.append(
            [f"R_legacy{i + 1:03d}", "Default Response Set", "Anonymous", "", "", f"198.51.100.{i + 1}"]
            + ["0", recorded, recorded, "1"]
            + ["" if nps is None else str(nps), "" if sat is None else str(sat), reason, "40.4", "-3.7", "-1"]
        )
    return rows


# --------------------------------------------------------------------------------------------------
# SurveyMonkey: two header rows (question, then "Response" / "Open-Ended Response" / option names).
# --------------------------------------------------------------------------------------------------

# (end date, nps, satisfaction words, reason, used web, used app); the last one answered nothing.
SURVEYMONKEY = [
    ("03/14/2025 02:05:33 PM", 10, "Very satisfied", "Easy checkout", "Web", ""),
    ("03/14/2025 09:41:07 AM", 9, "Somewhat satisfied", "", "", "App"),
    ("03/15/2025 12:00:59 PM", 8, "Neither satisfied nor dissatisfied", "Shipping was slow", "Web", "App"),
    ("03/16/2025 07:15:00 PM", 2, "Very dissatisfied", "Wrong size delivered twice", "Web", ""),
    ("03/17/2025 11:30:12 AM", 6, "Somewhat dissatisfied", "Support took a week to reply", "", "App"),
    ("03/18/2025 04:44:44 PM", 9, "Very satisfied", "", "Web", ""),
    ("03/20/2025 08:08:08 AM", 7, "Somewhat satisfied", "Fine", "", "App"),
    ("03/22/2025 10:20:30 PM", "", "", "", "", ""),
]


def surveymonkey_rows() -> list[list]:
    nps_q = "How likely is it that you would recommend Example Shop to a friend or colleague?"
    used_q = "Which of these did you use?"
    top = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address"]
    top += ["First Name", "Last Name", "Custom Data 1", nps_q, "What is the main reason for your score?"]
    top += ["Overall, how satisfied are you with Example Shop?", used_q, "", ""]
    second = [""] * 9 + ["Response", "Open-Ended Response", "Response", "Website", "Mobile app"]
    second += ["Other (please specify)"]
    rows = [top, second]
    for i, (end, nps, sat, reason, web, app) in enumerate(SURVEYMONKEY):
        rows.append(
            [str(114_000_000_000 + 731 * i), "431234567", end, end, f"203.0.113.{i + 5}", "", "", "", ""]
            + [str(nps), reason, sat, web and "Website", app and "Mobile app", ""]
        )
    return rows


# --------------------------------------------------------------------------------------------------
# Google Forms (en, es), Microsoft Forms (en, es), Typeform
# --------------------------------------------------------------------------------------------------

# (timestamp parts, nps, csat 1-5, comment, store)
FORMS = [
    ((2025, 3, 14, 14, 5, 33), 10, 5, "Loved the new menu", "Centro"),
    ((2025, 3, 15, 9, 12, 0), 9, 5, "", "Puerto"),
    ((2025, 3, 16, 20, 40, 1), 8, 4, "Coffee was cold this time", "Centro"),
    ((2025, 3, 18, 13, 0, 0), 5, 2, "Waited twenty minutes for a table", "Puerto"),
    ((2025, 3, 21, 11, 11, 11), 9, 4, "Friendly waiters", "Centro"),
    ((2025, 3, 25, 19, 30, 0), 3, 1, "The bill was wrong and the manager was rude", "Puerto"),
    ((2025, 3, 27, 8, 45, 10), 10, 5, "", "Centro"),
]
FORMS_ES_TEXT = {
    "Loved the new menu": "Me encantó la carta nueva",
    "Coffee was cold this time": "El café estaba frío esta vez",
    "Waited twenty minutes for a table": "Esperamos veinte minutos para tener mesa",
    "Friendly waiters": "Camareros muy amables",
    "The bill was wrong and the manager was rude": "La cuenta estaba mal y el encargado fue maleducado",
}


def google_forms(spanish: bool) -> list[list]:
    header = (
        [
            "Marca temporal",
            "¿Qué probabilidad hay de que nos recomiendes a un amigo?",
            "¿Cuál es tu grado de satisfacción con la visita?",
            "¿Qué podríamos mejorar?",
            "¿Qué local visitaste?",
        ]
        if spanish
        else [
            "Timestamp",
            "How likely are you to recommend us to a friend?",
            "How satisfied were you with your visit?",
            "What could we do better?",
            "Which restaurant did you visit?",
        ]
    )
    rows = [header]
    for (y, mo, d, h, mi, s), nps, csat, comment, store in FORMS:
        stamp = (
            f"{d:02d}/{mo:02d}/{y} {h}:{mi:02d}:{s:02d}" if spanish else f"{mo}/{d}/{y} {h}:{mi:02d}:{s:02d}"
        )
        text = FORMS_ES_TEXT.get(comment, comment) if spanish else comment
        rows.append([stamp, str(nps), str(csat), text, store])
    return rows


def microsoft_forms(spanish: bool) -> list[list]:
    header = (
        [
            "Id.",
            "Hora de inicio",
            "Hora de finalización",
            "Correo electrónico",
            "Nombre",
            "¿Qué probabilidad hay de que recomiende Contoso a un amigo o compañero?",
            "¿Cuál es su grado de satisfacción con la atención recibida?",
            "Cuéntenos más sobre su experiencia",
            "¿Qué local visitó?",
        ]
        if spanish
        else [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "How likely are you to recommend Contoso to a friend or colleague?",
            "How satisfied are you with the support you received?",
            "Tell us more about your experience",
            "Which location did you visit?",
        ]
    )
    rows = [header]
    for i, (parts, nps, csat, comment, store) in enumerate(FORMS):
        done = dt.datetime(*parts)
        text = FORMS_ES_TEXT.get(comment, comment) if spanish else comment
        rows.append([i + 1, done - dt.timedelta(minutes=2), done, "anonymous", "", nps, csat, text, store])
    return rows


# (token, nps, reason, ces 1-7, plan, submitted, network id)
TYPEFORM = [
    (
        "k2m9x1p0q8r7s6t5",
        9,
        "Setting up the integration took five minutes",
        7,
        "Pro",
        "2025-03-10 10:01:02",
        "4f3c2a1b9d",
    ),
    ("a7b6c5d4e3f2g1h0", 10, "", 6, "Free", "2025-03-10 15:32:00", "9a8b7c6d5e"),
    (
        "z9y8x7w6v5u4t3s2",
        4,
        "Billing page kept failing with an error",
        2,
        "Pro",
        "2025-03-12 08:45:59",
        "4f3c2a1b9d",
    ),
    ("m1n2b3v4c5x6z7l8", 7, "Does the job, a bit pricey", 5, "Free", "2025-03-13 21:00:00", "1b2c3d4e5f"),
    ("q0w9e8r7t6y5u4i3", 8, "", 4, "Pro", "2025-03-15 12:12:12", "6f5e4d3c2b"),
    (
        "p1o2i3u4y5t6r7e8",
        2,
        "Could not find the export button at all",
        1,
        "Free",
        "2025-03-17 17:17:17",
        "9a8b7c6d5e",
    ),
]


def typeform_rows() -> list[list]:
    header = ["#", "How likely are you to recommend Example App to a friend?", "What's the main reason?"]
    header += ["How easy was it to get started?", "Which plan are you on?", "Start Date (UTC)"]
    header += ["Submit Date (UTC)", "Network ID", "Tags"]
    rows = [header]
    for token, nps, reason, ces, plan, submitted, network in TYPEFORM:
        start = (dt.datetime.fromisoformat(submitted) - dt.timedelta(seconds=95)).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
        rows.append([token, str(nps), reason, str(ces), plan, start, submitted, network, ""])
    return rows


# --------------------------------------------------------------------------------------------------
# Zendesk CSAT (Explore export and the API), Delighted (CSV export and the API)
# --------------------------------------------------------------------------------------------------

# (ticket id, solved date, group, rating, comment); Offered / Unoffered: the survey was never answered.
ZENDESK = [
    (40112, "2025-03-03", "Billing", "Good", "Sorted in one reply, thanks"),
    (40118, "2025-03-03", "Technical", "Bad", "Three agents asked me the same questions"),
    (40121, "2025-03-04", "Billing", "Good", ""),
    (40125, "2025-03-05", "Technical", "Offered", ""),
    (40133, "2025-03-06", "Technical", "Good", "Quick fix"),
    (40140, "2025-03-07", "Billing", "Bad", ""),
    (40141, "2025-03-07", "Technical", "Unoffered", ""),
    (40150, "2025-03-09", "Billing", "Good", "Very kind agent"),
]


def zendesk_explore() -> list[list]:
    rows = [["Ticket ID", "Ticket solved - Date", "Ticket group", "Ticket satisfaction rating"]]
    rows[0].append("Ticket satisfaction comment")
    rows += [[str(t), d, g, r, c] for t, d, g, r, c in ZENDESK]
    return rows


def zendesk_api() -> bytes:
    ratings = []
    for i, (ticket, day, group, rating, comment) in enumerate(ZENDESK):
        ratings.append(
            {
                "url": f"https://example.zendesk.com/api/v2/satisfaction_ratings/{90000 + i}.json",
                "id": 90000 + i,
                "assignee_id": 3000 + i % 3,
                "group_id": 200 if group == "Billing" else 201,
                "requester_id": 7000 + i,
                "ticket_id": ticket,
                "score": rating.lower(),
                "comment": comment or None,
                "reason": "Issue took too long to resolve" if rating == "Bad" and i == 1 else None,
                "reason_id": 1001 if rating == "Bad" and i == 1 else None,
                "created_at": f"{day}T1{i}:0{i}:00Z",
                "updated_at": f"{day}T1{i}:3{i}:00Z",
            }
        )
    payload = {
        "satisfaction_ratings": ratings,
        "next_page": None,
        "previous_page": None,
        "count": len(ratings),
    }
    return json.dumps(payload, indent=2).encode()


# (response id, score 0-10, comment, created (Unix seconds), email, plan, country)
DELIGHTED = [
    ("5001", 10, "Support answers in minutes", 1741600000, "ana@example.com", "Pro", "ES"),
    ("5002", 9, "", 1741700000, "luis@example.com", "Basic", "ES"),
    ("5003", 6, "Too many emails from you", 1741800000, "mary@example.com", "Basic", "UK"),
    ("5004", 8, "Works as expected", 1741900000, "joao@example.com", "Pro", "PT"),
    ("5005", 0, "Cancelled: the price doubled", 1742000000, "li@example.com", "Basic", "UK"),
    ("5006", 10, "", 1742100000, "sara@example.com", "Pro", "ES"),
    ("5007", 7, "", 1742200000, "omar@example.com", "Basic", "PT"),
    ("5008", 3, "The app logs me out every day", 1742300000, "eva@example.com", "Pro", "ES"),
]


def delighted_csv() -> list[list]:
    rows = [["Response ID", "Score", "Comment", "Permalink", "Created", "Updated", "Person ID", "Name"]]
    rows[0] += ["Email", "Delighted Source", "Plan", "Country", "Tags", "Notes"]
    for rid, score, comment, created, email, plan, country in DELIGHTED:
        stamp = dt.datetime.fromtimestamp(created, dt.timezone(dt.timedelta(hours=-7)))
        rows.append(
            [
                rid,
                str(score),
                comment,
                f"https://delighted.com/r/{rid}",
                stamp.strftime("%Y-%m-%d %H:%M:%S %z"),
            ]
            + [stamp.strftime("%Y-%m-%d %H:%M:%S %z"), f"p{rid}", "", email, "Email", plan, country, "", ""]
        )
    return rows


def delighted_api() -> bytes:
    records = []
    for rid, score, comment, created, email, plan, country in DELIGHTED:
        records.append(
            {
                "id": rid,
                "person": {"id": f"p{rid}", "email": email, "name": None, "created_at": created - 86_400},
                "survey_type": "nps",
                "score": score,
                "comment": comment or None,
                "permalink": f"https://delighted.com/r/{rid}",
                "created_at": created,
                "updated_at": created + 60,
                "person_properties": {"Delighted Source": "Email", "Plan": plan, "Country": country},
                "notes": [{"id": "n1", "text": "called back", "user_email": "team@example.com"}]
                if rid == "5005"
                else [],
                "tags": ["churn-risk"] if score <= 6 else [],
                "additional_answers": [],
            }
        )
    return json.dumps(records, indent=2).encode()


# --------------------------------------------------------------------------------------------------
# A hand-made Spanish workbook: a summary sheet, a title and a blank row above the header, merged region
# cells, answers in words, 12-hour Spanish times, an average row under the data, a notes sheet.
# --------------------------------------------------------------------------------------------------

# (nº, date text, region (merged per block), store, nps, satisfaction words, comment)
HANDMADE = [
    (1, "03/02/2025 9:15 a. m.", "Norte", "Gijón", 9, "Muy satisfecho", "Muy buena atención"),
    (2, "04/02/2025 1:30 p. m.", "Norte", "Oviedo", 10, "Muy satisfecho", ""),
    (3, "05/02/2025 6:05 p. m.", "Norte", "Gijón", 4, "Insatisfecho", "Tardaron mucho en atenderme"),
    (4, "10/02/2025 12:45 p. m.", "Norte", "Oviedo", 8, "Satisfecho", ""),
    (5, "12/02/2025 11:00 a. m.", "Sur", "Sevilla", 6, "Ni satisfecho ni insatisfecho", "Precio alto"),
    (6, "14/02/2025 7:20 p. m.", "Sur", "Cádiz", 2, "Muy insatisfecho", "Producto defectuoso y sin solución"),
    (7, "17/02/2025 10:10 a. m.", "Sur", "Sevilla", 9, "Satisfecho", "Todo correcto"),
    (8, "20/02/2025 4:40 p. m.", "Sur", "Cádiz", 10, "Muy satisfecho", ""),
    (9, "25/02/2025 8:00 p. m.", "Sur", "Sevilla", 7, "Satisfecha", "Bien en general"),
]


def handmade_workbook() -> bytes:
    header = ["Nº", "Fecha", "Región", "Tienda", "Recomendación (0-10)", "Satisfacción", "Comentario"]
    rows = [["Encuesta de satisfacción de clientes – febrero 2025"], [], header]
    for n, date, region, store, nps, sat, comment in HANDMADE:
        rows.append([n, date, region if n in (1, 5) else "", store, nps, sat, comment])
    rows.append(["Media", "", "", "", 7.22, "", ""])
    summary = [["Región", "Respuestas", "NPS"], ["Norte", 4, 25], ["Sur", 5, 20]]
    notes = [["Notas"], ["Encuesta enviada por correo a clientes de febrero."]]
    # The title merged across the table; region cells merged over each block (rows 4-7 Norte, 8-12 Sur).
    title = rows[0][0]
    merges = {"Respuestas": [(0, 0, 0, 6, title), (3, 2, 6, 2, "Norte"), (7, 2, 11, 2, "Sur")]}
    return xlsx_bytes({"Resumen": summary, "Respuestas": rows, "Notas": notes}, merges)


# --------------------------------------------------------------------------------------------------
# Review and social exports: stars, a Label column, a sentiment column, id-like review ids, epoch times
# --------------------------------------------------------------------------------------------------

# (review id, epoch milliseconds, stars, review)
REVIEWS = [
    ("es_cafe_casa_7_JoseLuis_2015-02-16", 1424044800000, "★★★★★", "El mejor café del barrio, volveré"),
    ("es_cafe_casa_7_Marta_2015-03-02", 1425254400000, "★★★★☆", "Buen café aunque algo caro"),
    ("es_cafe_casa_7_Pedro_2015-03-20", 1426809600000, "★★☆☆☆", "Tardaron mucho y el croissant estaba seco"),
    ("es_cafe_casa_7_Lucia_2015-04-11", 1428710400000, "★☆☆☆☆", "Trato muy desagradable del camarero"),
    ("es_cafe_casa_7_Ines_2015-05-01", 1430438400000, "★★★☆☆", "Normal, sin más"),
    ("es_cafe_casa_7_Raul_2015-05-23", 1432339200000, "★★★★★", "Terraza preciosa y muy buena atención"),
]


def reviews_stars() -> list[list]:
    rows = [["review_id", "fecha", "Estrellas", "Reseña"]]
    rows += [[rid, str(ms), stars, text] for rid, ms, stars, text in REVIEWS]
    return rows


# (Label 1-5, date or bare year, text)
LABELLED = [
    (5, "2021", "Great hotel, spotless rooms and a kind reception team"),
    (4, "2021", "Nice location, breakfast could be better"),
    (2, "2022-06-14", "The room smelled of smoke and the air conditioning was broken"),
    (1, "2022-07-01", "They lost our booking and charged us anyway"),
    (3, "2023", "An average stay, nothing special to report"),
    (5, "2023-08-19", "Wonderful staff, we will come back next summer"),
    (4, "2024-01-05", "Comfortable beds and a quiet street"),
]


def labelled_reviews() -> list[list]:
    return [["Date", "Label", "Text"]] + [[d, str(label), t] for label, d, t in LABELLED]


# (tweet id, created at (some with a zone, some without), sentiment, airline, text)
TWEETS = [
    (
        "1890001",
        "2025-02-01T08:15:00Z",
        "negativo",
        "Iberia",
        "Otra vez retraso de dos horas y sin explicación",
    ),
    ("1890002", "2025-02-01 09:20:00", "positivo", "Vueling", "Tripulación encantadora, vuelo puntual"),
    (
        "1890003",
        "2025-02-02T10:00:00+01:00",
        "neutro",
        "Iberia",
        "¿Alguien sabe si hay wifi en el vuelo a Lima?",
    ),
    ("1890004", "2025-02-03 18:45:00", "Negativo", "Vueling", "Me han perdido la maleta, nadie responde"),
    (
        "1890005",
        "2025-02-04T21:30:00-05:00",
        "POSITIVO",
        "Iberia",
        "Gracias por cambiarme el asiento tan rápido",
    ),
    ("1890006", "2025-02-05 07:05:00", "negativo", "Iberia", "Cancelado sin aviso, vergonzoso"),
    ("1890007", "2025-02-06T12:00:00Z", "neutro", "Vueling", "Embarcando ya en Barcelona"),
]


def tweets_sentiment() -> list[list]:
    rows = [["tweet_id", "created_at", "sentimiento", "aerolinea", "texto"]]
    rows += [list(t) for t in TWEETS]
    return rows


def build() -> dict[str, bytes]:
    return {
        "qualtrics_numeric.csv": csv_bytes(qualtrics_rows(choice_text=False), encoding="utf-8-sig"),
        "qualtrics_choice_text.csv": csv_bytes(qualtrics_rows(choice_text=True), encoding="utf-8-sig"),
        "qualtrics_legacy.csv": csv_bytes(qualtrics_legacy()),
        "qualtrics_es_utf16.tsv": csv_bytes(
            qualtrics_rows(choice_text=True, spanish=True), sep="\t", encoding="utf-16"
        ),
        "surveymonkey.csv": csv_bytes(surveymonkey_rows()),
        "surveymonkey.xlsx": xlsx_bytes({"Sheet": surveymonkey_rows()}),
        "google_forms_en.csv": csv_bytes(google_forms(spanish=False)),
        "google_forms_es.csv": csv_bytes(google_forms(spanish=True)),
        "microsoft_forms_en.xlsx": xlsx_bytes({"Sheet1": microsoft_forms(spanish=False)}),
        "microsoft_forms_es.xlsx": xlsx_bytes({"Hoja1": microsoft_forms(spanish=True)}),
        "typeform.csv": csv_bytes(typeform_rows()),
        "zendesk_explore.csv": csv_bytes(zendesk_explore()),
        "zendesk_api.json": zendesk_api(),
        "delighted.csv": csv_bytes(delighted_csv()),
        "delighted_api.json": delighted_api(),
        "spanish_handmade.xlsx": handmade_workbook(),
        "reviews_stars.csv": csv_bytes(reviews_stars()),
        "labelled_reviews.csv": csv_bytes(labelled_reviews()),
        "tweets_sentiment.csv": csv_bytes(tweets_sentiment()),
    }


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
    print(f"{len(build())} files in {HERE}")


if __name__ == "__main__":
    main()
