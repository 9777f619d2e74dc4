"""The interface in Spanish and Galician: complete catalogues, local numbers and dates, the app and the CLI."""

import datetime as dt
import json
import string

import pytest

import cx.strings as strings
from cx import i18n
from cx.metrics import metrics_by
from cx.tables import areas_display, display_table, fmt_nps, fmt_pct, interval_caption
from tests.test_metrics import frame_of

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]


def catalogues() -> dict[str, i18n.Catalogue]:
    return {
        name: value for name in dir(strings) if isinstance(value := getattr(strings, name), i18n.Catalogue)
    }


def fields(text: str) -> list[str]:
    """The placeholders of a format string, with their format specs: ["n:,", "metric"]."""
    return sorted(f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


@pytest.fixture
def lang():
    """Set the language of the test; English again afterwards."""
    yield i18n.set_language
    i18n.set_language("en")


def test_every_dict_of_the_strings_module_is_a_catalogue():
    names = set(catalogues())
    assert {"ERRORS", "REASONS", "NOTES", "METRICS", "TABLES", "UI", "GRANULARITIES"} <= names


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_key_is_translated_with_the_same_placeholders(language):
    data = json.loads((i18n.LOCALES / f"{language}.json").read_text(encoding="utf-8"))
    missing, wrong = [], []
    for name, catalogue in catalogues().items():
        local = data.get(name, {})
        for key, english in catalogue.english.items():
            if key not in local:
                missing.append(f"{name}.{key}")
            elif isinstance(english, str) and fields(local[key]) != fields(english):
                wrong.append(f"{name}.{key}: {fields(local[key])} != {fields(english)}")
            elif isinstance(english, list) and len(local[key]) != len(english):
                wrong.append(f"{name}.{key}: {len(local[key])} items, not {len(english)}")
        stale = set(local) - set(catalogue.english)
        assert not stale, f"{language}: {name} translates keys English no longer has: {sorted(stale)}"
    assert not missing, f"{language} lacks {missing}"
    assert not wrong, f"{language} placeholders differ: {wrong}"


def test_the_seed_vocabulary_is_used(lang):
    lang("es")
    assert strings.UI["split_title"] == "Promotores, pasivos y detractores"
    assert "satisfacción" in strings.METRICS["csat_help"].lower()
    assert strings.METRICS["passive"] == "Pasivos (7–8)"
    lang("gl")
    assert strings.UI["split_title"] == "Promotores, pasivos e detractores"
    assert strings.METRICS["detractor"] == "Detractores (0–6)"


def test_the_catalogue_answers_in_the_language_of_the_run_and_falls_back_to_english(lang):
    assert strings.UI["page_overview"] == "Overview"
    lang("es")
    assert strings.UI["page_overview"] == "Resumen" and strings.GRANULARITIES["quarter"] == "Trimestre"
    lang("gl")
    assert strings.UI["page_overview"] == "Resumo" and strings.UI.get("page_trends") == "Tendencias"
    # A key someone adds later shows in English until it is translated.
    strings.UI.english["added_later_for_test"] = "Only in English"
    try:
        assert strings.UI["added_later_for_test"] == "Only in English"
    finally:
        del strings.UI.english["added_later_for_test"]
    lang("fr")  # not a language of the app: English
    assert i18n.language() == "en" and strings.UI["page_overview"] == "Overview"


def test_translated_text_writes_its_numbers_the_local_way(lang):
    assert (
        strings.UI["filter_count"].format(n=1234, total=56789)
        == "1,234 of 56,789 responses match the filters."
    )
    lang("es")
    assert (
        strings.UI["filter_count"].format(n=1234, total=56789)
        == "1.234 de 56.789 respuestas cumplen los filtros."
    )
    assert strings.UI["reading"].format(name="a.csv", size=1.53) == "Leyendo a.csv (1,5 MB)…"
    import numpy as np

    assert strings.NOTES["year_only"].format(n=np.int64(1234)).startswith("1.234 fechas son solo un año")
    lang("gl")
    assert (
        strings.UI["themes_progress"].format(done=1200, total=3000)
        == "Procesando comentarios: 1.200 de 3.000"
    )
    import copy
    import pickle

    text = strings.UI["filter_count"]  # st.cache_data pickles what it keeps; a translated text survives it
    for clone in (pickle.loads(pickle.dumps(text)), copy.deepcopy(text)):
        assert clone == text and clone.format(n=1234, total=2000).startswith("1.234 de 2.000")


def test_locales_choose_the_language():
    assert i18n.from_locale("es-ES") == "es" and i18n.from_locale("es_AR.UTF-8") == "es"
    assert i18n.from_locale("gl-ES") == "gl" and i18n.from_locale("GL") == "gl"
    assert (
        i18n.from_locale("en-GB") == "en"
        and i18n.from_locale("pt-BR") == "en"
        and i18n.from_locale(None) == "en"
    )


def test_environment_locale_is_the_cli_default(monkeypatch):
    for name in ("CX_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert i18n.environment_language() == "en"
    monkeypatch.setenv("LANG", "gl_ES.UTF-8")
    assert i18n.environment_language() == "gl"
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")  # LC_ALL wins over LANG, as in POSIX
    assert i18n.environment_language() == "es"
    monkeypatch.setenv("CX_LANG", "gl")  # the app's own setting wins over the locale
    assert i18n.environment_language() == "gl"


def test_numbers_intervals_and_dates_follow_the_locale(lang):
    lang("es")
    assert i18n.number(4.06, 1) == "4,1" and i18n.number(1234) == "1.234" and i18n.number(-4.2, 1) == "−4,2"
    assert fmt_nps(16.4) == "+16" and fmt_nps(-41.6) == "−42" and fmt_pct(67.6) == "68 %"
    assert i18n.month_year(dt.date(2025, 3, 1)) == "marzo de 2025"
    s = {"n_nps": 1234, "nps_low": 1.2, "nps_high": 7.0}
    assert interval_caption(s, "nps", 30) == "IC 95 %: +1 a +7 · n = 1.234"
    c = {"n_csat": 12, "csat_low": 71.2, "csat_high": 80.0, "csat_mean": 4.0612}
    assert interval_caption(c, "csat", 30) == (
        "IC 95 %: 71–80 % · n = 12 · media 4,06 · n < 30: muy pocas respuestas para fiarse"
    )
    lang("gl")
    assert i18n.month_year(dt.date(2025, 3, 1)) == "marzo de 2025" and i18n.number(1234.5, 1) == "1.234,5"
    lang("en")
    assert i18n.month_year(dt.date(2025, 3, 1)) == "March 2025" and i18n.number(1234.5, 1) == "1,234.5"


def test_tables_have_local_headers_and_periods(lang):
    f = frame_of(nps=[10, 0, 9], date=["2025-07-03", "2025-07-30", "2025-10-01"])
    lang("es")
    table = display_table(metrics_by(f, "quarter", min_n=2), "nps", "quarter")
    assert list(table["periodo"]) == ["T3 2025", "T4 2025"]
    assert list(table["muestra"]) == ["", "muy pocas"] and "IC 95 % inf." in table.columns
    monthly = display_table(metrics_by(f, "month", min_n=2), "nps", "month")
    assert list(monthly["periodo"]) == ["jul 2025", "oct 2025"]
    lang("gl")
    assert list(display_table(metrics_by(f, "quarter", min_n=2), "nps", "quarter")["período"]) == [
        "T3 2025",
        "T4 2025",
    ]


def test_area_table_says_yes_and_no_in_the_language(lang):
    import pandas as pd

    table = pd.DataFrame(
        {
            "label": ["region = Norte"],
            "n": [40],
            "score": [10.0],
            "low": [1.0],
            "high": [20.0],
            "rest_score": [30.0],
            "gap": [-20.0],
            "impact": [-2.5],
            "significant": [True],
        }
    )
    lang("gl")
    shown = areas_display(table, "nps")
    assert list(shown["significativa"]) == ["si"] and "NPS do resto" in shown.columns


def test_d3_locale_gives_charts_the_same_separators():
    es = i18n.d3_locale("es")
    assert es["number"]["decimal"] == "," and es["number"]["thousands"] == "."
    assert es["time"]["months"][2] == "marzo" and es["time"]["days"][1] == "lunes"
    assert i18n.d3_locale("en")["number"]["decimal"] == "."


# ----------------------------------------------------------------------------------------------
# The app in Spanish and Galician (AppTest)
# ----------------------------------------------------------------------------------------------

APP_PAGES = [
    "overview",
    "trends",
    "segments",
    "areas",
    "themes",
    "changes",
    "codeframe",
    "data",
    "export",
    "present",
]
# Proto fields that hold no reader-visible text (chart specs, ids, enums).
NOT_TEXT = {
    "data",
    "arrowData",
    "spec",
    "datasets",
    "id",
    "formId",
    "type",
    "styles",
    "icon",
    "useContainerWidth",
}


def shown_texts(at) -> list[str]:
    """Every string of every element on the page and in the sidebar: labels, help, options, values, headers."""
    from google.protobuf.json_format import MessageToDict

    out: list[str] = []

    def strings(value) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in NOT_TEXT:
                    strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    def walk(node) -> None:
        if type(node).__name__ == "Dataframe":
            out.extend(map(str, node.value.columns))
        elif getattr(node, "proto", None) is not None:
            strings(MessageToDict(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def english_leaks(texts: list[str]) -> set[str]:
    """Catalogue keys whose English text shows although the active language translates it differently.

    A text with placeholders is looked for by its longest literal part (at least 12 characters);
    a short one only as a whole label, so "NPS" or "Web" in the data never counts.
    """
    leaks = set()
    local = {str(c[k]) for c in catalogues().values() for k in c}  # Galician "Data" (a date) is no leak
    texts = [t for t in texts if t.strip() not in local]
    for name, catalogue in catalogues().items():
        for key, english in catalogue.english.items():
            if not isinstance(english, str) or catalogue[key] == english:
                continue
            part = max((p for p, *_ in string.Formatter().parse(english)), key=len).strip()
            if len(part) < 4 or (len(part) < 12 and part[0].islower() and " " not in part):
                continue  # a fragment such as "comment" is also a column name of the sample: not a label
            if any((part in t) if len(part) >= 12 else (part == t.strip()) for t in texts):
                leaks.add(f"{name}.{key}: {part!r}")
    return leaks


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_page_of_the_sample_shows_no_english_ui_text(language, lang):
    from tests.test_app import assert_clean, new_app, page

    lang(language)  # AppTest reads widget labels back in this thread too
    at = new_app()
    at.query_params["lang"] = language
    at.run()
    assert_clean(at)
    for page_id in APP_PAGES:
        if page_id != "overview":
            at.switch_page(page(page_id)).run()
        assert_clean(at)
        texts = shown_texts(at)
        assert len(texts) > 20, page_id
        assert not english_leaks(texts), (page_id, english_leaks(texts))
        assert strings.UI[f"page_{page_id}"] in texts or page_id == "present", page_id
        assert at.query_params["lang"] in (language, [language])  # the link keeps the language


def effort_file() -> bytes:
    """Dated comments with CES and sentiment, no NPS or CSAT: the metrics main added for score-less files."""
    rows = ["id,date,ces,sentiment,region,comment"]
    for i in range(240):
        tone = ("negative", "neutral", "positive")[i % 3]
        rows.append(
            f"{i},2025-{1 + i % 6:02d}-{1 + i % 27:02d},{1 + i % 7},{tone},{'NSE'[i % 3]},el envío {i % 5}"
        )
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_file_without_scores_shows_ces_and_sentiment_in_the_language(language, lang):
    from tests.test_app import assert_clean, captions, new_app, page

    lang(language)
    at = new_app()
    at.query_params["lang"] = language
    at.run()
    at.file_uploader(key="uploads").set_value(("esforzo.csv", effort_file(), "text/csv")).run()
    assert_clean(at)
    labels = [m.label for m in at.metric]
    assert strings.METRICS["sentiment"] in labels and "CES" in labels and "NPS" not in labels
    easy = {"es": "fácil (5–7)", "gl": "doado (5–7)"}[language]
    assert easy in captions(at) and "easy (5–7)" not in captions(at)
    assert "IC 95 %" in captions(at)
    for page_id in ["overview", "trends", "segments", "areas", "present"]:
        at.switch_page(page(page_id)).run()
        assert_clean(at)
        assert not english_leaks(shown_texts(at)), (page_id, english_leaks(shown_texts(at)))


@pytest.mark.parametrize("language", TRANSLATED)
def test_what_changed_says_its_sentence_and_tables_in_the_language(language, lang):
    from tests.test_app import assert_clean, new_app, page

    lang(language)
    at = new_app()
    at.query_params["lang"] = language
    at.run()
    at.switch_page(page("changes")).run()
    assert_clean(at)
    sentence = at.text[0].value
    verbs = {
        "es": ("NPS subió", "NPS bajó", "NPS no cambió"),
        "gl": ("NPS subiu", "NPS baixou", "NPS non cambiou"),
    }
    assert sentence.startswith(verbs[language]), sentence
    assert " pts" not in sentence and "significant" not in sentence
    headers = [str(c) for d in at.dataframe for c in d.value.columns]
    assert strings.CHANGES["segment"] in headers and strings.CHANGES["alert"] in headers
    assert "segment" not in headers and "alert" not in headers


def test_a_link_keeps_its_language_and_the_picker_changes_it(lang):
    from tests.test_app import assert_clean, captions, new_app, page, url

    lang("gl")
    at = new_app()
    at.query_params["lang"] = "gl"
    at.run()
    assert_clean(at)
    assert at.title[0].value == "Resumo"
    assert "4.120 de 4.120 respostas cumpren os filtros." in captions(at)
    assert next(m.value for m in at.metric if m.label == "Respostas") == "4.120"
    assert url(at)["lang"] == ["gl"]
    at.switch_page(page("export")).run()
    assert "lang=gl" in at.link_button[0].proto.url  # the presentation link is in Galician too
    at.selectbox(key="cx_lang").set_value("es").run()
    assert url(at)["lang"] == ["es"]
    lang("es")
    at.switch_page(page("overview")).run()
    assert at.title[0].value == "Resumen" and url(at)["lang"] == ["es"]


def test_without_lang_in_the_link_the_app_follows_the_browser(monkeypatch):
    from tests.test_app import assert_clean, new_app, url

    at = new_app().run()  # AppTest has no browser locale: English, and the link says so
    assert_clean(at)
    assert at.title[0].value == "Overview" and url(at)["lang"] == ["en"]


def test_the_language_travels_in_the_view_and_a_wrong_one_is_dropped():
    from cx.view import View

    view = View.from_params({"lang": "GL", "q": "envío"})
    assert view.lang == "gl" and View.from_params(view.to_params()).lang == "gl"
    assert "lang=gl" in view.query_string()
    assert View.from_params({"lang": "<script>"}).lang == "" and "lang" not in View().to_params()


def test_the_cli_speaks_spanish_with_lang_and_keeps_json_in_english(tmp_path, capsys, lang):
    from cx.__main__ import main

    path = tmp_path / "encuesta.csv"
    path.write_text("id,nps,comentario\n1,9,bien\n2,,\n3,3,mal\n", encoding="utf-8")
    assert main(["inspect", str(path), "--format", "text", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert (
        "Filas leídas: 3" in out
        and "Filas rechazadas: 1" in out
        and "  sin puntuación ni comentario válidos: 1" in out
    )
    assert main(["--lang", "gl", "inspect", str(path), "--format", "text"]) == 0
    assert (
        "Filas rexeitadas por motivo:\n  sen puntuación nin comentario válidos: 1" in capsys.readouterr().out
    )
    assert main(["inspect", str(path), "--format", "json", "--lang", "es"]) == 0
    assert json.loads(capsys.readouterr().out)["rejected_by_reason"] == {"no valid score or comment": 1}
    empty = tmp_path / "vacio.csv"
    empty.write_text("", encoding="utf-8")
    assert main(["inspect", str(empty), "--format", "text", "--lang", "es"]) == 2
    assert capsys.readouterr().err.startswith("error: vacio.csv está vacío: exporte de nuevo la encuesta")


def test_the_review_report_is_written_in_the_language(lang):
    from cx.io import read_file
    from cx.report import review_report
    from cx.schema import build_dataset

    sample = build_dataset(read_file(i18n.LOCALES.parent / "data" / "sample_survey.csv"))
    lang("gl")
    html = review_report(
        sample.frame, source="mostra.csv", filter_summary="-", min_n=30, segments=["region"], themes=None
    )
    assert '<html lang="gl">' in html and "<h2>Áreas máis baixas</h2>" in html
    assert "IC 95 %: +14 a +18 · n = 4.120" in html and '<div class="v">4.120</div>' in html
    assert "por debaixo do resto" in html and "Lowest areas" not in html and "comments" not in html


def test_a_deferred_download_is_made_in_the_language_of_the_page(lang):
    import threading

    lang("es")
    make = i18n.keep_language(lambda: strings.UI["report_download"])
    lang("en")
    made = []
    thread = threading.Thread(target=lambda: made.append(make()))  # as Streamlit runs it: another thread
    thread.start()
    thread.join()
    assert made == ["Descargar informe (HTML)"] and strings.UI["report_download"] == "Download report (HTML)"


# ----------------------------------------------------------------------------------------------
# The filter line, period labels, churn, drivers, exports and the CLI's lines in the language
# ----------------------------------------------------------------------------------------------


def test_the_filter_line_reads_in_spanish_and_stays_the_same_in_english(lang):
    from cx.filters import Filters

    f = Filters(date_from=dt.date(2025, 3, 1), nps_groups=["detractor"], keyword="envío")
    english = f.summary()
    assert english == 'date 2025-03-01 – …; NPS group: detractor; comments containing "envío"'
    lang("es")
    assert f.summary() == 'fecha 1 mar 2025 – …; grupo NPS: detractores; comentarios que contienen "envío"'
    assert Filters().summary() == "sin filtro"
    lang("gl")
    assert Filters().summary() == "sen filtro" and "grupo NPS: detractores" in f.summary()


def test_chart_period_labels_name_spanish_months_and_quarters(lang):
    import pandas as pd

    from cx.metrics import period_labels

    starts = pd.Series(pd.to_datetime(["2025-03-01", "2025-07-01"]))
    assert list(period_labels(starts, "month")) == ["Mar 2025", "Jul 2025"]
    assert list(period_labels(starts, "quarter")) == ["Q1 2025", "Q3 2025"]
    lang("es")
    assert list(period_labels(starts, "month")) == ["mar 2025", "jul 2025"]
    assert list(period_labels(starts, "quarter")) == ["T1 2025", "T3 2025"]
    assert list(period_labels(starts, "week")) == ["1 mar 2025", "1 jul 2025"]


def churned_by_group():
    import pandas as pd

    from cx.churn import churn_by_group

    groups = ["detractor"] * 100 + ["passive"] * 50 + ["promoter"] * 100
    left = [True] * 40 + [False] * 60 + [True] * 10 + [False] * 40 + [True] * 5 + [False] * 95
    return churn_by_group(pd.DataFrame({"nps_group": groups, "churned": left}))


def test_the_churn_sentence_and_table_speak_galician(lang):
    from cx.churn import churn_sentence, churn_table

    table, diff = churned_by_group()
    english = churn_table(table)
    assert list(english.columns) == ["NPS group", "left", "n", "churn %", "95 % low", "95 % high"]
    lang("gl")
    shown = churn_table(table)
    assert list(shown.columns) == ["grupo NPS", "baixas", "n", "% de baixa", "IC 95 % inf.", "IC 95 % sup."]
    assert list(shown["grupo NPS"]) == ["Detractores (0–6)", "Pasivos (7–8)", "Promotores (9–10)"]
    assert list(shown["% de baixa"]) == [40.0, 20.0, 5.0]
    sentence = churn_sentence(diff, table)
    assert sentence.startswith(
        "Os detractores déronse de baixa o 40,0 % das veces (n = 100), os promotores o 5,0 %"
    )
    assert sentence.endswith(", significativa).") and "pts máis" in sentence


def test_driver_notes_and_errors_a_user_reads_are_spanish(lang):
    from cx.changes import parse_period
    from cx.churn import churn_from_counts
    from cx.drivers import key_drivers
    from cx.io import InputError, read_bytes
    from cx.schema import build_dataset
    from tests.test_drivers import correlated_survey

    d = build_dataset(read_bytes(correlated_survey(n=20).to_csv(index=False).encode(), "poca.csv"))
    lang("es")
    with pytest.raises(InputError, match="^20 respuestas de NPS: los factores clave necesitan al menos 30"):
        key_drivers(d)
    with pytest.raises(InputError, match="no se entiende; use AAAA-MM"):
        parse_period("marzo")
    with pytest.raises(InputError, match="entraron clientes nuevos"):
        churn_from_counts(450, 500)
    assert (
        strings.DRIVERS["left_out"].format(name="staff", share=0.4)
        == "staff queda fuera: la responde el 40 % de las filas"
    )
    lang("en")
    assert (
        strings.DRIVERS["left_out"].format(name="staff", share=0.4)
        == "staff left out: answered by 40% of the rows"
    )


def test_exports_keep_stable_headers_unless_translated_headers_is_asked(tmp_path, capsys, lang):
    import io

    import openpyxl
    import pandas as pd

    from cx.__main__ import main

    path = tmp_path / "encuesta.csv"
    rows = ["id,date,nps,csat,region,comment"]
    rows += [
        f"{i},2025-0{1 + i % 3}-0{1 + i % 9},{i % 11},{1 + i % 5},{'NS'[i % 2]},bien {i}" for i in range(60)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    plain, translated = tmp_path / "plain.csv", tmp_path / "translated.csv"
    assert main(["export", str(path), "--out", str(plain), "--lang", "es"]) == 0
    assert main(["export", str(path), "--out", str(translated), "--lang", "es", "--translated-headers"]) == 0
    stable = pd.read_csv(plain, encoding="utf-8-sig")
    spanish = pd.read_csv(translated, encoding="utf-8-sig")
    assert "nps_group" in stable.columns and "grupo NPS" not in stable.columns  # the default stays stable
    assert "grupo NPS" in spanish.columns and "nps_group" not in spanish.columns
    assert "nps" in spanish.columns and "csat" in spanish.columns  # the file's own columns keep their names
    assert list(spanish["grupo NPS"]) == list(stable["nps_group"]) and len(spanish) == 60
    book_path = tmp_path / "libro.xlsx"
    assert main(["export", str(path), "--out", str(book_path), "--lang", "es", "--translated-headers"]) == 0
    book = openpyxl.load_workbook(io.BytesIO(book_path.read_bytes()))
    assert book.sheetnames[:4] == ["respuestas", "global", "por segmento", "por mes"]
    assert "% promotores" in [c.value for c in book["global"][1]]
    assert "mes" in [c.value for c in book["por mes"][1]]
    assert main(["export", str(path), "--out", str(book_path), "--lang", "en"]) == 0
    book = openpyxl.load_workbook(io.BytesIO(book_path.read_bytes()))
    assert book.sheetnames[:4] == ["responses", "overall", "by segment", "by month"]
    assert "promoters" in [c.value for c in book["overall"][1]]


def test_the_export_page_offers_translated_headers_and_the_link_keeps_it(lang):
    from tests.test_app import assert_clean, new_app, page, url

    lang("es")
    at = new_app()
    at.query_params["lang"] = "es"
    at.run()
    at.switch_page(page("export")).run()
    assert_clean(at)
    box = at.checkbox(key="export.translated")
    assert box.label.startswith("Encabezados de columna traducidos") and box.value is False
    assert "export.translated" not in url(at)
    box.check().run()
    assert url(at)["export.translated"] == ["yes"]


def test_the_cli_prints_changes_alerts_and_drivers_in_spanish(tmp_path, capsys):
    from cx.__main__ import main
    from tests.test_drivers import correlated_survey

    sample = str(i18n.LOCALES.parent / "data" / "sample_survey.csv")
    assert main(["changes", sample, "--format", "text", "--bootstrap", "20", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "Partes mayores (2026-02 → 2026-03, intervalos bootstrap del 95 %):" in out
    assert "  channel = Web (puntuación propia), n 64 → 69" in out and "Largest parts" not in out
    assert main(["alerts", sample, "--format", "text", "--period", "week", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "  2025-W05  caída de puntuación – NPS global: −15,1 frente a 26,8 esperado (n 53" in out
    path = tmp_path / "factores.csv"
    correlated_survey().to_csv(path, index=False)
    assert main(["drivers", str(path), "--format", "text", "--bootstrap", "20", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("R² 0,625 sobre 1.500 respuestas; importancia = % de R² (pesos relativos")
    assert "  speed (valoración, puntuación 39,3)" in out and "rating" not in out
    assert main(["drivers", str(path), "--format", "text", "--bootstrap", "20", "--lang", "en"]) == 0
    assert "  speed (rating, score 39.3)" in capsys.readouterr().out


def test_the_importance_performance_chart_names_its_quadrants_in_galician(lang):
    import pandas as pd

    from cx.drivers import quadrant_chart

    table = pd.DataFrame(
        {
            "driver": list("abcd"),
            "importance": [40, 30, 5, 3],
            "score": [20.0, 80, 10, 90],
            "low": 0,
            "high": 1,
        }
    )
    lang("gl")
    spec = json.dumps(quadrant_chart(table).to_dict(), ensure_ascii=False)
    assert "corrixir primeiro" in spec and "Importancia (% de R²)" in spec
    assert "fix first" not in spec and "Performance" not in spec
