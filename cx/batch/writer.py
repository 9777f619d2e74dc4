"""Write a batch's output folder: Parquet datasets, the theme table, the fitted model and report.json.

    DIR/responses/month=YYYY-MM/<file key>.parquet   canonical rows + response_id, theme_id, theme_label,
                                                     source_file (month=undated for rows without a date)
                                                     (first top theme), all_theme_ids/labels ("1; 3")
    DIR/parts/<file key>.parquet                     source_file, response_id, part, text, theme_id
                                                     ("3.2"), parent_id (3), p_negative, grouped
    DIR/embeddings/<file key>.parquet                source_file, response_id, part, theme_id, vector
    DIR/themes.parquet                               theme_id ("3", "3.2"), level, parent_id, label, terms,
                                                     n, share, quotes, n_sample
    DIR/model.pkl                                    the fitted ThemeModel (a rerun assigns with it)
    DIR/report.json                                  row report per file, engine, timings, counts

Every file is written under a temporary name and renamed, so an interrupted run leaves no half file,
and report.json (the manifest a rerun reads) is rewritten after each input file is finished.
"""

from __future__ import annotations

import json
import os
import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

UNDATED = "undated"
REPORT = "report.json"
MODEL = "model.pkl"


def file_key(path: Path, digest: str) -> str:
    """A file's name in the output: its stem (safe characters only) and the start of its hash."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", path.stem)[:60] or "file"
    return f"{stem}-{digest[:12]}"


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def responses_table(frame: pd.DataFrame, source_file: str) -> pd.DataFrame:
    """The canonical frame as written: categories as plain strings, plus source_file and month."""
    out = frame.reset_index(drop=True).copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("string")
    out["source_file"] = pd.Series(source_file, index=out.index, dtype="string")
    dates = pd.to_datetime(out["date"])
    out["month"] = dates.dt.strftime("%Y-%m").fillna(UNDATED)
    return out


def write_file_outputs(
    out_dir: Path,
    key: str,
    responses: pd.DataFrame,
    comments: pd.DataFrame,
    vectors: np.ndarray,
    parts: pd.DataFrame | None = None,
) -> list[str]:
    """Write one input file's responses (one Parquet file per month), embeddings and parts.

    Args:
        responses: `responses_table` output with theme_id and theme_label (and all_theme_ids/labels).
        comments: response_id, theme_id (and part) of each embedded text, row i for vectors[i].
        parts: the comment parts (response_id, part, text, theme_id, parent_id, p_negative, grouped),
            written to parts/<key>.parquet; None for whole comments (a codeframe).

    Returns:
        The written paths, relative to out_dir (the manifest keeps them, to replace them on a rerun).
    """
    written = []
    for month, part in responses.groupby("month", sort=True):
        path = out_dir / "responses" / f"month={month}" / f"{key}.parquet"
        table = pa.Table.from_pandas(part.drop(columns="month"), preserve_index=False)
        _atomic_parquet(table, path)
        written.append(str(path.relative_to(out_dir)))
    if len(comments):
        dim = vectors.shape[1]
        flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).ravel(), type=pa.float32())
        table = pa.table(
            {
                "source_file": pa.array([responses["source_file"].iloc[0]] * len(comments), pa.string()),
                "response_id": pa.array(comments["response_id"].astype(str).tolist(), pa.string()),
                **({"part": pa.array(comments["part"].astype(np.int64))} if "part" in comments else {}),
                "theme_id": pa.Array.from_pandas(comments["theme_id"]),  # "3.2", or a codeframe's ids
                "vector": pa.FixedSizeListArray.from_arrays(flat, dim),
            }
        )
        path = out_dir / "embeddings" / f"{key}.parquet"
        _atomic_parquet(table, path)
        written.append(str(path.relative_to(out_dir)))
    if parts is not None and len(parts):
        frame = parts.drop(columns=[c for c in ("row",) if c in parts]).reset_index(drop=True)
        frame.insert(0, "source_file", responses["source_file"].iloc[0])
        frame["response_id"] = frame["response_id"].astype(str)
        frame["source_file"] = frame["source_file"].astype(str)
        path = out_dir / "parts" / f"{key}.parquet"
        _atomic_parquet(pa.Table.from_pandas(frame, preserve_index=False), path)
        written.append(str(path.relative_to(out_dir)))
    return written


def remove_outputs(out_dir: Path, paths: list[str]) -> None:
    """Remove a file's earlier outputs (its content changed, or it failed half way)."""
    for rel in paths:
        (out_dir / rel).unlink(missing_ok=True)


def write_themes(out_dir: Path, themes: pd.DataFrame) -> None:
    table = themes.copy()
    table["terms"] = table["terms"].map(list)
    table["quotes"] = table["quotes"].map(list)
    _atomic_parquet(pa.Table.from_pandas(table, preserve_index=False), out_dir / "themes.parquet")


def write_themes_table(out_dir: Path, themes: pd.DataFrame) -> None:
    """A codeframe's theme table (its own columns) as themes.parquet."""
    table = themes.copy()
    for col in ("keywords", "examples"):
        if col in table:
            table[col] = table[col].map(list)
    _atomic_parquet(pa.Table.from_pandas(table, preserve_index=False), out_dir / "themes.parquet")


def theme_counts(out_dir: Path) -> pd.Series:
    """Comments per theme over every embeddings file in the folder (this run's and earlier runs')."""
    folder = out_dir / "embeddings"
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        return pd.Series(dtype=np.int64)
    ids = np.concatenate([pq.read_table(f, columns=["theme_id"])["theme_id"].to_numpy() for f in files])
    return pd.Series(ids).value_counts()


def part_members(out_dir: Path) -> pd.DataFrame:
    """source_file, response_id, theme_id ("3.2") and parent_id of every grouped part in the folder (this
    run's and earlier runs')."""
    folder = out_dir / "parts"
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    columns = ["source_file", "response_id", "theme_id", "parent_id"]
    if not files:
        return pd.DataFrame(columns=columns)
    frame = pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)
    return frame[frame["parent_id"].notna()]


def save_model(out_dir: Path, state: dict) -> None:
    tmp = out_dir / f".{MODEL}.tmp"
    with open(tmp, "wb") as handle:
        pickle.dump(state, handle)
    os.replace(tmp, out_dir / MODEL)


def load_model(out_dir: Path) -> dict | None:
    path = out_dir / MODEL
    if not path.is_file():
        return None
    with open(path, "rb") as handle:
        return pickle.load(handle)  # our own output folder, written by save_model


def save_report(out_dir: Path, report: dict) -> None:
    tmp = out_dir / f".{REPORT}.tmp"
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, out_dir / REPORT)


def load_report(out_dir: Path) -> dict | None:
    path = out_dir / REPORT
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
