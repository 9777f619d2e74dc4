"""Where embed + assign runs: in this process (`LocalEngine`) or on Ray Data (`RayEngine`).

Both take the texts (comment parts) as a frame of `key` and `text` and yield result batches (`key`,
`theme_id`, `p_negative`, `vector`) in input order, so the writer can finish one file after another. Each engine is a context
manager: the Ray engine starts a local Ray (and stops it) unless it is given a cluster address.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import numpy as np
import pandas as pd

from cx.batch.stages import EmbedAssign, RoleFlags, read_or_reason

ReadItem = tuple  # (a tag the caller uses, the file's Path)


def reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast (ConnectionError) when a HOST:PORT or ray://HOST:PORT address does not answer: Ray itself
    keeps retrying for minutes. "auto" and "local" are left to Ray."""
    if address in ("auto", "local"):
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise ConnectionError(f"{address!r} is not HOST:PORT, ray://HOST:PORT or auto")
    with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
        pass


class LocalEngine:
    """One process: the app's own embedder (`cx.embed.get_embedder`), batches in order."""

    name = "local"

    def __init__(self, batch_size: int = 1024, **_):
        self.batch_size = batch_size

    def start(self) -> LocalEngine:
        return self

    def stop(self) -> None:
        return None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def read_files(self, items: list[ReadItem], flags: RoleFlags) -> Iterator[tuple]:
        """(item, Dataset or the reason it could not be read) for each (tag, path) item, one after another."""
        for item in items:
            yield item, read_or_reason(item[1], flags)

    def embed_assign(
        self, items: pd.DataFrame, embedder: str, model, cache_dir: str | None, sentiment: bool = False
    ) -> Iterator[dict[str, np.ndarray]]:
        stage = EmbedAssign(embedder, model, cache_dir, sentiment=sentiment)
        for start in range(0, len(items), self.batch_size):
            chunk = items.iloc[start : start + self.batch_size]
            yield stage({"key": chunk["key"].to_numpy(), "text": chunk["text"].to_numpy(dtype=object)})


class RayEngine:
    """Ray Data: `map_batches(EmbedAssign)` on a pool of `concurrency` actors, one CPU and one thread each.

    Without an address it starts a local Ray on this machine (no dashboard, bound to 127.0.0.1) and
    stops it at the end; with one ("auto", "ray://host:10001") it joins that cluster and leaves it
    running. The cluster's workers need this package installed (see the README).
    """

    name = "ray"

    def __init__(self, batch_size: int = 256, concurrency: int = 2, address: str | None = None):
        self.batch_size = batch_size
        self.concurrency = max(1, concurrency)
        self.address = address
        self._started = False

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> RayEngine:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no usage report leaves the machine
        # Ray's own notices (a restart caveat of Ray Data's actors, "execution finished") would drown
        # our progress line; errors still surface as exceptions.
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
        import logging

        import ray

        if not ray.is_initialized():
            if self.address:
                reachable(self.address)
                ray.init(address=self.address, log_to_driver=False, logging_level="ERROR")
                self._started = True  # shutdown only disconnects this driver; the cluster runs on
            else:
                ray.init(
                    num_cpus=self.concurrency,
                    include_dashboard=False,
                    _node_ip_address="127.0.0.1",
                    log_to_driver=False,
                    logging_level="ERROR",
                )
                self._started = True
        context = ray.data.DataContext.get_current()
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        context.execution_options.preserve_order = True  # files finish one after another
        context.enable_progress_bars = False  # our own progress line says counts and rates
        context.print_on_execution_start = False
        return self

    def stop(self) -> None:
        if self._started:
            import ray

            ray.shutdown()
            self._started = False

    def read_files(self, items: list[ReadItem], flags: RoleFlags) -> Iterator[tuple]:
        """(item, Dataset or the reason) as each file is read: one Ray task per file on a local Ray (several
        files at once); in this process when on a cluster, whose workers cannot see this machine's disk."""
        if self.address:
            for item in items:
                yield item, read_or_reason(item[1], flags)
            return
        import ray

        task = ray.remote(num_cpus=1)(read_or_reason)
        waiting = {task.remote(item[1], flags): item for item in items}
        while waiting:
            ready, _ = ray.wait(list(waiting), num_returns=1)
            for ref in ready:
                yield waiting.pop(ref), ray.get(ref)

    def embed_assign(
        self, items: pd.DataFrame, embedder: str, model, cache_dir: str | None, sentiment: bool = False
    ) -> Iterator[dict[str, np.ndarray]]:
        import logging

        import ray
        from ray.data import ActorPoolStrategy

        if items.empty:
            return
        # A list of slices (pandas 3 rejects from_pandas(override_num_blocks=)); several blocks per actor
        # keep every actor busy.
        blocks = min(
            len(items), max(self.concurrency, min(len(items) // self.batch_size, self.concurrency * 8))
        )
        size = -(-len(items) // blocks)
        frame = items[["key", "text"]].astype({"text": object})
        dataset = ray.data.from_pandas([frame.iloc[i : i + size] for i in range(0, len(frame), size)])
        model_ref = ray.put(model)
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        out = dataset.map_batches(
            EmbedAssign,
            fn_constructor_kwargs={
                "embedder": embedder,
                "model": [model_ref],  # nested: the actor fetches it, Ray does not pin it as an argument
                # A cluster's workers cannot see this machine's disk: the cache is for a local Ray only.
                "cache_dir": None if self.address else cache_dir,
                "threads": 1,
                "sentiment": sentiment,
            },
            batch_size=self.batch_size,
            batch_format="numpy",
            compute=ActorPoolStrategy(size=self.concurrency),
            num_cpus=1,
        )
        yield from out.iter_batches(batch_format="numpy", batch_size=None)
