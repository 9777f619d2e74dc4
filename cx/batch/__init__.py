"""The large-data path: `cx batch` reads many exports, embeds and assigns themes on one machine or on
Ray Data, writes Parquet, and `cx.batch.query` aggregates that output with DuckDB.

Stages (`stages`), engines (`engines`: local, Ray), the writer and its manifest (`writer`), the run
(`run`) and the DuckDB queries (`query`) live in their own modules; Ray and DuckDB are imported only
where they are used.
"""

from cx.batch.run import BatchError, BatchOptions, expand_inputs, run_batch

__all__ = ["BatchError", "BatchOptions", "expand_inputs", "run_batch"]
