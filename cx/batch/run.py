"""`cx batch`: many exports in, one Parquet output folder out, resumable.

read every file (Ray tasks on a local Ray, else this process: a cluster cannot see this machine's disk)
→ fit a ThemeModel on a seeded sample of the comments (or reuse the folder's model) → embed + assign
every comment on the chosen engine → write each file's rows as soon as its comments are back →
themes.parquet and report.json.
"""

from __future__ import annotations

import glob
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cx.batch import writer
from cx.batch.stages import (
    RoleFlags,
    comments_of,
    file_hash,
    parts_of,
    sample_positions,
)
from cx.embed import AUTO, EmbeddingCache, choose_embedder, default_cache_dir, embed_texts, get_embedder
from cx.sentiment import label_negative
from cx.text import stop_words
from cx.themes import (
    NO_SENTIMENT,
    OTHER_ID,
    OTHER_LABEL,
    ThemeError,
    _default_negative,
    clustered_parts,
    comment_languages,
    fit_parts_model,
    grouped_parts,
)

SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet", ".json", ".jsonl"}
SAMPLE_SIZE = 20_000


class BatchError(ValueError):
    """The batch cannot run at all (no input, an output folder made with other settings)."""


@dataclass
class BatchOptions:
    """Settings of one batch run (the command line's options).

    Attributes:
        k: number of themes or "auto"; seed: KMeans seed and sample seed; sample_size: comments the
            model is fitted on; batch_size: comments per embed call (default 1024 local, 256 Ray);
        concurrency: Ray actors (one CPU each); address: a Ray cluster, None for a local Ray.
        codeframe: a saved codeframe's name (cx/codeframe.py) to apply instead of fitting themes, at
            `codeframe_version` (default: its latest version when the folder is first made).
    """

    out: Path
    engine: str = "local"
    address: str | None = None
    all_comments: bool = False
    k: int | str = "auto"
    embedder: str = AUTO
    seed: int = 0
    sample_size: int = SAMPLE_SIZE
    batch_size: int | None = None
    concurrency: int = 2
    flags: RoleFlags = field(default_factory=RoleFlags)
    codeframe: str | None = None
    codeframe_version: int | None = None

    def settings(self) -> dict:
        """What decides the result: a folder made with other settings is not resumed."""
        return {
            "all_comments": self.all_comments,
            "k": str(self.k),
            "embedder": self.embedder,
            "seed": self.seed,
            "sample_size": self.sample_size,
            "roles": asdict(self.flags),
            "codeframe": self.codeframe,
            "codeframe_version": self.codeframe_version,
            # themes group comment parts (cx.themes.find_themes); a codeframe applies to whole comments
            "units": "comments" if self.codeframe else "parts",
        }


def expand_inputs(inputs: list[str]) -> tuple[list[Path], list[str]]:
    """Files named or matched by the inputs (globs; a folder means its files), sorted, each once.

    Returns:
        (files, inputs that matched no file)
    """
    files: dict[Path, None] = {}
    unmatched = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = [p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES]
        elif path.is_file():
            found = [path]
        else:
            found = [Path(p) for p in sorted(glob.glob(item, recursive=True)) if Path(p).is_file()]
        if not found:
            unmatched.append(item)
        for p in found:
            files[p.resolve()] = None
    return list(files), unmatched


class Progress:
    """Counts and rates on stderr, at most about once a second per stage (and always at the end)."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self._last = 0.0

    def __call__(self, message: str, final: bool = False) -> None:
        now = time.perf_counter()
        if final or now - self._last >= 1.0:
            self._last = now
            self.log(message)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _make_engine(options: BatchOptions):
    from cx.batch.engines import LocalEngine, RayEngine

    if options.engine == "ray":
        try:
            import ray  # noqa: F401
        except ImportError:
            raise BatchError(
                "--engine ray needs Ray: pip install 'cx-lens[batch]' (or ray[data]==2.60.0)."
            ) from None
        return RayEngine(
            batch_size=options.batch_size or 256, concurrency=options.concurrency, address=options.address
        )
    if options.engine == "local":
        return LocalEngine(batch_size=options.batch_size or 1024)
    raise BatchError(f"--engine {options.engine!r}: use local or ray.")


def run_batch(inputs: list[str], options: BatchOptions, log: Callable[[str], None] = _stderr) -> dict:
    """Run a batch and return its report (also written to DIR/report.json).

    A file that cannot be read is reported (status "failed", with the reason) and the others go on; a
    file already done with the same content is skipped (status "skipped").

    Raises:
        BatchError: nothing to read, or DIR holds a batch made with other settings.
    """
    started = time.perf_counter()
    out = Path(options.out)
    files, unmatched = expand_inputs(inputs)
    if not files:
        raise BatchError(f"no input file found ({', '.join(inputs)}).")
    if options.engine == "ray" and options.address:
        from cx.batch.engines import reachable

        try:
            reachable(options.address)
        except OSError as exc:  # before any work: a wrong address is a typo to fix, not an hour lost
            raise BatchError(f"the Ray cluster at {options.address} does not answer ({exc}).") from None
    out.mkdir(parents=True, exist_ok=True)
    previous = writer.load_report(out) or {}
    if previous and previous.get("settings") != options.settings():
        raise BatchError(
            f"{out} holds a batch made with other settings ({previous.get('settings')}): "
            "use a new --out folder, or the same settings to resume it."
        )
    manifest: dict[str, dict] = dict(previous.get("files", {}))
    timings = {"read": 0.0, "fit": 0.0, "engine_start": 0.0, "embed_assign": 0.0, "write": 0.0}
    report = {
        "engine": options.engine,
        "address": options.address,
        "settings": options.settings(),
        "files": manifest,
        "unmatched_inputs": unmatched,
    }
    writer.save_report(out, report)  # the settings first: a crash later still guards the saved model
    for item in unmatched:
        log(f"warning: {item}: no file matches")

    codeframe = None
    if options.codeframe and writer.load_model(out) is None:
        codeframe = _load_codeframe(options)
        if not options.all_comments:  # what the codeframe was made from, as `cx codeframe apply` does
            options.all_comments = bool(codeframe.settings.get("all_comments", False))
    elif options.codeframe:
        options.all_comments = bool(writer.load_model(out).get("all_comments", options.all_comments))

    # ---- which files to read ------------------------------------------------------------------------
    progress = Progress(log)
    to_read = []  # ((position, digest), path)
    for i, path in enumerate(files, 1):
        name = str(path)
        entry = manifest.get(name, {})
        try:
            digest = file_hash(path)
        except OSError as exc:
            manifest[name] = {"status": "failed", "error": f"{path.name} could not be read ({exc.strerror})."}
            log(f"failed: {path.name}: {manifest[name]['error']}")
            continue
        done = entry.get("status") in ("done", "skipped") and entry.get("hash") == digest
        if done and all((out / rel).is_file() for rel in entry.get("outputs", [])):
            manifest[name] = {**entry, "status": "skipped"}
            log(f"skipped {i}/{len(files)}: {path.name} (done in an earlier run, same content)")
            continue
        writer.remove_outputs(out, entry.get("outputs", []))
        to_read.append(((i, digest), path))

    engine = _make_engine(options)
    if to_read:
        t0 = time.perf_counter()
        try:
            engine.start()
        except Exception as exc:
            where = f"the Ray cluster at {options.address}" if options.address else "a local Ray"
            raise BatchError(f"could not start or join {where} ({type(exc).__name__}: {exc}).") from None
        timings["engine_start"] = time.perf_counter() - t0
    try:
        state, rows_read, comments = _process(
            to_read, files, options, engine, manifest, report, timings, progress, log, codeframe
        )
    finally:
        engine.stop()
    t0 = time.perf_counter()
    report["rollup"] = _rollup(out, log)
    timings["rollup"] = time.perf_counter() - t0
    statuses = [manifest.get(str(p), {}).get("status") for p in files]
    timings["total"] = time.perf_counter() - started
    report["timings"] = {k: round(v, 3) for k, v in timings.items()}
    report["model"] = (
        {
            "embedder": state["embedder"],
            "reason": state["reason"],
            "k": int(getattr(state["model"], "k_top_", state["model"].k_)),
            "k_sub": int(state["model"].k_) if "codeframe" not in state else None,
            "n_sample": state["n_sample"],
            "n_sample_parts": state.get("n_sample_parts"),
            "fallbacks": state.get("fallbacks"),
            "names_masked": state.get("names_masked"),
            "notes": state.get("notes", []),
            "units": "comments" if "codeframe" in state else "parts",
            "theme_id": None
            if "codeframe" in state
            else "a comment's first top theme (by the order of its parts); all_theme_ids lists all of them",
        }
        if state
        else None
    )
    report["counts"] = {
        "files": len(files),
        "done": statuses.count("done"),
        "skipped": statuses.count("skipped"),
        "failed": statuses.count("failed"),
        "rows_read": rows_read,
        "comments": comments,
        "parts": report.pop("parts", None),
        "comments_per_s": None,
    }
    if report["counts"]["comments"] and timings["embed_assign"] > 0:
        report["counts"]["comments_per_s"] = round(report["counts"]["comments"] / timings["embed_assign"], 1)
    writer.save_report(out, report)
    return report


def _rollup(out: Path, log: Callable[[str], None]) -> dict:
    """(Re)write DIR/rollup.parquet and rollup_themes.parquet from every responses/ file there now (this
    run's and earlier runs'): the dashboard answers segment, month and theme questions from them. Not fatal:
    without them, it scans."""
    import duckdb

    from cx.batch.source import write_rollup

    try:
        entry = write_rollup(out)
    except (duckdb.Error, OSError) as exc:
        log(f"warning: the roll-up could not be written ({exc}); the dashboard will scan responses/.")
        return {"error": str(exc)}
    if entry:
        log(f"roll-up: {entry['rows']:,} responses in {entry['cells']:,} cells (segments × month)")
        if entry.get("themes"):
            themes = entry["themes"]
            log(f"theme roll-up: {themes['rows']:,} responses with a theme in {themes['cells']:,} cells")
    return entry


def _load_codeframe(options: BatchOptions):
    """The saved codeframe to apply, checked against the embedder this machine has."""
    from cx.codeframe import CodeframeError, load
    from cx.store import StoreError

    try:
        codeframe = load(options.codeframe, options.codeframe_version)
    except (CodeframeError, StoreError) as exc:
        raise BatchError(str(exc)) from None
    model = get_embedder(codeframe.embedder).name
    if model != codeframe.embedder_model:
        raise BatchError(
            f"codeframe {codeframe.name!r} was made with {codeframe.embedder_model} and {codeframe.embedder!r} "
            f"loads {model} here: re-embed the codeframe (cx.codeframe.reembed) first."
        )
    return codeframe


def _process(to_read, files, options, engine, manifest, report, timings, progress, log, codeframe=None):
    """Read, fit, embed + assign and write.

    Returns:
        (the model state, None when there is no comment; rows read; comments embedded and assigned)
    """
    out = Path(options.out)
    # ---- read: each file's comments, split into parts (whole comments for a codeframe) --------------
    whole = bool(options.codeframe)  # a codeframe is applied to whole comments, as `cx codeframe apply` does
    results = {}
    rows_read = 0
    t0 = time.perf_counter()
    for ((i, digest), path), dataset in engine.read_files(to_read, options.flags):
        name = str(path)
        if isinstance(dataset, str):  # a bad file is reported, the others go on
            manifest[name] = {"status": "failed", "hash": digest, "error": dataset}
            log(f"failed: {path.name}: {dataset}")
            continue
        if whole:
            units = comments_of(dataset.frame, options.all_comments)
            units = units.assign(part=1, masked=units["text"], junk=False)
            cleaned, names = units["text"].tolist(), frozenset()
        else:
            units, cleaned, names = parts_of(dataset.frame, options.all_comments)
        results[i] = (path, digest, dataset, units, cleaned, names)
        manifest[name] = {"status": "read", "hash": digest, "row_report": dataset.report()}
        rows_read += dataset.rows_read
        rate = rows_read / max(time.perf_counter() - t0, 1e-9)
        said = "" if whole else f" in {len(units):,} parts"
        progress(
            f"read {i}/{len(files)} files: {path.name}: {dataset.rows_kept:,} rows kept, "
            f"{dataset.rows_rejected:,} rejected, {len(cleaned):,} comments{said} ({rate:,.0f} rows/s)",
            final=True,
        )
    pending = [results[i] for i in sorted(results)]
    timings["read"] = time.perf_counter() - t0

    # every unit of every file: `comment` numbers the comments across files (sizes count comments)
    frames = []
    for f, (*_, units, _cleaned, _names) in enumerate(pending):
        frames.append(units.assign(file=f))
    every = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["row", "file"])
    every["comment"] = pd.factorize(pd.MultiIndex.from_arrays([every["file"], every["row"]]))[0]
    n_comments = int(every["comment"].max()) + 1 if len(every) else 0

    # ---- fit (or reuse the folder's model) ----------------------------------------------------------
    t0 = time.perf_counter()
    cache_dir = default_cache_dir()
    cache = EmbeddingCache(cache_dir)
    state = writer.load_model(out)
    if state is None and len(every) and codeframe is not None:
        from cx.batch.stages import CodeframeAssigner

        state = {
            "model": CodeframeAssigner(codeframe),
            "embedder": codeframe.embedder,
            "reason": f"codeframe {codeframe.name} version {codeframe.version}",
            "n_sample": 0,
            "all_comments": options.all_comments,
            "codeframe": {"name": codeframe.name, "version": codeframe.version},
            "themes": codeframe.table(),
        }
        log(
            f"applying codeframe {codeframe.name} version {codeframe.version} ({len(codeframe.themes)} themes)"
        )
        writer.save_model(out, state)
    elif state is None and len(every):
        state = _fit_parts(every, pending, n_comments, options, cache, log)
        writer.save_model(out, state)
    timings["fit"] = time.perf_counter() - t0

    # ---- embed + assign, write each file as soon as its parts are back ---------------------------------
    sizes = np.array([len(r[3]) for r in pending], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)])[:-1] if len(sizes) else np.zeros(0, dtype=np.int64)
    buffers: dict[int, list[dict]] = {i: [] for i in range(len(pending))}
    received = np.zeros(len(pending), dtype=np.int64)
    state_or_empty = state or {}
    if state and "codeframe" in state:
        labels = state["model"].themes_.set_index("theme_id")["label"]
    elif state:
        labels = _top_labels(state["model"])
    else:
        labels = pd.Series(dtype=object)

    def finish(i: int) -> None:
        path, digest, dataset, units, _cleaned, _names = pending[i]
        w0 = time.perf_counter()
        responses = writer.responses_table(dataset.frame, path.name)
        rows = units["row"].to_numpy(dtype=np.int64) if len(units) else np.zeros(0, dtype=np.int64)
        found = np.zeros(len(units), dtype=np.int64)
        p_negative = np.full(len(units), np.nan)
        vectors = np.zeros((0, 0), dtype=np.float32)
        if buffers[i]:
            keys = np.concatenate([b["key"] for b in buffers[i]])
            order = np.argsort(keys, kind="stable")
            found = np.concatenate([b["theme_id"] for b in buffers[i]])[order]
            p_negative = np.concatenate([b["p_negative"] for b in buffers[i]])[order]
            vectors = np.vstack([b["vector"] for b in buffers[i]])[order]
        parts = None
        if "codeframe" in state_or_empty:  # 0 is "new": a comment close enough to no saved theme
            theme = np.full(len(responses), -1, dtype=np.int64)
            theme[rows] = found
            ids = np.array([None, *state_or_empty["model"].ids_], dtype=object)
            responses["theme_id"] = pd.array(ids[np.maximum(theme, 0)], dtype="string")
            responses["theme_status"] = pd.array(
                np.where(theme > 0, "known", np.where(theme == 0, "new", None)), dtype="string"
            )
            responses["theme_label"] = responses["theme_id"].map(labels).astype("string")
            unit_ids = units[["row"]].assign(theme_id=pd.array(ids[found], dtype="string"))
            assigned = int((theme > 0).sum())
        elif state is not None and len(units):
            parts, unit_ids = _assign_parts(units, found, p_negative, state["model"], options.all_comments)
            _comment_themes(responses, parts, rows, labels)
            assigned = int(responses["theme_id"].gt(0).fillna(False).sum())
        else:
            responses["theme_id"] = pd.array([pd.NA] * len(responses), dtype="Int64")
            responses["theme_label"] = pd.array([pd.NA] * len(responses), dtype="string")
            responses["all_theme_ids"] = pd.array([pd.NA] * len(responses), dtype="string")
            responses["all_theme_labels"] = pd.array([pd.NA] * len(responses), dtype="string")
            unit_ids = units[["row"]].assign(theme_id=np.zeros(len(units), dtype=np.int64))
            assigned = 0
        response_id = responses["response_id"].to_numpy()
        unit_ids["response_id"] = response_id[rows]
        if parts is not None:
            parts.insert(0, "response_id", response_id[rows])
        outputs = writer.write_file_outputs(
            out, writer.file_key(path, digest), responses, unit_ids, vectors, parts=parts
        )
        manifest[str(path)].update(
            status="done",
            outputs=outputs,
            rows=len(responses),
            comments=int(len(np.unique(rows))),
            parts=None if whole else len(units),
            assigned=assigned,
        )
        writer.save_report(out, report)
        buffers[i] = []
        timings["write"] += time.perf_counter() - w0

    total = int(sizes.sum())
    for i, size in enumerate(sizes):
        if size == 0 or state is None:
            finish(i)
    if total and state is not None:
        items = pd.DataFrame(
            {"key": np.arange(total, dtype=np.int64), "text": every["masked"].to_numpy(dtype=object)}
        )
        t1 = time.perf_counter()
        done = 0
        batches = engine.embed_assign(
            items,
            state["embedder"],
            state["model"],
            str(cache_dir) if cache_dir else None,
            sentiment=not whole,
        )
        unit = "comments" if whole else "parts"
        for batch in batches:
            keys = np.asarray(batch["key"], dtype=np.int64)
            which = np.searchsorted(starts, keys, side="right") - 1
            for i in np.unique(which):
                mask = which == i
                buffers[i].append({k: np.asarray(v)[mask] for k, v in batch.items()})
                received[i] += int(mask.sum())
                if received[i] == sizes[i]:
                    finish(int(i))
            done += len(keys)
            rate = done / max(time.perf_counter() - t1, 1e-9)
            progress(
                f"embedded and assigned {done:,} of {total:,} {unit} ({rate:,.0f} {unit}/s)",
                final=done == total,
            )
        timings["embed_assign"] = time.perf_counter() - t1 - timings["write"]
    if state is not None and "codeframe" in state:
        counts = writer.theme_counts(out)
        themes = state["themes"].rename(columns={"n": "n_saved"})
        themes["n"] = themes["theme_id"].astype(str).map(counts).fillna(0).astype(np.int64)
        themes["share"] = themes["n"] / max(int(themes["n"].sum()), 1)
        writer.write_themes_table(out, themes)
    elif state is not None:
        writer.write_themes(out, _theme_table(out, state))
    report["parts"] = None if whole else int(total)
    return state, rows_read, n_comments


def _fit_parts(
    every: pd.DataFrame, pending: list, n_comments: int, options: BatchOptions, cache, log
) -> dict:
    """The fit stage: a ThemeModel fitted, as `cx.themes.find_themes` fits one, on the parts of a seeded
    sample of the comments (all of them when there are at most `sample_size`): the same languages, names,
    sentiment, negative-only choice (with its fallback) and two-level model."""
    cleaned = [c for r in pending for c in r[4]]
    languages = comment_languages(cleaned)
    present = tuple(sorted({lang for lang in languages if lang}))
    if options.embedder == AUTO:
        name, reason = choose_embedder(languages)
    else:
        name, reason = options.embedder, "Chosen by the user."
    names = frozenset().union(*(r[5] for r in pending))
    chosen = sample_positions(n_comments, options.sample_size, options.seed)
    sample = every[every["comment"].isin(chosen)].reset_index(drop=True)
    sample = sample.assign(row=sample["comment"])  # a comment's parts share its number (sizes in comments)
    log(
        f"fitting themes on the {len(sample):,} parts of a sample of {len(chosen):,} of {n_comments:,} "
        f"comments ({name})"
    )
    notes = []
    try:
        is_negative, p_negative = _default_negative(sample["masked"].tolist(), cache)
    except (ImportError, OSError) as exc:  # as find_themes: without the sentiment model, every part grouped
        is_negative = p_negative = np.full(len(sample), np.nan)
        notes.append(f"{NO_SENTIMENT} ({type(exc).__name__}): every part was grouped, praise included.")
        log(f"warning: {notes[-1]}")
    sample["p_negative"] = np.asarray(p_negative, dtype=float)
    sample["negative"] = pd.array(
        [pd.NA if np.isnan(v) else bool(v) for v in np.asarray(is_negative, dtype=float)], dtype="boolean"
    )
    sample["grouped"], fallbacks = grouped_parts(sample, options.all_comments)
    clustered = clustered_parts(sample)
    if clustered.empty:
        raise ThemeError("The comments are empty once names, links, handles and numbers are removed.")
    backend = get_embedder(name)
    vectors, _ = embed_texts(clustered["masked"].tolist(), backend, cache=cache)
    k = "auto" if options.k == "auto" else int(options.k)
    model = fit_parts_model(
        vectors,
        clustered,
        n_themes=k,
        random_state=options.seed,
        stop=stop_words(present) | names,
        backend=backend,
        cache=cache,
    )
    shown = clustered["text"].to_numpy()  # quotes show the parts as written, not the masked ones
    return {
        "model": model,
        "embedder": name,
        "reason": reason,
        "n_sample": int(len(chosen)),
        "n_sample_parts": int(len(clustered)),
        "fallbacks": int(fallbacks),
        "names_masked": len(names),
        "notes": notes,
        "languages": list(present),
        "top_quotes": [[str(shown[j]) for j in idx] for idx in model.top_themes_["quote_index"]],
        "sub_quotes": [[str(shown[j]) for j in idx] for idx in model.themes_["quote_index"]],
    }


def _top_labels(model) -> pd.Series:
    """Top theme id → label, with Other (0)."""
    labels = dict(zip(model.top_themes_["theme_id"].astype(int), model.top_themes_["label"], strict=True))
    return pd.Series({OTHER_ID: OTHER_LABEL, **labels}, dtype=object)


def _assign_parts(units: pd.DataFrame, found: np.ndarray, p_negative: np.ndarray, model, all_comments: bool):
    """One file's parts with their sentiment and themes, as find_themes gives them: grouped parts (the
    negative ones of a complaint, or its most negative one) get their sub-theme (a junk part: Other), the
    others none.

    Returns:
        (parts: part, text, theme_id ("3.2", "0" for Other, None when not grouped), parent_id (3, 0,
        NA), p_negative, grouped; the ids written beside the vectors: row, part, theme_id)
    """
    parts = units[["row", "part", "text", "junk"]].reset_index(drop=True).copy()
    parts["p_negative"] = p_negative
    scored = ~np.isnan(p_negative)
    # label_negative reads the model's threshold: not when no part was scored (the model is missing)
    labelled = label_negative(p_negative) if scored.any() else np.zeros(len(parts), dtype=bool)
    parts["negative"] = pd.array(
        [bool(v) if s else pd.NA for s, v in zip(scored, labelled, strict=True)], dtype="boolean"
    )
    grouped, _ = grouped_parts(parts, all_comments)
    junk = parts["junk"].to_numpy(dtype=bool)
    sub = np.where(grouped, np.where(junk, 0, found), -1)
    keys = np.array([str(OTHER_ID), *model.themes_["key"].astype(str)], dtype=object)
    tops = np.r_[OTHER_ID, model.parent_of_theme_].astype(np.int64)
    parts["theme_id"] = pd.array(np.where(sub >= 0, keys[np.maximum(sub, 0)], None), dtype="string")
    parts["parent_id"] = pd.array(np.where(sub >= 0, tops[np.maximum(sub, 0)], 0), dtype="Int64")
    parts.loc[sub < 0, "parent_id"] = pd.NA
    parts["grouped"] = grouped
    ids = parts[["row", "part", "theme_id"]].copy()
    return parts.drop(columns=["junk", "negative"]), ids


def _comment_themes(
    responses: pd.DataFrame, parts: pd.DataFrame, rows: np.ndarray, labels: pd.Series
) -> None:
    """Each comment's themes from its parts, as find_themes' assignments and the app's export give them:
    theme_id/theme_label = its first top theme (in the order its parts come; Other only when it has no
    other), all_theme_ids/all_theme_labels = every top theme it has, by id, joined with "; "."""
    member = parts.assign(row=rows)[parts["parent_id"].notna().to_numpy()]
    member = member.assign(parent_id=member["parent_id"].astype(np.int64))
    first = member.sort_values(
        ["row", "parent_id", "part"], key=lambda s: s.eq(OTHER_ID) if s.name == "parent_id" else s
    ).drop_duplicates("row")
    theme = pd.Series(pd.NA, index=range(len(responses)), dtype="Int64")
    theme[first["row"].to_numpy()] = first["parent_id"].to_numpy()
    responses["theme_id"] = theme.to_numpy()
    responses["theme_label"] = pd.array(theme.map(labels).to_numpy(dtype=object), dtype="string")
    top = member[["row", "parent_id"]].drop_duplicates().sort_values(["row", "parent_id"], kind="stable")
    joined = top.groupby("row")["parent_id"].agg(
        ids=lambda v: "; ".join(str(int(i)) for i in v),
        labels=lambda v: "; ".join(str(labels.get(int(i), OTHER_LABEL)) for i in v),
    )
    responses["all_theme_ids"] = pd.array(joined["ids"].reindex(range(len(responses))), dtype="string")
    responses["all_theme_labels"] = pd.array(joined["labels"].reindex(range(len(responses))), dtype="string")


def _theme_table(out: Path, state: dict) -> pd.DataFrame:
    """themes.parquet: the top themes (level "top", ids "1", "2"…) then their sub-themes (level "sub", ids
    "1.1"…, parent_id), each with its comments in the whole folder (n: a comment with parts in two themes
    counts in both, so shares can add up to more than 100 %), share of the comments with a theme, the
    sample's count, terms and quotes (parts as written)."""
    model = state["model"]
    members = writer.part_members(out)
    themed = max(int(members[["source_file", "response_id"]].drop_duplicates().shape[0]), 1)
    by_top = members.drop_duplicates(["source_file", "response_id", "parent_id"])["parent_id"].value_counts()
    by_sub = members.drop_duplicates(["source_file", "response_id", "theme_id"])["theme_id"].value_counts()
    top = model.top_themes_
    subs = model.themes_
    table = pd.DataFrame(
        {
            "theme_id": [str(int(t)) for t in top["theme_id"]] + subs["key"].astype(str).tolist(),
            "level": ["top"] * len(top) + ["sub"] * len(subs),
            "parent_id": pd.array([pd.NA] * len(top) + subs["parent_id"].astype(int).tolist(), dtype="Int64"),
            "label": top["label"].tolist() + subs["label"].tolist(),
            "terms": top["terms"].tolist() + subs["terms"].tolist(),
            "quotes": state["top_quotes"] + state["sub_quotes"],
            "n_sample": top["n"].astype(int).tolist() + subs["n"].astype(int).tolist(),
        }
    )
    n_top = [int(by_top.get(int(t), 0)) for t in top["theme_id"]]
    n_sub = [int(by_sub.get(str(k), 0)) for k in subs["key"]]
    table.insert(4, "n", np.array(n_top + n_sub, dtype=np.int64))
    table.insert(5, "share", table["n"] / themed)
    return table
