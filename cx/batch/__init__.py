"""The large-data path: `cx batch` reads many exports, embeds and assigns themes on one machine or on
Ray Data, writes Parquet, and the dashboard opens that output with `cx.batch.source.BatchSource` (DuckDB).

Stages (`stages`), engines (`engines`: local, Ray), the writer and its manifest (`writer`), the run
(`run`), the dashboard's data source (`source`) and the CLI's smaller reader (`query`) live in their own
modules; Ray and DuckDB are imported only where they are used, and the run (with the embedder) only when
asked for, so the dashboard opening a dataset does not load it.
"""

__all__ = ["BatchError", "BatchOptions", "expand_inputs", "run_batch"]


def __getattr__(name: str):
    if name in __all__:
        from cx.batch import run

        return getattr(run, name)
    raise AttributeError(f"module 'cx.batch' has no attribute {name!r}")
