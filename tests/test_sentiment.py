"""The shipped "likely negative" estimate: the real weights from cx/models, the real multilingual encoder."""

import socket

import numpy as np
import pandas as pd
import pytest

from cx import sentiment as sentiment_module
from cx.embed import EmbeddingCache
from cx.io import read_bytes, read_file
from cx.schema import build_dataset
from cx.sentiment import (
    MODEL_FILE,
    add_estimated_sentiment,
    char_ngrams,
    estimate_negative,
    label_negative,
    load_head,
)
from cx.sources import combine
from cx.themes import find_themes

NEGATIVE = {
    "es": "el envío llegó roto y nadie responde",
    "en": "the app crashes every time",
    "pt": "o atendimento foi péssimo",
    "gl": "o servizo foi moi malo",
}
PRAISE = {
    "es": "el envío llegó rápido y el trato fue excelente",
    "en": "the app is great and support was really helpful",
    "pt": "o atendimento foi excelente, muito obrigado",
    "gl": "o servizo foi moi bo, grazas",
}


def test_the_shipped_weights_load_from_the_package_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the sentiment estimate tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    load_head.cache_clear()
    head = load_head()
    assert MODEL_FILE.parent.name == "models" and MODEL_FILE.parent.parent.name == "cx"
    assert MODEL_FILE.stat().st_size < 100_000  # kilobytes, not a model download
    assert head.embed_weights.shape == (512,) and head.embedder == "use-multilingual-v3"
    assert 0 < head.threshold < 1
    p = estimate_negative([NEGATIVE["en"], PRAISE["en"]], cache=EmbeddingCache(None))
    assert label_negative(p).tolist() == [True, False]


@pytest.mark.parametrize("lang", sorted(NEGATIVE))
def test_clear_complaints_are_likely_negative_and_praise_is_not(lang):
    p = estimate_negative([NEGATIVE[lang], PRAISE[lang]])
    assert ((p >= 0) & (p <= 1)).all()
    assert label_negative(p).tolist() == [True, False], (lang, p)
    assert p[0] > p[1] + 0.3


def test_nothing_to_read_gives_no_estimate_and_is_never_negative():
    p = estimate_negative(["", "   ", "https://example.com/x", None, "the app crashes every time"])
    assert np.isnan(p[:4]).all() and not np.isnan(p[4])
    assert label_negative(p).tolist() == [False, False, False, False, True]


def test_add_estimated_sentiment_keeps_rows_and_fills_only_missing_values():
    frame = pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d", "e"],
            "text": pd.array(
                [NEGATIVE["es"], PRAISE["pt"], NEGATIVE["en"], None, NEGATIVE["gl"]], dtype="string"
            ),
            "sentiment": pd.Categorical(["pos", None, None, None, None], categories=["neg", "neu", "pos"]),
        },
        index=[10, 11, 12, 13, 14],
    )
    out = add_estimated_sentiment(frame)
    assert len(out) == 5 and out.index.tolist() == [10, 11, 12, 13, 14]
    assert out["response_id"].tolist() == frame["response_id"].tolist()
    # a value from the file is kept even where the model would disagree; missing text stays unknown
    assert out["sentiment"].tolist()[0] == "pos"
    assert pd.isna(out.loc[13, "sentiment"])
    assert out.loc[12, "sentiment"] == "neg" and out.loc[14, "sentiment"] == "neg"
    # "not likely negative" is not turned into "positive"
    assert pd.isna(out.loc[11, "sentiment"])
    assert out["sentiment_estimated"].tolist() == [False, True, True, False, True]
    assert list(out["sentiment"].cat.categories) == ["neg", "neu", "pos"]
    assert frame["sentiment"].isna().sum() == 4  # the input frame is not changed


def test_add_estimated_sentiment_adds_the_column_when_the_file_has_none():
    frame = pd.DataFrame({"text": pd.array([NEGATIVE["pt"], PRAISE["es"]], dtype="string")})
    out = add_estimated_sentiment(frame)
    assert out["sentiment"].tolist()[0] == "neg" and pd.isna(out["sentiment"].iloc[1])
    assert out["sentiment_estimated"].all()


def test_the_estimate_and_the_themes_share_one_embedding_pass(tmp_path):
    cache = EmbeddingCache(tmp_path)
    texts = [
        "My card arrived two weeks late.",
        "La tarjeta llegó con dos semanas de retraso.",
        "The app crashes when I log in.",
        "La app se cierra al entrar.",
        "Nobody answers the phone.",
        "Nadie contesta al teléfono.",
    ]
    estimate_negative(texts, cache=cache)
    frame = pd.DataFrame({"text": pd.array(texts, dtype="string"), "is_complaint": True})
    result = find_themes(frame, embedder="multilingual", n_themes=2, cache=cache)
    assert result.embedded == 0  # every vector came from the estimate's pass


def test_ngrams_stay_inside_words_and_ignore_case():
    rows, buckets = char_ngrams(["Malo", "malo", "ma lo"])
    first, second, split = (sorted(buckets[rows == i]) for i in range(3))
    assert first == second
    assert first != split  # "ma lo" is two words: no n-gram joins them
    assert len(first) == 5 + 4 + 3  # " malo ": 5 bigrams, 4 trigrams, 3 four-grams


def test_estimate_uses_the_default_cache_when_none_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_LENS_CACHE", str(tmp_path))
    estimate_negative([NEGATIVE["es"]])
    assert (tmp_path / "embeddings.sqlite").exists()  # the themes will find these vectors there


# --- The estimate in build_dataset: files with comments and no NPS, CSAT or sentiment column -------------

COMMENTS = [NEGATIVE[lang] for lang in sorted(NEGATIVE)] + [PRAISE[lang] for lang in sorted(PRAISE)]


def _dataset(tmp_path, columns: dict, **kwargs):
    path = tmp_path / "feedback.csv"
    pd.DataFrame(columns).to_csv(path, index=False)
    return build_dataset(read_file(path), **kwargs)


def test_a_file_with_only_comments_gets_its_complaints_from_the_estimate(tmp_path):
    dates = pd.date_range("2025-01-01", periods=len(COMMENTS) + 1, freq="D").strftime("%Y-%m-%d")
    dataset = _dataset(tmp_path, {"date": dates, "comment": [*COMMENTS, ""]})
    assert dataset.rows_kept + dataset.rows_rejected == len(COMMENTS) + 1
    assert dataset.sentiment_source == "estimated"
    frame = dataset.frame
    # likely negative comments are the complaints; praise is not; never "every comment is a complaint"
    assert frame["is_complaint"].tolist() == [True] * 4 + [False] * 4
    assert frame["sentiment"].tolist()[:4] == ["neg"] * 4 and frame["sentiment"].iloc[4:].isna().all()
    assert frame["sentiment_estimated"].all()
    assert any("4 likely negative" in note for note in dataset.notes)
    assert dataset.report()["sentiment_source"] == "estimated"


def test_files_with_scores_or_a_sentiment_column_are_never_estimated(tmp_path):
    scored = _dataset(tmp_path, {"nps": [0, 10, 9, 3, 10, 10, 9, 10], "comment": COMMENTS})
    assert scored.sentiment_source is None and "sentiment_estimated" not in scored.frame
    assert scored.frame["is_complaint"].tolist() == [True, False, False, True] + [False] * 4
    labelled = _dataset(tmp_path, {"sentiment": ["positive"] * 8, "comment": COMMENTS})
    assert labelled.sentiment_source == "column sentiment"
    assert not labelled.frame["is_complaint"].any()  # the file's own labels win over the model


def test_a_broken_model_keeps_every_row_and_says_why(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("weights missing")

    monkeypatch.setattr(sentiment_module, "estimate_negative", broken)
    dataset = _dataset(tmp_path, {"comment": COMMENTS})
    assert dataset.rows_kept == 8 and dataset.sentiment_source is None
    assert any("could not be estimated" in note and "weights missing" in note for note in dataset.notes)
    off = _dataset(tmp_path, {"comment": COMMENTS}, estimate_sentiment=False)
    assert off.sentiment_source is None and off.frame["is_complaint"].all()


def test_comments_stacked_with_a_survey_keep_their_estimate(tmp_path):
    survey = "response_id,date,nps,region\n" + "\n".join(
        f"R{i},2025-01-{i + 1:02d},{i % 11},North" for i in range(10)
    )
    tickets = "ticket_date,channel,message\n"
    tickets += f"2025-02-01,Email,{NEGATIVE['es']}\n2025-02-02,Email,{PRAISE['en']}\n"
    d, _ = combine(
        [
            build_dataset(read_bytes(tickets.encode(), "t.csv")),
            build_dataset(read_bytes(survey.encode(), "s.csv")),
        ],
        ["t.csv", "s.csv"],
    )
    stacked = d.frame[d.frame["source"] == "t.csv"]
    assert len(d.frame) == 12
    assert stacked["is_complaint"].tolist() == [True, False]  # the praise is no complaint
    assert d.frame.loc[d.frame["source"] == "s.csv", "is_complaint"].sum() == 7  # NPS 0-6
    assert "sentiment_estimated" not in d.roles.segments
    assert d.frame["sentiment_estimated"].dtype == bool
