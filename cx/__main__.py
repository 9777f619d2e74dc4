"""Command line: the same pipeline as the app, without the UI (`cxlens ...` once installed, or `python -m cx ...`).

    cxlens app [STREAMLIT OPTIONS]        start the dashboard (http://localhost:8501)
    python -m cx inspect FILE [--format json|text]
    python -m cx metrics FILE [--by COL|day|week|month|quarter|year ...] [--min-n N] [--format csv|json]
    python -m cx areas FILE [--metric nps|csat|ces|sentiment] [--depth 1|2] [--min-n N] [--format json|csv]
    python -m cx export FILE [--where COL=VALUE ...] [--from DATE] [--to DATE] [--sep , | ;] --out OUT.csv|OUT.xlsx
    python -m cx themes FILE [--k N|auto] [--embedder auto|multilingual|minilm|PATH] [--all-comments] --out DIR
    python -m cx changes FILE [--from PERIOD] [--to PERIOD] [--metric nps|csat|ces|sentiment|churn] [--themes CSV]
    python -m cx alerts FILE [--period month|week] [--metric M] [--fdr Q] [--themes CSV] [--format json|text]
    python -m cx drivers FILE [--metric nps|csat|ces|sentiment|churn] [--themes CSV] [--format json|text]
    python -m cx batch INPUT... --out DIR [--engine local|ray] [--address ray://HOST:PORT|auto] [--k N|auto|--codeframe NAME]
                  [--all-comments] [--batch-size N] [--concurrency N]   many files (globs) -> Parquet folder
    python -m cx codeframe save FILE --name NAME [--k N|auto] | list | show NAME [--version V]
    python -m cx codeframe rename|merge|split|delete|add|history|revert|apply|export|import ...

Role flags skip detection for the roles they name; --header-row N and --sheet NAME choose what is read. An unusable file exits with status 2 and one line
on stderr beginning "error:".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from cx import i18n
from cx.areas import area_label
from cx.batch.run import BatchError
from cx.codeframe import CodeframeError
from cx.export import to_csv_bytes
from cx.io import InputError
from cx.metrics import COLUMNS, DEFAULT_MIN_N, GRANULARITIES, metrics_by
from cx.schema import Dataset, RoleFlags, load_with_flags
from cx.store import StoreError
from cx.strings import CHANGES, DRIVERS, PERIODS, UI
from cx.themes import ThemeError


def _add_role_flags(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("column roles (skip detection for the roles given)")
    g.add_argument("--id", help="response id column")
    g.add_argument("--date", help="date column")
    g.add_argument("--nps", help="NPS (0-10) column")
    g.add_argument("--csat", help="CSAT column")
    g.add_argument("--csat-scale", help="CSAT scale: 1-5, 1-7, 1-10, 0-10 or 0-1 (good/bad)")
    g.add_argument("--ces", help="CES (effort) column")
    g.add_argument("--text", action="append", help="comment column (repeatable)")
    g.add_argument("--segment", action="append", help="segment column (repeatable)")
    g.add_argument("--sentiment", help="sentiment column (positive/negative/neutral, 1/0/-1)")
    g.add_argument("--churned", help="churn column (Sí/No, yes/no, 1/0, churned/active, a cancellation date)")
    order = g.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True, help="22/10/2016")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False, help="10/22/2016")
    g.add_argument("--sheet", help="Excel sheet to read")
    g.add_argument(
        "--header-row",
        type=int,
        metavar="N",
        help="row number of the header (1 = first row); default: detected",
    )


# What .streamlit/config.toml sets, as flags: that file is read from the working directory only, and an
# installed `cxlens app` runs from anywhere (tests/test_install.py keeps the two equal).
STREAMLIT_OPTIONS = {
    "server.maxUploadSize": 200,
    "server.enableXsrfProtection": True,
    "server.headless": True,
    "runner.postScriptGC": False,
    "browser.gatherUsageStats": False,
    "client.showErrorDetails": "none",
    "client.toolbarMode": "minimal",
    "theme.base": "light",
    "theme.primaryColor": "#0072B2",
}


def app_script() -> Path | None:
    """The dashboard's entry script: cx/app/streamlit_app.py in the package, else a checkout's app.py."""
    package = Path(__file__).resolve().parent
    for path in (package / "app" / "streamlit_app.py", package.parent / "app.py"):
        if path.is_file():
            return path
    return None


def app_command(extra: list[str]) -> list[str]:
    """`python -m streamlit run <entry script>` with the app's settings; options in `extra` win."""
    script = app_script()
    if script is None:
        raise InputError(
            "the dashboard is not part of this installation (cx/app/streamlit_app.py is missing)."
        )
    flags = []
    for key, value in STREAMLIT_OPTIONS.items():
        flags.append(f"--{key}={str(value).lower() if isinstance(value, bool) else value}")
    return [sys.executable, "-m", "streamlit", "run", str(script), *flags, *extra]


def run_app(streamlit_args: list[str]) -> int:
    command = app_command(streamlit_args)
    if os.name == "posix":
        os.execv(command[0], command)  # Ctrl-C and signals go straight to the server
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 130


def parser() -> argparse.ArgumentParser:
    prog = "python -m cx" if Path(sys.argv[0]).name == "__main__.py" else "cxlens"
    p = argparse.ArgumentParser(prog=prog, description="CX Lens: NPS and CSAT from a survey export.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "app",
        help="start the dashboard in the browser (http://localhost:8501)",
        description="Start the dashboard. Options after `app` go to `streamlit run`, e.g. --server.port=8502.",
    )
    inspect = sub.add_parser("inspect", help="detected roles and the row report")
    inspect.add_argument("file")
    inspect.add_argument("--format", choices=["json", "text"], default="json")
    _add_role_flags(inspect)
    metrics = sub.add_parser("metrics", help="NPS and CSAT with 95 %% intervals, overall or by group")
    metrics.add_argument("file")
    metrics.add_argument(
        "--by", action="append", default=[], help="segment column or " + "|".join(GRANULARITIES)
    )
    metrics.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    metrics.add_argument("--format", choices=["csv", "json"], default="csv")
    _add_role_flags(metrics)
    areas = sub.add_parser("areas", help="lowest areas ranked by impact, worst first")
    areas.add_argument("file")
    areas.add_argument(
        "--metric",
        choices=["nps", "csat", "ces", "sentiment"],
        default="nps",
        help="sentiment: areas with the highest share of negative comments (from a column, or estimated)",
    )
    areas.add_argument("--depth", type=int, choices=[1, 2], default=2)
    areas.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    areas.add_argument("--format", choices=["json", "csv"], default="json")
    _add_role_flags(areas)
    export = sub.add_parser("export", help="the filtered rows with computed columns, as CSV or Excel")
    export.add_argument("file")
    export.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COL=VALUE",
        help="keep rows where a segment has this value (repeatable; several values of one column are alternatives)",
    )
    export.add_argument("--from", dest="date_from", help="first date kept (YYYY-MM-DD)")
    export.add_argument("--to", dest="date_to", help="last date kept (YYYY-MM-DD)")
    export.add_argument("--sep", choices=[",", ";"], default=",")
    export.add_argument(
        "--no-mask", action="store_true", help="keep emails, phone numbers, cards and IBANs as they are"
    )
    export.add_argument("--out", required=True, help="OUT.csv or OUT.xlsx")
    export.add_argument(
        "--translated-headers",
        action="store_true",
        help="name the computed and summary columns in the --lang language (grupo NPS) instead of the "
        "stable column names (nps_group), and the workbook's sheets too",
    )
    export.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    _add_role_flags(export)
    themes = sub.add_parser("themes", help="complaint themes: assignments.csv and themes.csv in --out")
    themes.add_argument("file")
    themes.add_argument(
        "--k", default="auto", help="number of sub-themes (the finer level), or auto (default)"
    )
    themes.add_argument(
        "--embedder", default="auto", help="auto | multilingual | minilm | a local model path"
    )
    themes.add_argument(
        "--all-comments", action="store_true", help="group every comment, not only complaints"
    )
    themes.add_argument("--out", required=True, help="directory for the two CSV files")
    themes.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    _add_role_flags(themes)
    _add_analysis_parsers(sub)
    batch = sub.add_parser(
        "batch",
        help="many files (globs) -> a Parquet folder with themes, on this machine or on Ray",
        description="Read every file, split the comments into parts as the app's themes do, fit the two-level "
        "themes on a sample's parts and assign every part; write DIR/responses/ (by month), DIR/parts/, "
        "DIR/embeddings/, DIR/themes.parquet and DIR/report.json. "
        "A rerun skips the files already done.",
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or globs (quote them)")
    batch.add_argument("--out", required=True, help="output folder")
    batch.add_argument("--engine", choices=["local", "ray"], default="local")
    batch.add_argument("--address", help="Ray cluster: ray://HOST:10001 or auto (default: a local Ray)")
    batch.add_argument("--k", default="auto", help="number of themes, or auto (default)")
    batch.add_argument("--embedder", default="auto", help="auto | multilingual | minilm | a local model path")
    batch.add_argument("--all-comments", action="store_true", help="group every comment, not only complaints")
    batch.add_argument("--batch-size", type=int, help="comments per embed call (default 1024 local, 256 ray)")
    batch.add_argument("--concurrency", type=int, default=2, help="Ray workers, one CPU each (default 2)")
    batch.add_argument("--seed", type=int, default=0, help="seed of the sample and of KMeans (default 0)")
    batch.add_argument(
        "--sample", type=int, default=20_000, help="comments the themes are fitted on (default 20000)"
    )
    batch.add_argument(
        "--codeframe", metavar="NAME", help="apply this saved codeframe instead of finding themes"
    )
    batch.add_argument("--codeframe-version", type=int, metavar="V", help="its version (default: the latest)")
    _add_role_flags(batch)
    _add_codeframe(sub)
    _add_lang(p)
    return p


def _add_lang(parser: argparse.ArgumentParser, top: bool = True) -> None:
    """--lang on the command and on every subcommand, so it can go anywhere on the line."""
    parser.add_argument(
        "--lang",
        choices=list(i18n.LANGUAGES),
        default=None if top else argparse.SUPPRESS,
        help="language of messages and text output (default: CX_LANG, else the locale: LC_ALL, LANG); "
        "json and csv output stay in English",
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                if name != "app":  # options after `app` belong to streamlit
                    _add_lang(child, top=False)


def _add_analysis_parsers(sub) -> None:
    from cx.changes import DEFAULT_BOOTSTRAP, METRICS

    themes_help = (
        "theme assignments (response_id, theme_id, theme_label), e.g. the assignments.csv of `themes`"
    )
    changes = sub.add_parser("changes", help="what changed between two periods, and where it came from")
    changes.add_argument("file")
    changes.add_argument(
        "--from", dest="period_from", metavar="PERIOD", help="YYYY-MM, YYYY-Qn, YYYY-Www or A..B"
    )
    changes.add_argument("--to", dest="period_to", metavar="PERIOD", help="default: the last complete month")
    changes.add_argument("--metric", choices=METRICS, default="nps")
    changes.add_argument("--themes", metavar="CSV", help=themes_help)
    changes.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    changes.add_argument("--bootstrap", type=int, default=DEFAULT_BOOTSTRAP, metavar="N")
    changes.add_argument("--seed", type=int, default=0)
    changes.add_argument("--format", choices=["json", "text"], default="json")
    _add_role_flags(changes)
    alerts = sub.add_parser(
        "alerts", help="what moved beyond its own history, with a stated false-alarm rate"
    )
    alerts.add_argument("file")
    alerts.add_argument("--period", choices=["month", "week"], default="month")
    alerts.add_argument("--metric", choices=METRICS, default="nps")
    alerts.add_argument(
        "--fdr", type=float, default=0.05, help="expected share of false alarms (default 0.05)"
    )
    alerts.add_argument("--window", type=int, default=6, help="earlier periods each one is compared with")
    alerts.add_argument("--themes", metavar="CSV", help=themes_help)
    alerts.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    alerts.add_argument("--format", choices=["json", "text"], default="json")
    _add_role_flags(alerts)
    drivers = sub.add_parser("drivers", help="key drivers: relative importance with bootstrap intervals")
    drivers.add_argument("file")
    drivers.add_argument("--metric", choices=METRICS, default="nps")
    drivers.add_argument("--themes", metavar="CSV", help=themes_help)
    drivers.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    drivers.add_argument("--bootstrap", type=int, default=200, metavar="N")
    drivers.add_argument("--seed", type=int, default=0)
    drivers.add_argument("--format", choices=["json", "text"], default="json")
    _add_role_flags(drivers)


def _add_codeframe(sub) -> None:
    """`codeframe` and its subcommands: saved, versioned themes (cx/codeframe.py)."""
    verb = sub.add_parser("codeframe", help="save themes as a named codeframe, edit it, apply it to files")
    cf = verb.add_subparsers(dest="action", required=True)

    def action(name: str, help: str, fmt: bool = True) -> argparse.ArgumentParser:
        p = cf.add_parser(name, help=help)
        if fmt:
            p.add_argument("--format", choices=["text", "json"], default="text")
        return p

    save = action("save", "find the themes of FILE and save them as codeframe NAME, version 1")
    save.add_argument("file")
    save.add_argument("--name", required=True)
    save.add_argument("--k", default="auto", help="number of themes, or auto (default)")
    save.add_argument("--embedder", default="auto", help="auto | multilingual | minilm | a local model path")
    save.add_argument("--all-comments", action="store_true", help="every comment, not only complaints")
    _add_role_flags(save)
    action("list", "saved codeframes")
    show = action("show", "the themes of one version (the latest by default)")
    show.add_argument("name")
    show.add_argument("--version", type=int)
    rename = action("rename", "give a theme a new label")
    rename.add_argument("name")
    rename.add_argument("id")
    rename.add_argument("label")
    merge = action("merge", "merge themes into the first id given (the others point to it)")
    merge.add_argument("name")
    merge.add_argument("ids", nargs="+", metavar="ID")
    merge.add_argument("--label")
    split = action("split", "split a theme into k sub-themes")
    split.add_argument("name")
    split.add_argument("id")
    split.add_argument("--k", type=int, default=2)
    delete = action("delete", "delete a theme (its comments become new)")
    delete.add_argument("name")
    delete.add_argument("id")
    add = action("add", "add a theme from example phrases, or a candidate from `apply`")
    add.add_argument("name")
    add.add_argument("label", nargs="?")
    add.add_argument("--example", action="append", default=[], help="an example phrase (repeatable)")
    add.add_argument("--keyword", action="append", default=[], help="a keyword (repeatable; also embedded)")
    add.add_argument("--candidate", help="a candidate id from new_themes.csv (with --from)")
    add.add_argument("--from", dest="from_dir", help="the --out folder of `codeframe apply`")
    history = action("history", "the versions of a codeframe")
    history.add_argument("name")
    revert = action("revert", "a new version equal to an old one")
    revert.add_argument("name")
    revert.add_argument("version", type=int)
    apply = action("apply", "assign a file's comments to the saved themes; new ones grouped")
    apply.add_argument("name")
    apply.add_argument("file")
    apply.add_argument("--version", type=int)
    apply.add_argument("--out", required=True, help="folder for assignments.csv and new_themes.csv")
    apply.add_argument("--threshold", type=float, help="one cosine threshold for all themes")
    scope = apply.add_mutually_exclusive_group()
    scope.add_argument("--all-comments", dest="all_comments", action="store_const", const=True)
    scope.add_argument("--complaints", dest="all_comments", action="store_const", const=False)
    _add_role_flags(apply)
    export = action("export", "write one version as a JSON file", fmt=False)
    export.add_argument("name")
    export.add_argument("out", nargs="?")
    export.add_argument("--out", dest="out_flag")
    export.add_argument("--version", type=int)
    load_ = action("import", "save a JSON codeframe file in the store (version 1)")
    load_.add_argument("file")
    load_.add_argument("--name")


def load(args: argparse.Namespace) -> Dataset:
    """Read the file and build the dataset, applying the role flags over the detected roles
    (`cx.schema.load_with_flags`, the rule `cx batch` applies to each of its files).

    A column given a role by flag loses every role detection gave it.
    """
    return load_with_flags(args.file, RoleFlags.from_args(args))


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def run_inspect(args: argparse.Namespace) -> None:
    dataset = load(args)
    report = dataset.report()
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for key in ("rows_read", "rows_kept", "rows_rejected"):
        print(f"{UI[key]}: {i18n.number(report[key])}")
    for key, title in (
        ("rejected_by_reason", "rejected_reasons"),
        ("invalid_values", "invalid_values"),
        ("roles", "roles_title"),
    ):
        print(f"{UI[title]}:")
        for k, v in report[key].items():
            print(f"  {k}: {i18n.number(v) if isinstance(v, int) and not isinstance(v, bool) else v}")
    for note in report["notes"]:
        print(note)


def run_metrics(args: argparse.Namespace) -> None:
    dataset = load(args)
    for item in args.by:
        if item not in GRANULARITIES and item not in dataset.frame.columns:
            raise InputError(
                f"--by {item}: no such segment column; segments are {', '.join(dataset.roles.segments)}."
            )
    table = metrics_by(dataset.frame, args.by, args.min_n)
    keys = [c for c in table.columns if c not in ("n", *COLUMNS, "nps_below_min", "csat_below_min")]
    out = table[
        [*keys, "n_nps", "nps", "nps_low", "nps_high", "n_csat", "csat", "csat_low", "csat_high", "csat_mean"]
    ].copy()
    out["below_min_n"] = table["nps_below_min"] & table["csat_below_min"]
    if "period" in out:
        out["period"] = pd.to_datetime(out["period"]).dt.date.astype(str)
    if args.format == "json":
        records = [{k: _clean(v) for k, v in row.items()} for row in out.to_dict(orient="records")]
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(out.to_csv(index=False, float_format="%.4f"))


def run_themes(args: argparse.Namespace) -> None:
    from cx.embed import EmbeddingCache, default_cache_dir
    from cx.themes import find_themes, other_bucket

    if args.k != "auto" and not str(args.k).isdigit():
        raise InputError(f"--k {args.k!r}: give a number of themes or auto.")
    dataset = load(args)

    def progress(done: int, total: int) -> None:
        if total and sys.stderr.isatty():
            print(f"\rembedding comments: {done:,} of {total:,}", end="", file=sys.stderr, flush=True)

    result = find_themes(
        dataset.frame,
        all_comments=args.all_comments,
        n_themes="auto" if args.k == "auto" else int(args.k),
        embedder=args.embedder,
        cache=EmbeddingCache(default_cache_dir()),
        progress=progress,
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # One row per (comment, sub-theme): a comment with two problems has two rows; Other has theme_id 0.
    pairs = result.pairs.sort_values(["row", "part"], kind="stable")
    assignments = pd.DataFrame(
        {
            "response_id": dataset.frame.loc[pairs["row"], "response_id"].to_numpy(),
            "theme_id": pairs["theme_id"].to_numpy(),
            "theme_label": pairs["theme_label"].to_numpy(),
            "parent_id": [str(p) if p else "" for p in pairs["parent_id"]],
            "excerpt": pairs["excerpt"].to_numpy(),
        }
    )
    write_csv(assignments, out / "assignments.csv")
    write_csv(themes_table(dataset.frame, result, args.min_n), out / "themes.csv")
    other = other_bucket(dataset.frame, result)
    print(
        f"{result.pairs['row'].nunique():,} comments, {result.k} themes ({result.k_sub} sub-themes), "
        f"Other {other['n']:,} comments ({other['share']:.0%}); a comment with several problems is in "
        f"several themes, so shares add up to more than 100 %; model {result.embedder} ({result.reason}) "
        f"→ {out / 'assignments.csv'}, {out / 'themes.csv'}",
        file=sys.stderr,
    )
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)


def themes_table(frame: pd.DataFrame, result, min_n: int) -> pd.DataFrame:
    """themes.csv: each top theme followed by its sub-themes, then the Other bucket."""
    from cx.themes import OTHER_LABEL, other_bucket, theme_metrics

    columns = ["theme_id", "parent_id", "label", "n", "share", "sentiment", "nps", "csat", "quotes"]
    top = theme_metrics(frame, result, min_n)
    sub = theme_metrics(frame, result, min_n, level="sub")
    top = top.assign(
        order=top["theme_id"].map(lambda t: (t, 0)), theme_id=top["theme_id"].astype(str), parent_id=""
    )
    sub = sub.assign(
        order=sub["theme_id"].map(lambda t: tuple(int(x) for x in t.split("."))),
        parent_id=sub["parent_id"].astype(str),
    )
    table = pd.concat([top, sub]).sort_values("order", kind="stable")[columns].reset_index(drop=True)
    other = other_bucket(frame, result)
    if other["n"]:
        table.loc[len(table)] = [
            "0",
            "",
            OTHER_LABEL,
            other["n"],
            other["share"],
            None,
            None,
            None,
            other["quotes"],
        ]
    table["quotes"] = table["quotes"].map(lambda quotes: " || ".join(quotes))
    return table.reset_index(drop=True)


def run_batch(args: argparse.Namespace) -> None:
    from cx.batch import BatchOptions
    from cx.batch import run_batch as run

    if args.k != "auto" and not str(args.k).isdigit():
        raise InputError(f"--k {args.k!r}: give a number of themes or auto.")
    for option in ("batch_size", "concurrency", "sample"):
        value = getattr(args, option)
        if value is not None and value < 1:
            raise InputError(f"--{option.replace('_', '-')} {value}: give a number of 1 or more.")
    if args.address and args.engine != "ray":
        raise InputError("--address needs --engine ray.")
    if args.codeframe_version and not args.codeframe:
        raise InputError("--codeframe-version needs --codeframe NAME.")
    flags = RoleFlags.from_args(args)
    options = BatchOptions(
        out=Path(args.out),
        engine=args.engine,
        address=args.address,
        all_comments=args.all_comments,
        k=args.k,
        embedder=args.embedder,
        seed=args.seed,
        sample_size=args.sample,
        batch_size=args.batch_size,
        concurrency=args.concurrency,
        flags=flags,
        codeframe=args.codeframe,
        codeframe_version=args.codeframe_version,
    )
    report = run(args.inputs, options)
    counts = report["counts"]
    print(
        f"{counts['done']} files done, {counts['skipped']} skipped, {counts['failed']} failed; "
        f"{counts['comments']:,} comments assigned → {args.out}",
        file=sys.stderr,
    )
    if counts["failed"] and not (counts["done"] or counts["skipped"]):
        raise InputError(f"no input file could be read; the reasons are in {Path(args.out) / 'report.json'}.")


def run_areas(args: argparse.Namespace) -> None:
    from cx.areas import EXPLAINED, RANKED, area_table
    from cx.metrics import available_metrics

    dataset = load(args)
    if args.metric not in available_metrics(dataset.frame):
        if args.metric == "sentiment":
            raise InputError(
                f"{args.file} has no comments with a known sentiment: map a sentiment column with --sentiment."
            )
        raise InputError(
            f"{args.file} has no {args.metric.upper()} answers: map the column with --{args.metric}."
        )
    table = area_table(
        dataset.frame, dataset.roles.segments_in(dataset.frame), args.metric, args.depth, args.min_n
    )
    records = []
    for _, row in table.iterrows():
        record = {
            "segment": row["segment"],
            "n": int(row["n"]),
            "score": _clean(row["score"]),
            "low": _clean(row["low"]),
            "high": _clean(row["high"]),
            "rest_score": _clean(row["rest_score"]),
            "impact": _clean(row["impact"]),
            "significant": bool(row["significant"]),
            "ranked": row["status"] == RANKED,
        }
        if row["status"] == EXPLAINED:
            record["explained_by"] = row["explained_by"]
        records.append(record)
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        flat = pd.DataFrame(records)
        flat["segment"] = table["label"].to_numpy()
        if "explained_by" in flat:
            flat["explained_by"] = flat["explained_by"].map(
                lambda s: area_label(s) if isinstance(s, dict) else ""
            )
        sys.stdout.write(flat.to_csv(index=False, float_format="%.4f"))


def run_export(args: argparse.Namespace) -> None:
    import datetime as dt

    from cx.export import (
        COMPUTED,
        comment_languages,
        response_rows,
        to_xlsx_bytes,
        translate_headers,
        translate_workbook,
        workbook_sheets,
    )
    from cx.filters import Filters, apply_filters, segment_columns

    dataset = load(args)
    filters = Filters()
    for clause in args.where:
        col, sep, value = clause.partition("=")
        if not sep or col not in dataset.frame.columns:
            raise InputError(
                f"--where {clause!r}: use COLUMN=VALUE with a segment column ({', '.join(dataset.roles.segments)})."
            )
        filters.segments.setdefault(col, []).append(value)
    try:
        filters.date_from = dt.date.fromisoformat(args.date_from) if args.date_from else None
        filters.date_to = dt.date.fromisoformat(args.date_to) if args.date_to else None
    except ValueError as exc:
        raise InputError(f"--from/--to: {exc}; use YYYY-MM-DD.") from None
    frame = apply_filters(dataset.frame, filters)
    languages = comment_languages(frame["text"])
    mask = not args.no_mask
    out = Path(args.out)
    if out.suffix.lower() == ".xlsx":
        sheets = workbook_sheets(
            dataset, frame, args.min_n, segments=segment_columns(frame), languages=languages, mask=mask
        )
        rows = next(iter(sheets.values()))
        out.write_bytes(to_xlsx_bytes(translate_workbook(sheets) if args.translated_headers else sheets))
    elif out.suffix.lower() == ".csv":
        rows = response_rows(dataset, frame, languages=languages, mask=mask)
        out.write_bytes(
            to_csv_bytes(translate_headers(rows, COMPUTED) if args.translated_headers else rows, args.sep)
        )
    else:
        raise InputError(f"--out {out.name}: the file must end in .csv or .xlsx.")
    print(f"{len(rows):,} of {len(dataset.frame):,} responses ({filters.summary()}) → {out}", file=sys.stderr)


def _assignments(args: argparse.Namespace, frame: pd.DataFrame):
    if not getattr(args, "themes", None):
        return None
    from cx.changes import read_assignments

    return read_assignments(args.themes, frame)


def run_changes(args: argparse.Namespace) -> None:
    from cx.changes import compare, default_periods, parse_period

    if args.bootstrap < 10:
        raise InputError("--bootstrap: use at least 10 resamples (the default is 500).")
    dataset = load(args)
    frame = dataset.frame
    after = parse_period(args.period_to) if args.period_to else None
    before = parse_period(args.period_from) if args.period_from else None
    if after is None and before is None:
        before, after = default_periods(frame)
    elif after is None:
        raise InputError("--from needs --to (the period to compare it with).")
    elif before is None:
        before = after.previous()
    result = compare(
        frame,
        before,
        after,
        args.metric,
        dataset.roles.segments_in(frame),
        _assignments(args, frame),
        min_n=args.min_n,
        n_boot=args.bootstrap,
        seed=args.seed,
    )
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    print(result.sentence)
    print("\n" + PERIODS["cli_parts"].format(before=before.label, after=after.label))
    for r in result.drivers.head(10).itertuples():
        print(
            PERIODS["cli_part"].format(
                contribution=r.contribution,
                low=r.low,
                high=r.high,
                column=r.column,
                value=r.value,
                effect=_word(r.effect, f"effect_{r.effect}"),
                n_before=r.n_before,
                n_after=r.n_after,
            )
        )
    for r in result.themes.itertuples():
        new = PERIODS["cli_new"] if r.new else ""
        print(
            PERIODS["cli_theme"].format(
                label=r.label, before=r.share_before, after=r.share_after, change=r.change, new=new
            )
        )


def _word(word: str, key: str) -> str:
    """A code of the tables (mix, score_drop) as English has always printed it, or its word in another
    language (CHANGES: "participación en las respuestas", "caída de puntuación")."""
    return word if i18n.language() == i18n.DEFAULT else CHANGES.get(key, word)


def run_alerts(args: argparse.Namespace) -> None:
    from cx.alerts import _what, find_alerts

    if args.window < 1:
        raise InputError("--window: give at least 1 earlier period.")
    dataset = load(args)
    frame = dataset.frame
    if not frame["date"].notna().any():
        raise InputError(
            f"{args.file} has no dates (map one with --date), so there is no history to compare."
        )
    result = find_alerts(
        frame,
        args.period,
        args.metric,
        dataset.roles.segments_in(frame),
        _assignments(args, frame),
        min_n=args.min_n,
        window=args.window,
        min_history=min(3, args.window),
        fdr=args.fdr,
    )
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        print(result.describe(), file=sys.stderr)
        return
    print(result.describe())
    for r in result.alerts.itertuples():
        print(
            PERIODS["cli_alert"].format(
                period=r.period,
                kind=_word(r.kind, r.kind),
                label=r.label if i18n.language() == i18n.DEFAULT else _what(r, args.metric),
                observed=r.observed,
                expected=r.expected,
                n=r.n,
                p=r.p,
            )
        )


def run_drivers(args: argparse.Namespace) -> None:
    from cx.drivers import key_drivers

    if args.bootstrap < 10:
        raise InputError("--bootstrap: use at least 10 resamples (the default is 200).")
    dataset = load(args)
    result = key_drivers(
        dataset,
        metric=args.metric,
        assignments=_assignments(args, dataset.frame),
        min_n=args.min_n,
        n_boot=args.bootstrap,
        seed=args.seed,
    )
    summary = DRIVERS["cli_summary"].format(r2=result.r2, n=result.n, method=DRIVERS["method"])
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        for line in [summary, *result.notes]:
            print(line, file=sys.stderr)
        return
    print(summary)
    for note in result.notes:
        print(DRIVERS["cli_note"].format(note=note))
    for r in result.table.itertuples():
        score = "" if pd.isna(r.score) else DRIVERS["cli_score"].format(score=r.score)
        kind = CHANGES.get(f"kind_{r.kind}", r.kind)
        print(
            DRIVERS["cli_row"].format(
                importance=r.importance, low=r.low, high=r.high, driver=r.driver, kind=kind, score=score
            )
        )


def _print_codeframe(codeframe, fmt: str) -> None:
    table = codeframe.table()
    if fmt == "json":
        doc = {
            "name": codeframe.name,
            "version": codeframe.version,
            "note": codeframe.note,
            "embedder": codeframe.embedder_model,
            "aliases": codeframe.aliases,
            "themes": table.to_dict(orient="records"),
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    print(
        f"{codeframe.name} version {codeframe.version} ({codeframe.note}); model {codeframe.embedder_model}"
    )
    for row in table.itertuples():
        print(f"  {row.theme_id}\t{row.label}\t(n {row.n}, threshold {row.threshold:.2f})")
    for alias, target in sorted(codeframe.aliases.items()):
        print(f"  {alias} → {target}")


def _print_table(table: pd.DataFrame, fmt: str) -> None:
    for column in ("created", "updated"):
        if column in table:
            table[column] = pd.to_datetime(table[column], unit="s").dt.strftime("%Y-%m-%d %H:%M:%S")
    if fmt == "json":
        print(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(table.to_csv(index=False, sep="\t"))


def run_codeframe(args: argparse.Namespace) -> None:
    from cx import codeframe as cf

    act = args.action
    if act == "save":
        if args.k != "auto" and not str(args.k).isdigit():
            raise InputError(f"--k {args.k!r}: give a number of themes or auto.")
        dataset = load(args)
        result = cf.save_from_frame(
            dataset.frame,
            args.name,
            n_themes="auto" if args.k == "auto" else int(args.k),
            all_comments=args.all_comments,
            embedder=args.embedder,
        )
    elif act == "list":
        _print_table(cf.names(), args.format)
        return
    elif act == "show":
        result = cf.load(args.name, args.version)
    elif act == "rename":
        result = cf.rename(args.name, args.id, args.label)
    elif act == "merge":
        result = cf.merge(args.name, args.ids, label=args.label)
    elif act == "split":
        result = cf.split(args.name, args.id, k=args.k)
    elif act == "delete":
        result = cf.delete(args.name, args.id)
    elif act == "add":
        if args.candidate:
            if not args.from_dir:
                raise InputError("--candidate needs --from, the --out folder of `codeframe apply`.")
            path = Path(args.from_dir) / "new_themes.json"
            try:
                candidates = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(f"{path} cannot be read ({exc}).") from None
            found = [c for c in candidates if isinstance(c, dict) and c.get("candidate") == args.candidate]
            if not found:
                raise InputError(f"{path} has no candidate {args.candidate!r}.")
            result = cf.add_candidate(args.name, found[0], label=args.label)
        else:
            if not args.label:
                raise InputError("give the new theme's label, and its phrases with --example.")
            result = cf.add(args.name, args.label, [*args.example, *args.keyword], keywords=args.keyword)
    elif act == "history":
        _print_table(cf.history(args.name), args.format)
        return
    elif act == "revert":
        result = cf.revert(args.name, args.version)
    elif act == "apply":
        codeframe = cf.load(args.name, args.version)
        dataset = load(args)
        applied = cf.apply(codeframe, dataset.frame, all_comments=args.all_comments, threshold=args.threshold)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        columns = ["response_id", "theme_id", "theme_label", "status", "similarity", "candidate"]
        write_csv(
            applied.assignments[[c for c in columns if c in applied.assignments]], out / "assignments.csv"
        )
        table = applied.candidates.copy()
        records = table.to_dict(orient="records")
        table["keywords"] = table["keywords"].map(" · ".join)
        table["quotes"] = table["quotes"].map(" || ".join)
        write_csv(table[["candidate", "label", "keywords", "n", "quotes"]], out / "new_themes.csv")
        (out / "new_themes.json").write_text(
            json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        status = applied.assignments["status"].value_counts()
        for note in applied.notes:
            print(note, file=sys.stderr)
        print(
            f"{len(applied.assignments):,} comments: {status.get(cf.KNOWN, 0):,} known, {status.get(cf.NEW, 0):,} "
            f"new in {len(table)} candidate theme(s); codeframe {codeframe.name} version {codeframe.version} "
            f"→ {out / 'assignments.csv'}, {out / 'new_themes.csv'}",
            file=sys.stderr,
        )
        return
    elif act == "export":
        target = args.out_flag or args.out
        if not target:
            raise InputError("give the JSON file to write (OUT.json or --out OUT.json).")
        result = cf.export(args.name, target, version=args.version)
        print(f"{result.name} version {result.version} → {target}", file=sys.stderr)
        return
    elif act == "import":
        result = cf.import_file(args.file, name=args.name)
    _print_codeframe(result, args.format)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.write_bytes(to_csv_bytes(frame))


def main(argv: list[str] | None = None) -> int:
    """Entry point of `cxlens` and `python -m cx`; returns the exit status."""
    cli = parser()
    # Options after `app` belong to streamlit (argparse would take "--server.port" for one of ours).
    args, rest = cli.parse_known_args(argv)
    if args.command != "app" and rest:
        cli.error(f"unrecognized arguments: {' '.join(rest)}")
    # Machine-readable output (json, csv) is the same whatever the language: its keys and reasons stay English.
    machine = getattr(args, "format", None) in ("json", "csv")
    i18n.set_language("en" if machine else (args.lang or i18n.environment_language()))
    if args.command == "app":
        try:
            return run_app(rest)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        commands = {
            "inspect": run_inspect,
            "metrics": run_metrics,
            "areas": run_areas,
            "themes": run_themes,
            "export": run_export,
            "changes": run_changes,
            "alerts": run_alerts,
            "drivers": run_drivers,
            "codeframe": run_codeframe,
            "batch": run_batch,
        }
        commands[args.command](args)
    except (InputError, ThemeError, CodeframeError, StoreError, BatchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for a user: one line, and a non-zero status
        what = (
            getattr(args, "file", None)
            or " ".join(getattr(args, "inputs", None) or [])
            or f"codeframe {getattr(args, 'name', '')}".strip()
        )
        print(f"error: {what} could not be processed ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
