"""ThemeModel (estimator contract, determinism, degenerate input) and the pipeline on real embeddings."""

import numpy as np
import pandas as pd
import pytest

from cx.embed import MULTILINGUAL, EmbeddingCache, get_embedder
from cx.io import read_file
from cx.schema import build_dataset
from cx.text import clean, stop_words
from cx.themes import ThemeError, ThemeModel, comments_for_themes, find_themes, theme_metrics

TOPICS = {
    "delivery": [
        "my card arrived three weeks late",
        "still waiting for the card to arrive",
        "the new card never came in the post",
        "la tarjeta llegó con tres semanas de retraso",
        "sigo esperando que me llegue la tarjeta",
        "nunca me llegó la tarjeta nueva",
    ],
    "app": [
        "the app crashes every time I log in",
        "app keeps closing when I open it",
        "cannot log in to the app since the update",
        "la app se cierra cada vez que entro",
        "no puedo entrar en la aplicación desde la actualización",
        "la aplicación se bloquea al iniciar sesión",
    ],
    "phone": [
        "waited an hour on the phone and nobody answered",
        "on hold for forty minutes, no one picks up",
        "impossible to reach anyone by phone",
        "esperé una hora al teléfono y nadie contestó",
        "cuarenta minutos en espera y nadie coge el teléfono",
        "imposible hablar con alguien por teléfono",
    ],
    "fees": [
        "they charged me a fee I never agreed to",
        "unexpected maintenance fee on my account",
        "hidden fees every month",
        "me cobraron una comisión que nunca acepté",
        "comisión de mantenimiento inesperada en mi cuenta",
        "comisiones ocultas todos los meses",
    ],
}
TEXTS = [t for texts in TOPICS.values() for t in texts]
TRUTH = [topic for topic, texts in TOPICS.items() for _ in texts]


@pytest.fixture(scope="module")
def vectors():
    return get_embedder(MULTILINGUAL).embed(TEXTS)


def fit(vectors, **kwargs):
    return ThemeModel(stop_words=stop_words(("en", "es")), **kwargs).fit(vectors, TEXTS)


def test_estimator_contract(vectors):
    model = ThemeModel(n_themes=4)
    assert model.n_themes == 4 and not hasattr(model, "labels_")  # __init__ only stores parameters
    assert model.fit(vectors, TEXTS) is model
    assert len(model.labels_) == len(TEXTS) and set(model.labels_) == {1, 2, 3, 4}
    assert list(model.themes_.columns) == ["theme_id", "label", "terms", "n", "share", "quotes"]
    assert list(model.themes_["n"]) == sorted(model.themes_["n"], reverse=True)  # theme 1 is the largest
    assert model.themes_["share"].sum() == pytest.approx(1)
    assert (model.transform(vectors) == model.labels_).mean() >= 0.95


def test_spanish_and_english_complaints_about_the_same_thing_share_a_theme(vectors):
    labels = fit(vectors, n_themes=4).labels_
    for topic in TOPICS:
        members = {labels[i] for i, t in enumerate(TRUTH) if t == topic}
        assert len(members) == 1, (topic, members)
    assert len(set(labels)) == 4


def test_labels_use_the_files_own_words_without_stop_words(vectors):
    model = fit(vectors, n_themes=4)
    labels = " ".join(model.themes_["label"]).lower()
    assert any(w in labels for w in ("card", "tarjeta")) and any(w in labels for w in ("app", "aplicación"))
    for term in (t for terms in model.themes_["terms"] for t in terms):
        assert not set(term.split()) & {"the", "el", "la", "de", "and", "me"}


def test_quotes_are_the_comments_nearest_the_centre(vectors):
    model = fit(vectors, n_themes=4)
    for _, theme in model.themes_.iterrows():
        members = [TEXTS[i] for i in np.flatnonzero(model.labels_ == theme["theme_id"])]
        assert len(theme["quotes"]) == 3 and set(theme["quotes"]) <= set(members)


def test_same_data_same_themes(vectors):
    a, b = fit(vectors), fit(vectors)
    assert (a.labels_ == b.labels_).all() and list(a.themes_["label"]) == list(b.themes_["label"])
    assert a.k_ >= 2 and a.silhouette_


def test_degenerate_inputs_never_raise_unexpectedly(vectors):
    one = ThemeModel().fit(vectors[:1], TEXTS[:1])
    assert one.k_ == 1 and one.themes_.loc[0, "quotes"] == [TEXTS[0]]
    same = ThemeModel().fit(np.repeat(vectors[:1], 500, axis=0), [TEXTS[0]] * 500)
    assert same.k_ == 1 and same.themes_.loc[0, "n"] == 500 and same.themes_.loc[0, "quotes"] == [TEXTS[0]]
    few = ThemeModel(n_themes=10).fit(vectors[:3], TEXTS[:3])
    assert few.k_ <= 3
    with pytest.raises(ThemeError, match="no comments"):
        ThemeModel().fit(np.zeros((0, 512)), [])
    stop = ThemeModel(n_themes=1, stop_words=frozenset({"the", "and"})).fit(
        vectors[:2], ["the and the", "and the"]
    )
    assert stop.themes_.loc[0, "label"]  # falls back to a short quote, never an empty label


@pytest.fixture(scope="module")
def sample():
    return build_dataset(read_file("data/sample_survey.csv")).frame


def test_sample_complaint_themes(sample, tmp_path):
    result = find_themes(sample, cache=EmbeddingCache(tmp_path))
    complaints = comments_for_themes(sample)
    assert (
        len(result.assignments) == len(complaints)
        and sample.loc[result.assignments.index, "is_complaint"].all()
    )
    assert result.embedder == "use-multilingual-v3" and "multilingual" in result.reason
    assert 4 <= result.k <= 16
    labels = " ".join(result.themes["label"]).lower()
    for topic in (("refund",), ("app",), ("rude", "staff"), ("fees", "comisiones", "charged", "cobrado")):
        assert any(word in labels for word in topic), (topic, labels)
    table = theme_metrics(sample, result, min_n=30)
    assert table["n"].sum() == len(complaints) and (table["nps"] < 0).all()
    again = find_themes(sample, cache=EmbeddingCache(tmp_path))
    assert (
        result.embedded > 0
        and again.embedded == 0
        and list(again.themes["label"]) == list(result.themes["label"])
    )
    everything = find_themes(sample, all_comments=True)
    assert len(everything.assignments) == sample["text"].notna().sum()


def test_pii_never_reaches_quotes_or_labels(vectors):
    texts = [clean(f"{t}, write me at juan{i}@mail.com") for i, t in enumerate(TEXTS)]
    model = ThemeModel(n_themes=4, stop_words=stop_words(("en", "es"))).fit(
        get_embedder(MULTILINGUAL).embed(texts), texts
    )
    shown = " ".join(model.themes_["label"]) + " ".join(q for qs in model.themes_["quotes"] for q in qs)
    assert "@mail.com" not in shown and "[email]" in shown and "email" not in " ".join(model.themes_["label"])


def test_no_comments_is_a_plain_message():
    frame = pd.DataFrame({"text": pd.array([None, None], dtype="string"), "is_complaint": [True, True]})
    with pytest.raises(ThemeError, match="no comments to group"):
        find_themes(frame)
