"""Speed of the themes on long reviews: 5,000 reviews of 50–300 words, parts included, cold and warm.

The reviews are built here from the hand-written sentences of tests/data/reviews (Spanish and English),
each sentence varied with an opening, a closing phrase and who said it, so that most parts are distinct
(as in real reviews, where the cache rarely sees the same sentence twice); 40 % are complaints (rating 1–2).
  cold: empty embedding cache (every part embedded: the sentiment model's multilingual encoder, then the
        theme model's, which is the same one for a mixed-language file);
  warm, vectors only: the same file again, every vector cached, but the parts (split, masked, their
        sentiment) and the fitted themes forgotten (cx.themes.ResultCache): everything but embedding redone;
  warm, parts kept: the fitted themes forgotten, the parts kept: k searched and KMeans fitted again (what
        another k or model costs);
  warm: the same file again, vectors, parts and fitted themes cached;
  warm, new process: a restart or a CLI rerun on the same cache folder (time in find_themes, and of the
        whole process with its imports), with everything kept, then the parts only, then the vectors only.
Every warm result is checked against the cold one (same ids, labels, sizes, quotes, assignments).
The machine is shared: the load average is printed beside every time, and the cores that processes other
than the bench's kept busy during each run.
  --beside busy: the same runs beside one busy single-thread process (a screen-shared review, a build);
  --beside twin: two of these benches at once, each its own process and cache (two servers, or the app and a
        CLI run), started together once both have loaded the model.

    python bench/themes_speed_bench.py [--reviews 5000] [--beside none|busy|twin]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from themes_common import canonical, load

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "data" / "reviews"))
from make_reviews import PLACES, PRAISE, PROBLEMS  # noqa: E402

from cx.embed import EmbeddingCache, get_embedder  # noqa: E402
from cx.text import split_parts  # noqa: E402
from cx.themes import find_themes  # noqa: E402

OPEN = {
    "en": ["", "Honestly, ", "To be fair, ", "Sadly ", "On the first day ", "When we arrived ", "Later on "],
    "es": [
        "",
        "Sinceramente, ",
        "La verdad es que ",
        "Por desgracia ",
        "El primer día ",
        "Al llegar ",
        "Luego ",
    ],
}
CLOSE = {
    "en": ["", " during our stay", " in the evening", " on a Sunday", " with two kids", " every single time"],
    "es": ["", " durante la estancia", " por la tarde", " un domingo", " con dos niños", " cada vez"],
}
# Who noticed and how it felt: with OPEN and CLOSE, about 20,000 variants of each sentence, so parts are
# nearly all distinct, as in real reviews (the cache keys on the text once names and numbers are masked).
WHO = {
    "en": ["", " my wife said", " as my friend noticed", " which annoyed my parents", " as other guests said",
           " which surprised the kids", " my husband thought", " as our group agreed", " which we told them",
           " as the reviews warned", " which my sister noticed", " my colleague said"],
    "es": ["", " dijo mi mujer", " como notó mi amigo", " lo que molestó a mis padres", " como dijeron otros clientes",
           " lo que sorprendió a los niños", " pensó mi marido", " como vio todo el grupo", " y se lo dijimos",
           " como avisaban las reseñas", " lo que notó mi hermana", " dijo mi compañero"],
}  # fmt: skip


def long_reviews(n: int, seed: int = 5) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        lang = "es" if rng.random() < 0.6 else "en"
        target = rng.randint(50, 300)
        sentences: list[str] = []
        while sum(len(s.split()) for s in sentences) < target:
            bank = PROBLEMS[rng.choice(sorted(PROBLEMS))][lang] if rng.random() < 0.6 else PRAISE[lang]
            core = rng.choice(bank)
            opening = rng.choice(OPEN[lang])
            core = core[:1].lower() + core[1:] if opening else core[:1].upper() + core[1:]
            sentences.append(f"{opening}{core}{rng.choice(CLOSE[lang])}{rng.choice(WHO[lang])}")
        rating = rng.choice([1, 2]) if rng.random() < 0.4 else rng.choice([3, 4, 5])
        rows.append(
            {
                "id": f"L{i:05d}",
                "place": rng.choice(PLACES),
                "rating": rating,
                "review": ". ".join(sentences) + ".",
            }
        )
    return pd.DataFrame(rows)


def machine_busy() -> float:
    """Busy CPU seconds of the whole machine since boot (/proc/stat)."""
    fields = [int(v) for v in open("/proc/stat").readline().split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def forget_results(folder: Path, parts: bool = True) -> None:
    """Remove the fitted themes kept beside the vectors, and the parts unless `parts` is False
    (cx.themes.ResultCache)."""
    for stored in [*folder.glob("themes-*.npz"), *(folder.glob("parts-*.npz") if parts else [])]:
        stored.unlink()


def same_themes(a, b) -> str:
    """ "yes" when two results have the same ids, labels, sizes, quotes and assignments, else what differs."""
    for name in ("assignments", "themes", "subthemes", "pairs", "parts"):
        if not getattr(a, name).equals(getattr(b, name)):
            return f"NO ({name} differ)"
    return "yes"


def digest(result) -> str:
    """A short digest of what the pages show: every frame of the result, as CSV."""
    h = hashlib.blake2b(digest_size=6)
    for name in ("assignments", "themes", "subthemes", "pairs", "parts"):
        h.update(getattr(result, name).to_csv().encode())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=5000)
    parser.add_argument("--beside", choices=["none", "busy", "twin"], default="none")
    parser.add_argument("--name", default="", help=argparse.SUPPRESS)  # the twin's label
    parser.add_argument("--wait", action="store_true", help=argparse.SUPPRESS)  # a twin: start on "go"
    parser.add_argument("--rerun", help=argparse.SUPPRESS)  # a new process on this cache folder
    args = parser.parse_args()
    frame = canonical(long_reviews(args.reviews)).frame
    if args.rerun:
        t0 = time.perf_counter()
        cache = EmbeddingCache(Path(args.rerun))
        result = find_themes(frame, cache=cache)
        seconds = time.perf_counter() - t0
        print(
            f"{seconds:.2f} s in find_themes, {result.embedded:,} parts embedded, {result.k} top themes, "
            f"digest {digest(result)}"
        )
        return
    words = frame["text"].str.split().str.len()
    complaints = frame[frame["is_complaint"]]
    n_parts = sum(len(split_parts(t)) for t in complaints["text"])
    tag = f"{args.name}: " if args.name else ""
    if not args.wait:
        print(
            f"{len(frame):,} reviews, {words.min()}–{words.max()} words (mean {words.mean():.0f}); "
            f"{len(complaints):,} complaints, {n_parts:,} parts; beside: {args.beside}; {load()}"
        )
    get_embedder("multilingual").embed(["warm up the model"])  # model load is once per process
    ours = [os.getpid()]
    other = None
    if args.beside == "busy":
        other = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        ours.append(other.pid)
    elif args.beside == "twin":
        twin = [sys.executable, __file__, "--reviews", str(args.reviews), "--name", "twin B", "--wait"]
        other = subprocess.Popen(twin, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ours.append(other.pid)
        assert other.stdout.readline().strip() == "ready"
        other.stdin.write("go\n")
        other.stdin.flush()
        tag = "twin A: "
    if args.wait:
        print("ready", flush=True)
        sys.stdin.readline()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cache = EmbeddingCache(Path(tmp))
            results = {}
            for run in ("cold", "warm, vectors only", "warm, parts kept", "warm"):
                if run == "warm, vectors only":  # parts and themes forgotten: split, masked, fitted again
                    forget_results(Path(tmp))
                if run == "warm, parts kept":  # the themes forgotten (as for another k or model)
                    forget_results(Path(tmp), parts=False)
                busy0, own0, t0 = machine_busy(), sum(cpu_seconds(p) for p in ours), time.perf_counter()
                start_load = load()
                result = results[run] = find_themes(frame, cache=cache)
                seconds = time.perf_counter() - t0
                own = sum(cpu_seconds(p) for p in ours) - own0
                others = max(0.0, (machine_busy() - busy0 - own) / seconds)
                extra = "" if args.wait else f", other processes {others:.2f} cores"
                same = "" if run == "cold" else f", identical to cold: {same_themes(results['cold'], result)}"
                print(
                    f"{tag}{run}: {seconds:.1f} s, {result.embedded:,} parts embedded, {result.k} top themes, "
                    f"{result.k_sub} sub-themes, Other {result.other:,} comments{same}; at start {start_load}"
                    f"{extra}",
                    flush=True,
                )
            if not args.wait:  # a restart or a CLI rerun: a new process, the same cache folder
                for run in (
                    "warm, new process",
                    "warm, new process, parts kept",
                    "warm, new process, vectors only",
                ):
                    if run.endswith("parts kept"):
                        forget_results(Path(tmp), parts=False)
                    if run.endswith("vectors only"):
                        forget_results(Path(tmp))
                    start_load = load()
                    child = [sys.executable, __file__, "--reviews", str(args.reviews), "--rerun", tmp]
                    t0 = time.perf_counter()
                    out = subprocess.run(child, capture_output=True, text=True, check=True).stdout.strip()
                    seconds = time.perf_counter() - t0
                    same = "yes" if out.endswith(digest(results["cold"])) else "NO"
                    print(
                        f"{tag}{run}: {out} (identical to cold: {same}), process {seconds:.1f} s; at start {start_load}"
                    )
    finally:
        if args.beside == "busy":
            other.terminate()
        elif args.beside == "twin":
            for line in other.stdout:
                print(line.rstrip(), flush=True)
            other.wait()


if __name__ == "__main__":
    main()
