"""Several input files into one dataset: join a comments file onto a survey on a shared id, or stack it.

Survey scores and open text often arrive as separate exports. The first file with scores is the survey;
every other file is joined on `response_id` when its ids overlap the survey's, stacked as extra feedback
when they do not (text-only files), or appended when it is another survey export. Every row of every file
stays in the combined dataset or its row report.
"""

from __future__ import annotations

import pandas as pd

from cx.schema import CANONICAL, DERIVED, TEXT_JOINER, Dataset, Roles, add_derived
from cx.strings import UI

SOURCE = "source"


def _has_scores(dataset: Dataset) -> bool:
    return bool(dataset.roles.nps or dataset.roles.csat or dataset.roles.ces)


def combine(datasets: list[Dataset], names: list[str]) -> tuple[Dataset, list[str]]:
    """Combine datasets read from files `names` (same order).

    Returns:
        (the combined dataset with a `source` segment naming each row's file, sentences saying what was done)
    """
    order = sorted(range(len(datasets)), key=lambda i: not _has_scores(datasets[i]))
    first = order[0]
    base = datasets[first]
    frame = base.frame.copy()
    frame[SOURCE] = names[first]
    notes: list[str] = []
    for i in order[1:]:
        other, name = datasets[i], names[i]
        extra = other.frame.copy()
        extra[SOURCE] = name
        if _has_scores(other):
            frame = _stack(frame, extra, name)
            notes.append(UI["files_concat"].format(left=names[first], right=name, n=len(extra)))
            continue
        shared = extra["response_id"].isin(frame["response_id"]) if other.roles.id and base.roles.id else None
        if shared is not None and shared.any():
            matched = extra[shared.to_numpy()]
            texts = matched.groupby("response_id", sort=False)["text"].agg(
                lambda s: TEXT_JOINER.join(s.dropna().astype(str))
            )
            texts = texts[texts != ""]
            own = frame["text"]
            current = frame["response_id"].map(texts).astype("string")
            both = own.notna() & current.notna()
            merged = own.where(own.notna(), current)
            merged[both] = own[both] + TEXT_JOINER + current[both]
            frame["text"] = merged.astype("string")
            unmatched = extra[~shared.to_numpy()]
            frame = _stack(frame, unmatched, name)
            notes.append(
                UI["files_joined"].format(
                    left=names[first],
                    right=name,
                    key="response_id",
                    matched=len(matched),
                    total=len(extra),
                    unmatched=len(unmatched),
                )
            )
        else:
            frame = _stack(frame, extra, name)
            notes.append(UI["files_stacked"].format(left=names[first], right=name, n=len(extra)))

    frame = frame.reset_index(drop=True)
    for col in frame.columns:
        if frame[col].dtype == object and col not in CANONICAL + DERIVED:
            frame[col] = frame[col].astype("category")
    frame[SOURCE] = frame[SOURCE].astype("category")
    roles = Roles(**{**base.roles.__dict__})
    roles.segments = [
        c
        for c in frame.columns
        if isinstance(frame[c].dtype, pd.CategoricalDtype) and c not in CANONICAL + DERIVED
    ]
    sources = {d.sentiment_source for d in datasets if d.sentiment_source}
    if not roles.sentiment:
        roles.sentiment = next((d.roles.sentiment for d in datasets if d.roles.sentiment), None)
    text_only = [n for d, n in zip(datasets, names, strict=True) if not _has_scores(d)]
    frame = add_derived(
        frame.drop(columns=["nps_group", "csat_satisfied", "is_complaint"]),
        base.roles,
        text_only=frame[SOURCE].isin(text_only).to_numpy(),
    )
    rejected = (
        pd.concat(
            [d.rejected.assign(file=n) for d, n in zip(datasets, names, strict=True) if len(d.rejected)],
            ignore_index=True,
        )
        if any(len(d.rejected) for d in datasets)
        else base.rejected.assign(file=pd.Series(dtype=str))
    )
    invalid = {}
    for d, n in zip(datasets, names, strict=True):
        for col, count in d.invalid_values.items():
            if count:
                invalid[f"{n}: {col}"] = count
    raw = pd.concat(
        [d.raw.assign(**{SOURCE: n}) for d, n in zip(datasets, names, strict=True)], ignore_index=True
    )
    combined = Dataset(
        frame=frame,
        raw=raw,
        roles=roles,
        rejected=rejected,
        invalid_values=invalid,
        rows_read=sum(d.rows_read for d in datasets),
        notes=[note for d in datasets for note in d.notes] + notes,
        sentiment_source=", ".join(sorted(sources)) or None,
    )
    return combined, combined.notes


def _stack(frame: pd.DataFrame, extra: pd.DataFrame, name: str) -> pd.DataFrame:
    extra = extra.copy()
    clash = extra["response_id"].isin(frame["response_id"])
    extra.loc[clash, "response_id"] = name + ":" + extra.loc[clash, "response_id"]
    # Category columns with different categories would fall back to object; fixed after the loop.
    both = [
        frame.astype({c: object for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}),
        extra.astype({c: object for c in extra.columns if isinstance(extra[c].dtype, pd.CategoricalDtype)}),
    ]
    return pd.concat(both, ignore_index=True)
