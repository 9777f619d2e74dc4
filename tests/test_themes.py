"""ThemeModel (estimator contract, determinism, degenerate input) and the pipeline on real embeddings."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import check_estimator

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
    return ThemeModel(stop_words=stop_words(("en", "es")), **kwargs).fit(vectors, texts=TEXTS)


def test_estimator_contract(vectors):
    model = ThemeModel(n_themes=4)
    assert model.n_themes == 4 and not hasattr(model, "labels_")  # __init__ only stores parameters
    with pytest.raises(NotFittedError):
        model.predict(vectors)
    assert model.fit(vectors, texts=TEXTS) is model
    assert len(model.labels_) == len(TEXTS) and set(model.labels_) == {1, 2, 3, 4}
    assert model.n_features_in_ == vectors.shape[1] and model.cluster_centers_.shape == (4, vectors.shape[1])
    assert model.kmeans_.n_clusters == 4 and model.smoothing_embeddings_.shape == vectors.shape
    assert list(model.themes_.columns) == [
        *["theme_id", "key", "parent_id", "label", "terms", "n", "share", "quotes", "quote_index"]
    ]
    # four clusters are fewer than the five top themes asked for: each is its own top theme
    assert list(model.themes_["key"]) == ["1.1", "2.1", "3.1", "4.1"] and model.k_top_ == 4
    assert list(model.themes_["n"]) == sorted(model.themes_["n"], reverse=True)  # theme 1 is the largest
    assert model.themes_["share"].sum() == pytest.approx(1)
    assert model.transform(vectors).shape == (len(TEXTS), 4)
    assert (model.fit_predict(vectors, texts=TEXTS) == model.labels_).all()


def test_predict_on_the_training_data_gives_labels_back(vectors):
    for k in (2, 4, "auto"):
        model = fit(vectors, n_themes=k)
        assert (model.predict(vectors) == model.labels_).all(), k
        distances = model.transform(vectors)
        own = distances[np.arange(len(TEXTS)), model.labels_ - 1]
        assert distances.shape == (len(TEXTS), model.k_) and (own <= distances.min(axis=1) + 1e-5).all()


def test_predict_puts_a_new_complaint_with_its_topic(vectors):
    model = fit(vectors, n_themes=4)
    delivery = model.labels_[TRUTH.index("delivery")]
    app = model.labels_[TRUTH.index("app")]
    new = ["my replacement card has not arrived yet", "la app no me deja iniciar sesión"]
    assert list(model.predict(get_embedder(MULTILINGUAL).embed(new))) == [delivery, app]
    with pytest.raises(ValueError, match="features"):
        model.predict(vectors[:, :10])


def test_texts_in_and_out_with_an_embedder(vectors):
    model = ThemeModel(n_themes=4, embedder=MULTILINGUAL, stop_words=stop_words(("en", "es"))).fit(TEXTS)
    reference = fit(vectors, n_themes=4)
    assert (model.labels_ == reference.labels_).all()
    assert list(model.themes_["label"]) == list(reference.themes_["label"])
    assert list(model.predict(["the card never came"])) == [model.labels_[TRUTH.index("delivery")]]
    with pytest.raises(ValueError, match="embedder"):
        ThemeModel().fit(TEXTS)


def test_without_texts_themes_are_numbered(vectors):
    model = ThemeModel(n_themes=4).fit(vectors)
    assert list(model.themes_["label"]) == ["Theme 1.1", "Theme 2.1", "Theme 3.1", "Theme 4.1"]
    assert list(model.top_themes_["label"]) == ["Theme 1", "Theme 2", "Theme 3", "Theme 4"]
    assert model.themes_["quotes"].map(len).eq(0).all() and model.themes_["n"].sum() == len(TEXTS)


def test_get_params_set_params_and_clone(vectors):
    model = ThemeModel(n_themes=5, k_range=(3, 9), random_state=7, stop_words=frozenset({"the"}))
    params = model.get_params()
    assert params["n_themes"] == 5 and params["k_range"] == (3, 9) and params["random_state"] == 7
    assert ThemeModel(**params).get_params() == params  # the round trip
    assert model.set_params(n_themes=4) is model and model.get_params()["n_themes"] == 4
    with pytest.raises(ValueError):
        model.set_params(n_clusters=4)  # not a parameter: a clear error, not a silent attribute
    model.fit(vectors, texts=TEXTS)
    copy = clone(model)
    assert copy is not model and copy.get_params() == model.get_params()
    assert not hasattr(copy, "labels_")  # clone copies the settings, not what was learned
    assert (copy.fit(vectors, texts=TEXTS).labels_ == model.labels_).all()  # same settings, same themes
    assert "n_themes=4" in repr(model)


def test_passes_scikit_learns_own_estimator_checks():
    # All of scikit-learn's checks but one: its clustering check wants labels from 0, and theme ids start
    # at 1 (theme 1 is the largest) in every page, export and link.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(
            ThemeModel(n_themes=3), expected_failed_checks={"check_clustering": "theme ids start at 1"}
        )


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
    a, b = fit(vectors, min_size=3), fit(vectors, min_size=3)
    assert (a.labels_ == b.labels_).all() and list(a.themes_["label"]) == list(b.themes_["label"])
    assert a.k_ >= 2 and a.silhouette_


def test_degenerate_inputs_never_raise_unexpectedly(vectors):
    one = ThemeModel().fit(vectors[:1], texts=TEXTS[:1])
    assert one.k_ == 1 and one.themes_.loc[0, "quotes"] == [TEXTS[0]]
    same = ThemeModel().fit(np.repeat(vectors[:1], 500, axis=0), texts=[TEXTS[0]] * 500)
    assert same.k_ == 1 and same.themes_.loc[0, "n"] == 500 and same.themes_.loc[0, "quotes"] == [TEXTS[0]]
    few = ThemeModel(n_themes=10).fit(vectors[:3], texts=TEXTS[:3])
    assert few.k_ <= 3
    with pytest.raises(ThemeError, match="no comments"):
        ThemeModel().fit(np.zeros((0, 512)), texts=[])
    stop = ThemeModel(n_themes=1, stop_words=frozenset({"the", "and"})).fit(
        vectors[:2], texts=["the and the", "and the"]
    )
    assert stop.themes_.loc[0, "label"]  # falls back to a short quote, never an empty label


@pytest.fixture(scope="module")
def sample():
    return build_dataset(
        read_file(Path(__file__).resolve().parent.parent / "cx" / "data" / "sample_survey.csv")
    ).frame


def test_sample_complaint_themes(sample, tmp_path):
    result = find_themes(sample, cache=EmbeddingCache(tmp_path))
    complaints = comments_for_themes(sample)
    # every complaint is kept: in a theme, or in Other
    assert set(result.pairs["row"]) == set(complaints.index) and result.assignments.index.is_unique
    assert (
        len(result.assignments) == len(complaints)
        and sample.loc[result.assignments.index, "is_complaint"].all()
    )
    assert result.embedder == "use-multilingual-v3" and "multilingual" in result.reason
    assert 5 <= result.k <= 12 and result.k_sub >= result.k
    labels = " ".join(pd.concat([result.themes["label"], result.subthemes["label"]])).lower()
    for topic in (
        ("refund",),
        ("app",),
        ("rude", "staff", "unfriendly", "employee", "manager"),
        ("fees", "comisiones", "charged", "cobra"),
    ):
        assert any(word in labels for word in topic), (topic, labels)
    table = theme_metrics(sample, result, min_n=30)
    in_themes = result.pairs.loc[result.pairs["parent_id"] > 0, "row"].nunique()
    assert table["n"].sum() >= in_themes and (table["nps"] < 0).all()
    assert table["sentiment"].between(0, 1).all()
    again = find_themes(sample, cache=EmbeddingCache(tmp_path))
    assert (
        result.embedded > 0
        and again.embedded == 0
        and list(again.themes["label"]) == list(result.themes["label"])
        and list(again.subthemes["theme_id"]) == list(result.subthemes["theme_id"])
    )
    everything = find_themes(sample, all_comments=True, cache=EmbeddingCache(tmp_path))
    assert len(everything.assignments) == sample["text"].notna().sum()


def test_pii_never_reaches_quotes_or_labels(vectors):
    texts = [clean(f"{t}, write me at juan{i}@mail.com") for i, t in enumerate(TEXTS)]
    model = ThemeModel(n_themes=4, stop_words=stop_words(("en", "es"))).fit(
        get_embedder(MULTILINGUAL).embed(texts), texts=texts
    )
    shown = " ".join(model.themes_["label"]) + " ".join(q for qs in model.themes_["quotes"] for q in qs)
    assert "@mail.com" not in shown and "[email]" in shown and "email" not in " ".join(model.themes_["label"])


def test_no_comments_is_a_plain_message():
    frame = pd.DataFrame({"text": pd.array([None, None], dtype="string"), "is_complaint": [True, True]})
    with pytest.raises(ThemeError, match="no comments to group"):
        find_themes(frame)


# ---- parts, names, two levels, Other ----------------------------------------------------------------

PROBLEMS = {
    "dirty": [
        "the room was dirty",
        "the bathroom was filthy",
        "the sheets were stained and dirty",
        "la habitación estaba sucia",
        "el baño estaba asqueroso",
        "las sábanas estaban sucias",
    ],
    "rude": [
        "the staff were rude",
        "the receptionist was very rude to us",
        "unfriendly staff at the front desk",
        "el personal fue muy maleducado",
        "la recepcionista nos trató fatal",
        "los empleados fueron groseros",
    ],
    "wifi": [
        "the wifi did not work",
        "no internet connection in the room",
        "the wifi kept dropping",
        "el wifi no funcionaba",
        "no había conexión a internet en la habitación",
        "el wifi se cortaba todo el rato",
    ],
}
PRAISE = ["the breakfast was delicious", "el desayuno estaba riquísimo"]
HOTELS = ["Hotel Miramar", "Gran Hotel Bahía"]


def praise_is_not_negative(texts, cache):
    """A stand-in for the sentiment model: praise of the breakfast is the only positive thing said."""
    negative = np.array([0.0 if ("breakfast" in t or "desayuno" in t) else 1.0 for t in texts])
    return negative, negative


@pytest.fixture(scope="module")
def reviews():
    """36 complaints, each about two of three problems, with praise, hotel names and handles mixed in."""
    rows = []
    pairs = [("dirty", "rude"), ("dirty", "wifi"), ("rude", "wifi")]
    for i in range(36):
        first, second = pairs[i % 3]
        a, b = PROBLEMS[first][i % 6], PROBLEMS[second][(i // 3) % 6]
        hotel = HOTELS[i % 2]
        joiner = " but " if i % 6 < 3 else ", pero "
        handle = hotel.split()[-1].replace("í", "i")
        text = f"{PRAISE[i % 2].capitalize()} at {hotel}{joiner}{a}. Also {b} #{handle} @{handle} {i + 1}0"
        rows.append({"response_id": f"R{i:02d}", "text": text, "place": hotel, "problems": {first, second}})
    frame = pd.DataFrame(rows)
    frame["place"] = frame["place"].astype("category")
    frame["is_complaint"] = True
    frame["nps"] = pd.array([2] * 36, dtype="Int64")
    frame["csat"] = pd.array([pd.NA] * 36, dtype="Int64")
    frame["nps_group"] = pd.Categorical(["detractor"] * 36, categories=["detractor", "passive", "promoter"])
    frame["csat_satisfied"] = pd.array([pd.NA] * 36, dtype="boolean")
    return frame


@pytest.fixture(scope="module")
def review_themes(reviews, tmp_path_factory):
    cache = EmbeddingCache(tmp_path_factory.mktemp("cache"))
    return find_themes(reviews.drop(columns="problems"), cache=cache, negative=praise_is_not_negative)


def theme_of_problem(result, reviews):
    """The top theme most of each problem's parts went to."""
    out = {}
    for problem, phrases in PROBLEMS.items():
        ids = result.pairs.loc[
            result.pairs["excerpt"].str.lower().str.contains("|".join(phrases)), "parent_id"
        ]
        out[problem] = int(ids.mode()[0])
    return out


def test_a_comment_is_in_every_theme_one_of_its_parts_has(reviews, review_themes):
    result = review_themes
    found = theme_of_problem(result, reviews)
    assert len(set(found.values())) == 3 and 0 not in found.values()  # three problems, three themes
    for row, problems in reviews["problems"].items():
        themes = set(result.pairs.loc[result.pairs["row"] == row, "parent_id"])
        assert {found[p] for p in problems} <= themes, (reviews.loc[row, "text"], themes)
    table = theme_metrics(reviews, result, min_n=5)
    # sizes count comments: each problem is in 24 of the 36 reviews, so the shares add up to 200 %
    assert sorted(table["n"]) == [24, 24, 24] and table["share"].sum() == pytest.approx(2.0)
    assert (table["nps"] == -100).all() and (table["sentiment"] == 1).all()
    # the quote is the part, and the whole comment is kept beside it
    pair = result.pairs.iloc[0]
    assert pair["excerpt"] in pair["comment"] and len(pair["excerpt"]) < len(pair["comment"])


def test_praise_inside_a_complaint_makes_no_theme(review_themes):
    shown = " ".join(
        list(review_themes.themes["label"])
        + list(review_themes.subthemes["label"])
        + list(review_themes.pairs["excerpt"])
    ).lower()
    assert "breakfast" not in shown and "desayuno" not in shown
    assert (
        ~review_themes.parts.loc[review_themes.parts["text"].str.contains("reakfast|esayuno"), "grouped"]
    ).all()


def test_labels_hold_no_place_handle_or_number(review_themes):
    labels = list(review_themes.themes["label"]) + list(review_themes.subthemes["label"])
    for label in labels:
        assert not any(
            word in label.lower() for word in ("miramar", "bahía", "bahia", "hotel", "@", "#", "0")
        ), label
        assert len(label.split()) <= 9 and label[0].isupper()
    assert {"miramar", "bahia"} <= {n for name in review_themes.masked_names for n in name.split()}


def test_the_same_problem_at_two_places_is_one_theme(reviews, review_themes):
    dirty = review_themes.members(theme_of_problem(review_themes, reviews)["dirty"])
    assert set(reviews.loc[dirty, "place"]) == set(HOTELS)


def test_without_a_negative_part_a_complaint_is_grouped_by_its_most_negative_part(reviews, tmp_path):
    frame = reviews.drop(columns="problems").head(12)

    def all_praise(texts, cache):
        p = np.array([0.4 if "dirty" in t or "sucia" in t else 0.1 for t in texts])
        return np.zeros(len(texts)), p

    result = find_themes(frame, cache=EmbeddingCache(tmp_path), negative=all_praise)
    assert set(result.pairs["row"]) == set(frame.index)  # no complaint is lost
    assert "12 complaint(s) had no part the model calls negative" in " ".join(result.notes)
    assert result.parts["grouped"].groupby(result.parts["row"]).sum().eq(1).all()


def blobs(tops=6, subs=3, per=20, dim=64, seed=0):
    """Unit vectors around tops × subs centres; the sub-centres of one top are near each other."""
    rng = np.random.default_rng(seed)
    points, truth = [], []
    for t in range(tops):
        top = rng.normal(size=dim)
        top /= np.linalg.norm(top)
        for s in range(subs):
            offset = rng.normal(size=dim)
            centre = top + 0.5 * offset / np.linalg.norm(offset)
            points.append(centre + rng.normal(size=(per, dim)) * 0.1 / np.sqrt(dim))
            truth += [(t, s)] * per
    points = np.vstack(points)
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32), truth


def test_two_levels_find_the_top_groups_and_their_sub_groups():
    points, truth = blobs()
    model = ThemeModel(min_size=5).fit(points)
    assert model.k_top_ == 6 and model.k_ == 18
    assert sorted(model.top_themes_["n_sub"]) == [3] * 6
    for t in range(6):  # each true top group is one top theme, each true sub-group one sub-theme
        members = [i for i, (tt, _) in enumerate(truth) if tt == t]
        assert len(set(model.top_labels_[members])) == 1
    assert len({(truth[i], model.labels_[i]) for i in range(len(truth))}) == 18
    keys = model.themes_["key"]
    assert (
        list(keys[:3]) == ["1.1", "1.2", "1.3"]
        and (model.themes_["parent_id"] == keys.str[0].astype(int)).all()
    )
    assert model.silhouette_ and max(model.silhouette_, key=model.silhouette_.get) == 18


def test_tiny_and_incoherent_clusters_go_to_other():
    points, _ = blobs(tops=5, subs=1, per=30)
    rng = np.random.default_rng(1)
    stray = rng.normal(size=(4, points.shape[1])).astype(np.float32)  # four points, each on its own
    stray /= np.linalg.norm(stray, axis=1, keepdims=True)
    model = ThemeModel(n_themes=9, min_size=10).fit(np.vstack([points, stray]))
    assert model.k_ == 5 and model.other_n_ == 4 and set(model.labels_[-4:]) == {0}
    assert (model.predict(np.vstack([points, stray])) == model.labels_).all()
    assert model.themes_["n"].sum() == 150 and "Other" not in set(model.themes_["label"])


def test_same_data_same_themes_ids_and_labels(reviews, review_themes, tmp_path):
    again = find_themes(
        reviews.drop(columns="problems"), cache=EmbeddingCache(tmp_path), negative=praise_is_not_negative
    )
    for attribute in ("themes", "subthemes"):
        a, b = getattr(review_themes, attribute), getattr(again, attribute)
        assert list(a["theme_id"]) == list(b["theme_id"]) and list(a["label"]) == list(b["label"])
    assert review_themes.pairs.drop(columns="negative").equals(again.pairs.drop(columns="negative"))


def test_theme_trend_keeps_year_only_dates_out_of_months():
    from types import SimpleNamespace

    from cx.themes import theme_trend

    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2021-01-01", "2021-03-02", "2021-03-05"]),
            "year_only": [True, False, False],
        }
    )
    result = SimpleNamespace(assignments=pd.DataFrame({"theme_id": [1, 1, 2]}, index=frame.index))
    monthly = theme_trend(frame, result, 1)
    assert list(monthly["period"].dt.strftime("%Y-%m")) == ["2021-03"]  # the bare "2021" is not January
    assert list(monthly["n_all"]) == [2] and list(monthly["share"]) == [50.0]
    assert list(theme_trend(frame, result, 1, "year")["n_all"]) == [3]


def assert_same_themes(a, b):
    """Every part of two results the pages and exports read is identical (values and types)."""
    for name in ("assignments", "themes", "subthemes", "pairs", "parts"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    for name in ("k", "k_sub", "other", "other_quotes", "embedder", "languages", "notes", "masked_names"):
        assert getattr(a, name) == getattr(b, name), name


@pytest.fixture
def counted(monkeypatch):
    """The number of times the themes were computed rather than read from the result cache."""
    import cx.themes as themes

    calls = []
    compute = themes._compute_themes

    def counting(*args, **kwargs):
        calls.append(1)
        return compute(*args, **kwargs)

    monkeypatch.setattr(themes, "_compute_themes", counting)
    return calls


def test_a_second_run_reads_the_fitted_themes_identical_to_a_fresh_fit(reviews, tmp_path, counted):
    frame = reviews.drop(columns="problems")
    first = find_themes(frame, cache=EmbeddingCache(tmp_path))
    assert len(list(tmp_path.glob("themes-*.npz"))) == 1 and len(counted) == 1
    again = find_themes(frame, cache=EmbeddingCache(tmp_path))  # as a new process would: from the file
    assert len(counted) == 1 and again.embedded == 0
    assert_same_themes(first, again)
    for stored in tmp_path.glob("themes-*.npz"):
        stored.unlink()
    fresh = find_themes(frame, cache=EmbeddingCache(tmp_path))  # computed again from the cached vectors
    assert len(counted) == 2
    assert_same_themes(fresh, again)
    assert fresh.k >= 2 and list(fresh.themes["label"]) == list(again.themes["label"])


def test_a_changed_comment_or_setting_computes_the_themes_again(reviews, tmp_path, counted):
    frame = reviews.drop(columns="problems")
    cache = EmbeddingCache(tmp_path)
    find_themes(frame, cache=cache)
    changed = frame.copy()
    changed.loc[0, "text"] = "The shower was broken and nobody came to fix it."
    result = find_themes(changed, cache=cache)
    assert len(counted) == 2  # one comment differs: never the other file's themes
    assert "The shower was broken and nobody came to fix it" in " ".join(result.pairs["excerpt"])
    fixed = find_themes(frame, cache=cache, n_themes=2)
    assert len(counted) == 3 and fixed.k_sub <= 2
    find_themes(frame, cache=cache, random_state=1)
    find_themes(frame, cache=cache, all_comments=True)
    find_themes(frame, cache=cache, segments=[])  # the hotel names are no longer masked
    assert len(counted) == 6 and len(list(tmp_path.glob("themes-*.npz"))) == 6
    find_themes(changed, cache=cache)
    assert len(counted) == 6  # each of them is kept, under its own key


def test_a_damaged_or_foreign_result_file_is_computed_again(reviews, tmp_path, counted):
    frame = reviews.drop(columns="problems")
    cache = EmbeddingCache(tmp_path)
    first = find_themes(frame, cache=cache)
    (stored,) = tmp_path.glob("themes-*.npz")
    whole = stored.read_bytes()
    for damage in (whole[: len(whole) // 2], b"", whole[:100] + b"x" * 50 + whole[150:]):
        stored.write_bytes(damage)
        again = find_themes(frame, cache=cache)
        assert_same_themes(first, again)
    assert len(counted) == 4 and stored.read_bytes() == whole  # recomputed and written again, whole
    other = reviews.drop(columns="problems").head(24)
    find_themes(other, cache=cache)
    (other_file,) = set(tmp_path.glob("themes-*.npz")) - {stored}
    other_file.write_bytes(whole)  # the first file's themes under the second file's name
    assert len(find_themes(other, cache=cache).assignments) == 24 and len(counted) == 6


def test_only_the_newest_results_are_kept_readable_by_their_owner(reviews, tmp_path, monkeypatch):
    import os

    import cx.themes as themes

    result = find_themes(reviews.drop(columns="problems"), cache=EmbeddingCache(tmp_path))
    (first,) = tmp_path.glob("themes-*.npz")
    assert first.stat().st_mode & 0o777 == 0o600  # the parts' text is in it
    monkeypatch.setattr(themes, "RESULTS_KEPT", 3)
    store = themes.ResultCache(tmp_path)
    for i in range(5):
        os.utime(first, (1e9 + i, 1e9 + i))  # written earlier than the next one
        store.put(str(i) * 64, result)
        first = store.path(str(i) * 64)
    assert len(list(tmp_path.glob("themes-*.npz"))) == 3
    assert store.get("4" * 64).k == result.k and store.get("0" * 64) is None


def test_themes_made_without_the_sentiment_model_are_not_kept(reviews, tmp_path, monkeypatch):
    import cx.themes as themes

    frame = reviews.drop(columns="problems")

    def missing(texts, cache):
        raise ImportError("no sentiment head")

    with monkeypatch.context() as patch:
        patch.setattr(themes, "_default_negative", missing)
        without = find_themes(frame, cache=EmbeddingCache(tmp_path))
    assert any(note.startswith("No sentiment model") for note in without.notes)
    assert not list(tmp_path.glob("themes-*.npz")) and not list(tmp_path.glob("parts-*.npz"))
    proper = find_themes(frame, cache=EmbeddingCache(tmp_path))  # the model is back: its themes, kept
    assert not any(note.startswith("No sentiment model") for note in proper.notes)
    assert not proper.parts["grouped"].all() and len(list(tmp_path.glob("themes-*.npz"))) == 1


def test_a_new_process_reads_the_same_themes_without_fitting(reviews, tmp_path):
    import subprocess
    import sys

    frame = reviews.drop(columns="problems")
    cache = tmp_path / "cache"
    cold = find_themes(frame, cache=EmbeddingCache(cache))
    frame.to_pickle(tmp_path / "frame.pkl")  # the test's own file, read back by the test's own child
    child = f"""
import pandas as pd, cx.themes as themes
from pathlib import Path
from cx.embed import EmbeddingCache
themes._compute_themes = None  # fitting again would fail
result = themes.find_themes(pd.read_pickle({str(tmp_path / "frame.pkl")!r}), cache=EmbeddingCache(Path({str(cache)!r})))
for name in ("assignments", "themes", "subthemes", "pairs", "parts"):
    getattr(result, name).to_pickle({str(tmp_path)!r} + "/" + name + ".pkl")
print(result.k, result.k_sub, result.embedded)
"""
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(cold.k), str(cold.k_sub), "0"]
    for name in ("assignments", "themes", "subthemes", "pairs", "parts"):
        again = pd.read_pickle(tmp_path / f"{name}.pkl")
        pd.testing.assert_frame_equal(getattr(cold, name), again, check_exact=True)


def test_the_result_file_keeps_every_column_type_exactly(tmp_path):
    from cx.themes import ResultCache, ThemeResult

    pairs = pd.DataFrame(
        {
            "row": [3, 3, 7],
            "theme_id": pd.array(["1.1", "0", "1.1"], dtype="str"),
            "negative": pd.array([True, pd.NA, False], dtype="boolean"),
            "closeness": np.array([0.1, 0.2, 1 / 3], dtype=np.float32),
            "excerpt": ["=cmd", "Habitación sucia 🙁", "=cmd"],
        }
    )
    themes = pd.DataFrame(
        {"theme_id": [1], "label": ["Dirty room"], "terms": [["dirty", "room"]], "share": [0.5]}
    )
    assignments = pd.DataFrame({"theme_id": [1, 0]}, index=pd.Index(["R3", "R7"], name="response"))
    result = ThemeResult(
        assignments=assignments, themes=themes, embedder="use", reason="why", k=1, embedded=9, pairs=pairs,
        languages={"es": 2}, notes=["a note"], masked_names=frozenset({"miramar"}), other_quotes=["x"],
    )  # fmt: skip
    store = ResultCache(tmp_path)
    store.put("a" * 64, result)
    back = store.get("a" * 64)
    for name in ("assignments", "themes", "pairs", "subthemes", "parts"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(back, name), check_exact=True)
    assert back.masked_names == {"miramar"} and back.languages == {"es": 2} and back.embedded == 0
    assert store.get("b" * 64) is None  # another key, even in the same folder
    dated = pd.DataFrame({"theme_id": [1]}, index=pd.DatetimeIndex(["2025-01-01"]))
    store.put(
        "c" * 64, ThemeResult(assignments=dated, themes=themes, embedder="", reason="", k=1, embedded=0)
    )
    assert store.get("c" * 64) is None and not store.path("c" * 64).exists()  # not kept, and no error


def test_another_k_reads_the_parts_and_fits_again_as_a_fresh_run(reviews, tmp_path, monkeypatch):
    import cx.themes as themes

    prepared = []
    prepare = themes._prepare_parts
    monkeypatch.setattr(themes, "_prepare_parts", lambda *a, **k: prepared.append(1) or prepare(*a, **k))
    frame = reviews.drop(columns="problems")
    cache = EmbeddingCache(tmp_path / "warm")
    find_themes(frame, cache=cache)
    two = find_themes(frame, cache=cache, n_themes=2)
    assert len(prepared) == 1  # split, masked and scored once; fitted twice
    fresh = find_themes(frame, cache=EmbeddingCache(tmp_path / "fresh"), n_themes=2)
    assert len(prepared) == 2 and fresh.embedded > 0 and two.k_sub <= 2
    assert_same_themes(two, fresh)
    changed = frame.copy()
    changed.loc[5, "text"] = "The lift was out of order for three days."
    before = set((tmp_path / "warm").glob("parts-*.npz"))
    find_themes(changed, cache=cache, n_themes=2)
    assert len(prepared) == 3  # another comment: its parts are found again
    (stored,) = set((tmp_path / "warm").glob("parts-*.npz")) - before
    stored.write_bytes(stored.read_bytes()[:-200])  # cut short
    again = find_themes(changed, cache=cache, n_themes=3)
    assert len(prepared) == 4 and "The lift was out of order for three days" in " ".join(again.parts["text"])
