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
    choose_model,
    comments_of,
    file_hash,
    fit_model,
    sample_positions,
)
from cx.embed import AUTO, EmbeddingCache, default_cache_dir, embed_texts, get_embedder

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
            "k": int(state["model"].k_),
            "n_sample": state["n_sample"],
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
        "comments_per_s": None,
    }
    if report["counts"]["comments"] and timings["embed_assign"] > 0:
        report["counts"]["comments_per_s"] = round(report["counts"]["comments"] / timings["embed_assign"], 1)
    writer.save_report(out, report)
    return report


def _rollup(out: Path, log: Callable[[str], None]) -> dict:
    """(Re)write DIR/rollup.parquet from every responses/ file there now (this run's and earlier runs'):
    the dashboard answers segment and month questions from it. Not fatal: without it, it scans."""
    import duckdb

    from cx.batch.source import write_rollup

    try:
        entry = write_rollup(out)
    except (duckdb.Error, OSError) as exc:
        log(f"warning: the roll-up could not be written ({exc}); the dashboard will scan responses/.")
        return {"error": str(exc)}
    if entry:
        log(f"roll-up: {entry['rows']:,} responses in {entry['cells']:,} cells (segments × month)")
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
    # ---- read -------------------------------------------------------------------------------------
    results = {}
    rows_read = 0
    t0 = time.perf_counter()
    for ((i, digest), path), dataset in engine.read_files(to_read, options.flags):
        name = str(path)
        if isinstance(dataset, str):  # a bad file is reported, the others go on
            manifest[name] = {"status": "failed", "hash": digest, "error": dataset}
            log(f"failed: {path.name}: {dataset}")
            continue
        comments = comments_of(dataset.frame, options.all_comments)
        results[i] = (path, digest, dataset, comments)
        manifest[name] = {"status": "read", "hash": digest, "row_report": dataset.report()}
        rows_read += dataset.rows_read
        rate = rows_read / max(time.perf_counter() - t0, 1e-9)
        progress(
            f"read {i}/{len(files)} files: {path.name}: {dataset.rows_kept:,} rows kept, "
            f"{dataset.rows_rejected:,} rejected, {len(comments):,} comments ({rate:,.0f} rows/s)",
            final=True,
        )
    pending = [results[i] for i in sorted(results)]
    timings["read"] = time.perf_counter() - t0

    # ---- fit (or reuse the folder's model) ----------------------------------------------------------
    t0 = time.perf_counter()
    cache_dir = default_cache_dir()
    cache = EmbeddingCache(cache_dir)
    texts = [t for *_, comments in pending for t in comments["text"]]
    state = writer.load_model(out)
    if state is None and texts and codeframe is not None:
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
    elif state is None and texts:
        name, reason, languages = choose_model(texts, options.embedder)
        positions = sample_positions(len(texts), options.sample_size, options.seed)
        sample = [texts[p] for p in positions]
        log(f"fitting themes on a sample of {len(sample):,} of {len(texts):,} comments ({name})")
        vectors, _ = embed_texts(sample, get_embedder(name), cache=cache)
        k = "auto" if options.k == "auto" else int(options.k)
        model = fit_model(vectors, sample, k, options.seed, languages)
        state = {"model": model, "embedder": name, "reason": reason, "n_sample": len(sample)}
        writer.save_model(out, state)
    timings["fit"] = time.perf_counter() - t0

    # ---- embed + assign, write each file as soon as its comments are back -----------------------------
    sizes = np.array([len(c) for *_, c in pending], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)])[:-1] if len(sizes) else np.zeros(0, dtype=np.int64)
    buffers: dict[int, list[dict]] = {i: [] for i in range(len(pending))}
    received = np.zeros(len(pending), dtype=np.int64)
    labels = state["model"].themes_.set_index("theme_id")["label"] if state else pd.Series(dtype=object)
    state_or_empty = state or {}

    def finish(i: int) -> None:
        path, digest, dataset, comments = pending[i]
        w0 = time.perf_counter()
        responses = writer.responses_table(dataset.frame, path.name)
        theme = np.full(len(responses), -1, dtype=np.int64)
        vectors = np.zeros((0, 0), dtype=np.float32)
        comment_ids = comments.assign(theme_id=np.zeros(len(comments), dtype=np.int64))
        if buffers[i]:
            keys = np.concatenate([b["key"] for b in buffers[i]])
            order = np.argsort(keys, kind="stable")
            ids = np.concatenate([b["theme_id"] for b in buffers[i]])[order]
            vectors = np.vstack([b["vector"] for b in buffers[i]])[order]
            theme[comments["row"].to_numpy()] = ids
            comment_ids["theme_id"] = ids
        if "codeframe" in state_or_empty:  # 0 is "new": a comment close enough to no saved theme
            ids = np.array([None, *state_or_empty["model"].ids_], dtype=object)
            responses["theme_id"] = pd.array(ids[np.maximum(theme, 0)], dtype="string")
            responses["theme_status"] = pd.array(
                np.where(theme > 0, "known", np.where(theme == 0, "new", None)), dtype="string"
            )
            comment_ids["theme_id"] = pd.array(ids[comment_ids["theme_id"].to_numpy()], dtype="string")
        else:
            responses["theme_id"] = pd.array(np.where(theme > 0, theme, 0), dtype="Int64")
            responses.loc[theme <= 0, "theme_id"] = pd.NA
        responses["theme_label"] = responses["theme_id"].map(labels).astype("string")
        comment_ids["response_id"] = responses["response_id"].to_numpy()[comments["row"].to_numpy()]
        outputs = writer.write_file_outputs(
            out, writer.file_key(path, digest), responses, comment_ids, vectors
        )
        manifest[str(path)].update(
            status="done",
            outputs=outputs,
            rows=len(responses),
            comments=len(comments),
            assigned=int((theme > 0).sum()),
        )
        writer.save_report(out, report)
        buffers[i] = []
        timings["write"] += time.perf_counter() - w0

    total = int(sizes.sum())
    for i, size in enumerate(sizes):
        if size == 0 or state is None:
            finish(i)
    if total and state is not None:
        items = pd.DataFrame({"key": np.arange(total, dtype=np.int64), "text": np.array(texts, dtype=object)})
        t1 = time.perf_counter()
        done = 0
        batches = engine.embed_assign(
            items, state["embedder"], state["model"], str(cache_dir) if cache_dir else None
        )
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
                f"embedded and assigned {done:,} of {total:,} comments ({rate:,.0f} comments/s)",
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
        counts = writer.theme_counts(out)
        themes = state["model"].themes_.rename(columns={"n": "n_sample", "share": "share_sample"})
        themes["n"] = themes["theme_id"].map(counts).fillna(0).astype(np.int64)
        themes["share"] = themes["n"] / max(int(themes["n"].sum()), 1)
        writer.write_themes(out, themes[["theme_id", "label", "terms", "n", "share", "quotes", "n_sample"]])
    return state, rows_read, total
