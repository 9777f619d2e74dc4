"""The real embedding models, loaded from their packages (no download), and the on-disk cache."""

import numpy as np
import pytest

from cx.embed import MINILM, MULTILINGUAL, EmbeddingCache, choose_embedder, embed_texts, get_embedder


class Counting:
    """Wraps a real embedder to count how many texts reach the model."""

    def __init__(self, inner):
        self.inner, self.name, self.calls = inner, inner.name, 0

    def embed(self, texts):
        self.calls += len(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="session")
def multilingual():
    return get_embedder(MULTILINGUAL)


def test_multilingual_model_puts_translations_together(multilingual):
    v = multilingual.embed(
        ["my delivery arrived late", "el envío llegó tarde", "the app crashes when I log in"]
    )
    assert v.shape == (3, 512) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_minilm_loads_from_its_package():
    model = get_embedder(MINILM)
    assert model.name == "all-MiniLM-L6-v2"
    v = model.embed(["my delivery arrived late", "my parcel came late", "the app crashes when I log in"])
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2]
    assert get_embedder(MINILM) is model  # loaded once per process


def test_auto_choice_follows_the_languages():
    assert choose_embedder(["en"] * 95 + ["es"] * 5)[0] == MINILM
    name, reason = choose_embedder(["en"] * 50 + ["es"] * 40 + ["pt"] * 10)
    assert name == MULTILINGUAL and "50%" in reason


def test_cache_makes_the_second_look_free_even_after_a_restart(multilingual, tmp_path):
    texts = ["la app se cierra", "card never arrived", "la app se cierra", "rude staff"]
    first = Counting(multilingual)
    vectors, embedded = embed_texts(texts, first, cache=EmbeddingCache(tmp_path))
    assert embedded == 3 and first.calls == 3  # each distinct text once
    assert np.allclose(vectors[0], vectors[2])
    again = Counting(multilingual)
    cached, embedded = embed_texts(
        texts, again, cache=EmbeddingCache(tmp_path)
    )  # a new process would do this
    assert embedded == 0 and again.calls == 0
    assert np.allclose(cached, vectors)
    extra = Counting(multilingual)
    _, embedded = embed_texts([*texts, "new complaint"], extra, cache=EmbeddingCache(tmp_path))
    assert embedded == 1 and extra.calls == 1


def test_progress_counts_and_no_cache(multilingual):
    seen = []
    embed_texts(
        [f"comment {i}" for i in range(10)],
        multilingual,
        cache=EmbeddingCache(None),
        progress=lambda d, t: seen.append((d, t)),
        batch=4,
    )
    assert seen == [(0, 10), (4, 10), (8, 10), (10, 10)]
    assert EmbeddingCache(None).get("m", ["x"]) == {}
