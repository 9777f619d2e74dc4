"""The real embedding models, loaded from their packages (no download), and the on-disk cache."""

import threading
import time

import numpy as np
import pytest

from cx.embed import (
    MINILM,
    MULTILINGUAL,
    EmbeddingCache,
    SharedEmbedder,
    choose_embedder,
    embed_texts,
    get_embedder,
)


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


class Gated:
    """A real model behind a gate: its first call waits until the test opens it, and it records every batch."""

    def __init__(self, inner):
        self.inner, self.name = inner, inner.name
        self.entered, self.gate, self.batches = threading.Event(), threading.Event(), []

    def embed(self, texts):
        self.entered.set()
        self.gate.wait(timeout=30)
        self.batches.append(list(texts))
        return self.inner.embed(texts)


def test_sessions_embedding_at_once_share_one_worker_and_get_the_vectors_of_a_single_call(multilingual):
    texts_a = [f"el pedido {i} llegó tarde" for i in range(100)]
    texts_b = texts_a[:10] + [
        f"my card {i} never arrived" for i in range(70)
    ]  # 10 texts both sessions ask for
    alone_a, alone_b = multilingual.embed(texts_a), multilingual.embed(texts_b)
    model = Gated(multilingual.inner)
    shared = SharedEmbedder(model, slice_size=32)
    results = {}
    first = threading.Thread(target=lambda: results.setdefault("first", shared.embed(["warm"])))
    first.start()
    assert model.entered.wait(timeout=30)  # the worker is busy with the first request
    sessions = [
        threading.Thread(target=lambda k=k, t=t: results.setdefault(k, shared.embed(t)))
        for k, t in (("a", texts_a), ("b", texts_b))
    ]
    for session in sessions:
        session.start()
    deadline = time.monotonic() + 30
    while shared._queue.qsize() < 3 and time.monotonic() < deadline:  # both sessions queue behind it
        time.sleep(0.01)
    model.gate.set()
    for thread in (first, *sessions):
        thread.join(timeout=60)
    assert np.allclose(results["a"], alone_a, atol=1e-5) and np.allclose(results["b"], alone_b, atol=1e-5)
    assert results["a"].shape == (100, 512) and results["b"].shape == (80, 512)
    # the shared workers ran them, merging the two sessions' slices: 32 + 32 texts per batch
    merged = model.batches[1]
    assert any(t in texts_a for t in merged) and any(t.startswith("my card") for t in merged)
    assert len(model.batches) == 1 + 4  # 100 texts in slices of 32 -> 4 batches, b's 80 ride along
    assert sum(len(b) for b in model.batches[1:]) == 100 + 70  # a text both ask for at once is embedded once


def test_a_model_error_reaches_the_caller_and_the_worker_carries_on(multilingual):
    class Picky:
        name = "picky"

        def embed(self, texts):
            if "boom" in texts:
                raise ValueError("the model refused 'boom'")
            return multilingual.inner.embed(texts)

    shared = SharedEmbedder(Picky())
    with pytest.raises(ValueError, match="refused"):
        shared.embed(["fine", "boom"])
    assert shared.embed(["fine"]).shape == (1, 512)


def test_every_session_gets_the_same_model_and_worker():
    found = []
    threads = [threading.Thread(target=lambda: found.append(get_embedder(MULTILINGUAL))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(e) for e in found}) == 1 and isinstance(found[0], SharedEmbedder)
    found[0].embed(["one call starts the worker"])
    workers = [
        t for t in threading.enumerate() if t.name.startswith(f"cx-embed-{found[0].name}-{id(found[0]):x}")
    ]
    assert 1 <= len(workers) <= found[0].chooser.policy.max_threads  # one pool, no bigger than the policy


def test_an_idle_worker_ends_and_the_next_request_starts_one(multilingual, monkeypatch):
    import cx.embed

    monkeypatch.setattr(cx.embed, "IDLE_SECONDS", 0.05)
    shared = SharedEmbedder(multilingual.inner)
    first = shared.embed(["la app se cierra"])
    deadline = time.monotonic() + 10
    while shared._workers and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not shared._workers  # no thread left waiting for nothing
    assert np.allclose(shared.embed(["la app se cierra"]), first, atol=1e-6)
