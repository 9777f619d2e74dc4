"""Lowest areas: intervals, significance with multiple-comparison correction, impact, root causes."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, false_discovery_control, ttest_ind

from cx.areas import (
    EXPLAINED,
    RANKED,
    SMALL,
    area_sentence,
    area_table,
    areas_message,
    gap_pvalue,
    lowest,
)
from cx.metrics import nps_interval, wilson_interval
from cx.schema import Roles, add_derived
from cx.strings import UI

ROOT = Path(__file__).resolve().parent.parent


def survey(nps, csat=None, **segments) -> pd.DataFrame:
    n = len(nps)
    frame = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(n)],
            "date": pd.NaT,
            "nps": pd.array(nps, dtype="Int64"),
            "csat": pd.array(csat if csat is not None else [None] * n, dtype="Int64"),
            "ces": pd.array([None] * n, dtype="Int64"),
            "text": pd.array([None] * n, dtype="string"),
        }
    )
    for name, values in segments.items():
        frame[name] = pd.Categorical(values)
    return add_derived(frame, Roles(nps="nps", csat="csat"))


def planted(seed: int = 0) -> pd.DataFrame:
    """4 regions × 3 channels, 300 answers each; North × Phone is bad; 'Islands' is a tiny, awful decoy."""
    rng = np.random.default_rng(seed)
    nps, region, channel = [], [], []
    for r in ["North", "South", "East", "West"]:
        for c in ["Phone", "Web", "App"]:
            probs = [0.55, 0.30, 0.15] if (r, c) == ("North", "Phone") else [0.15, 0.30, 0.55]
            group = rng.choice(3, 300, p=probs)
            nps += list(
                np.choose(group, [rng.integers(0, 7, 300), rng.integers(7, 9, 300), rng.integers(9, 11, 300)])
            )
            region += [r] * 300
            channel += [c] * 300
    nps += [0] * 8
    region += ["Islands"] * 8
    channel += ["Web"] * 8
    return survey([int(x) for x in nps], region=region, channel=channel)


def test_planted_pair_is_first_and_its_containers_are_explained_by_it():
    table = area_table(planted(), ["region", "channel"], "nps", depth=2)
    first = table.iloc[0]
    assert first["segment"] == {"region": "North", "channel": "Phone"} and first["status"] == RANKED
    assert first["significant"] and first["gap"] < -40
    for outer in ({"region": "North"}, {"channel": "Phone"}):
        row = table[table["segment"] == outer].iloc[0]
        assert row["status"] == EXPLAINED and row["explained_by"] == {"region": "North", "channel": "Phone"}
    decoy = table[table["segment"] == {"region": "Islands"}].iloc[0]
    assert decoy["status"] == SMALL and not decoy["significant"]
    assert list(lowest(table)["label"]) == ["region North × channel Phone"]


def test_without_pairs_one_outer_area_is_ranked_and_the_other_is_its_echo():
    # Without pairs the cause cannot be seen: North and Phone share its rows. Once the first one's rows are
    # taken out the second is no longer below the rest, so it is folded under the first, not ranked twice.
    table = area_table(planted(), ["region", "channel"], "nps", depth=1)
    top = lowest(table)
    assert len(top) == 1 and top.iloc[0]["segment"] in ({"region": "North"}, {"channel": "Phone"})
    other = {"channel": "Phone"} if top.iloc[0]["segment"] == {"region": "North"} else {"region": "North"}
    row = table[table["segment"] == other].iloc[0]
    assert row["status"] == EXPLAINED and row["explained_by"] == top.iloc[0]["segment"]


def test_sentence_is_correct_to_the_decimal():
    f = planted()
    row = area_table(f, ["region", "channel"]).iloc[0]
    inside = (f["region"] == "North") & (f["channel"] == "Phone")
    a, rest, all_ = f.loc[inside, "nps"], f.loc[~inside, "nps"], f["nps"]

    def nps(s):
        return 100 * ((s >= 9).mean() - (s <= 6).mean())

    p, d, n = (a >= 9).mean(), (a <= 6).mean(), len(a)
    half = 1.959964 * np.sqrt((p + d - (p - d) ** 2) / n) * 100
    gap, impact = nps(a) - nps(rest), nps(all_) - nps(rest)
    expected = (
        f"region North × channel Phone: NPS {nps(a):+.0f} (±{half:.0f}, n = {n}), {abs(gap):.0f} points below the "
        f"rest; it pulls the overall NPS down by {abs(impact):.1f} points."
    ).replace("-", "−")
    assert area_sentence(row, "nps") == expected


def test_leave_one_out_identity():
    table = area_table(planted(), ["region", "channel"], "nps")
    overall = nps_interval((planted()["nps"] >= 9).sum(), (planted()["nps"] <= 6).sum(), 3608)[0]
    assert np.allclose(table["impact"], overall - table["rest_score"])
    # The total is the n-weighted mix of the area and the rest.
    mix = (table["n"] * table["score"] + table["rest_n"] * table["rest_score"]) / (
        table["n"] + table["rest_n"]
    )
    assert np.allclose(mix, overall)


def test_benjamini_hochberg_across_all_areas():
    table = area_table(planted(), ["region", "channel"])
    eligible = table[table["status"] != SMALL]
    assert np.allclose(eligible["q"], false_discovery_control(eligible["p"].to_numpy(), method="bh"))
    assert (eligible["q"] >= eligible["p"] - 1e-12).all()


def test_pure_noise_segments_are_not_flagged():
    rng = np.random.default_rng(7)
    n = 4000
    cols = {f"seg{i}": rng.choice(list("ABCDE"), n) for i in range(12)}
    table = area_table(survey(rng.integers(0, 11, n).tolist(), **cols), list(cols), depth=2)
    raw = (table["p"] < 0.05) & (table["status"] != SMALL)
    assert raw.sum() > 0  # uncorrected, chance alone "finds" areas...
    assert not table["significant"].any()  # ...the correction does not


def test_csat_test_is_the_two_proportion_test():
    p = gap_pvalue("csat", 120, 60, 0, 400, 260, 0)
    chi = chi2_contingency([[60, 60], [260, 140]], correction=False)
    assert p == pytest.approx(chi.pvalue)


@pytest.mark.parametrize(("metric", "true"), [("nps", 30.0), ("csat", 70.0)])
def test_interval_coverage_is_about_95_percent(metric, true):
    rng = np.random.default_rng(3)
    n, hits, runs = 150, 0, 2000
    for _ in range(runs):
        if metric == "nps":
            group = rng.choice(3, n, p=[0.2, 0.3, 0.5])
            _, low, high = nps_interval((group == 2).sum(), (group == 0).sum(), n)
        else:
            _, low, high = wilson_interval(rng.binomial(n, 0.7), n)
        hits += low <= true <= high
    assert 0.93 <= hits / runs <= 0.97


def test_one_value_segments_missing_values_and_small_areas():
    f = survey(
        [10] * 40 + [0] * 40,
        country=["ES"] * 80,
        region=["North"] * 40 + [None] * 30 + ["South"] * 10,
    )
    table = area_table(f, ["country", "region"], depth=2, min_n=30)
    assert "country" not in " ".join(table["label"])  # one value: nothing to compare
    assert set(table["label"]) == {"region North", "region (blank)", "region South"}
    assert table.set_index("label").loc["region South", "status"] == SMALL
    blank = table.set_index("label").loc["region (blank)"]
    assert blank["n"] == 30 and blank["score"] == -100


def test_cli_areas_on_a_planted_file(tmp_path):
    f = planted()
    path = tmp_path / "planted.csv"
    f[["response_id", "region", "channel", "nps"]].to_csv(path, index=False)
    run = subprocess.run(
        [sys.executable, "-m", "cx", "areas", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    records = json.loads(run.stdout)
    assert records[0]["segment"] == {"region": "North", "channel": "Phone"} and records[0]["ranked"]
    assert set(records[0]) == {
        "segment",
        "n",
        "score",
        "low",
        "high",
        "rest_score",
        "impact",
        "significant",
        "ranked",
    }
    explained = [r for r in records if "explained_by" in r]
    assert {json.dumps(r["segment"]) for r in explained} == {'{"region": "North"}', '{"channel": "Phone"}'}
    assert all(not r["ranked"] for r in explained)
    decoy = next(r for r in records if r["segment"] == {"region": "Islands"})
    assert decoy["ranked"] is False and "explained_by" not in decoy
    ranked = [r["impact"] for r in records if r["ranked"]]
    assert ranked == sorted(ranked)  # worst impact first


def echoes(seed: int = 1) -> pd.DataFrame:
    """A root cause (North × Phone) seen through other pairs of columns, and an independent problem.

    4 regions × 3 channels × 3 plans × 2 devices, 60 answers per cell (8,640). North × Phone answers badly
    whatever the plan and device; plan Basic × channel Web is a second, smaller problem that shares no
    response with North × Phone. Everything else answers alike.
    """
    rng = np.random.default_rng(seed)
    cols = {"region": [], "channel": [], "plan": [], "device": []}
    nps = []
    for r in ["North", "South", "East", "West"]:
        for c in ["Phone", "Web", "App"]:
            for p in ["Fibre", "Basic", "Pro"]:
                for d in ["Mobile", "Desktop"]:
                    if (r, c) == ("North", "Phone"):
                        probs = [0.60, 0.25, 0.15]
                    elif (p, c) == ("Basic", "Web"):
                        probs = [0.45, 0.30, 0.25]
                    else:
                        probs = [0.15, 0.30, 0.55]
                    group = rng.choice(3, 60, p=probs)
                    nps += list(
                        np.choose(
                            group, [rng.integers(0, 7, 60), rng.integers(7, 9, 60), rng.integers(9, 11, 60)]
                        )
                    )
                    for col, value in zip(cols, (r, c, p, d), strict=True):
                        cols[col] += [value] * 60
    return survey([int(x) for x in nps], **cols)


ROOT_CAUSE = {"region": "North", "channel": "Phone"}
INDEPENDENT = {"plan": "Basic", "channel": "Web"}


def test_echoes_of_the_root_cause_are_folded_and_the_next_rank_is_independent():
    f = echoes()
    table = area_table(f, ["region", "channel", "plan", "device"], "nps", depth=2)
    row = table.set_index("label")
    # Before folding, echoes of the root cause would come next: they are significantly below the rest.
    for echo in ("region North × plan Fibre", "channel Phone × device Mobile"):
        assert row.loc[echo, "significant"] and row.loc[echo, "gap"] < -10
        assert row.loc[echo, "status"] == EXPLAINED and row.loc[echo, "explained_by"] == ROOT_CAUSE
    # The visible ranking: the root cause, then the independent problem; nothing in between.
    top = lowest(table, 10)
    assert list(top["segment"])[:2] == [ROOT_CAUSE, INDEPENDENT]
    ranked = table[table["status"] == RANKED]
    assert list(ranked["segment"])[:2] == [ROOT_CAUSE, INDEPENDENT]
    # Every visible problem after the root cause shares no response with it... or stands on its own.
    inside_root = (f["region"] == "North") & (f["channel"] == "Phone")
    for segment in top["segment"].iloc[1:]:
        mask = pd.Series(True, index=f.index)
        for col, value in segment.items():
            mask &= f[col] == value
        assert not (mask & inside_root).any(), segment
    # Every echo of the root cause shares responses with it; the independent problem's own containers
    # (plan Basic) are folded under it, never under the root cause.
    for _, echo in table[table["explained_by"] == ROOT_CAUSE].iterrows():
        mask = pd.Series(True, index=f.index)
        for col, value in echo["segment"].items():
            mask &= f[col] == value
        assert (mask & inside_root).any(), echo["label"]
    assert row.loc["plan Basic", "explained_by"] == INDEPENDENT
    assert row.loc["region North", "explained_by"] == ROOT_CAUSE
    assert row.loc["channel Phone", "explained_by"] == ROOT_CAUSE
    # Folding changes no number: the definitions (n, gap, impact, BH q) are those of every area.
    eligible = table[table["status"] != SMALL]
    assert np.allclose(eligible["q"], false_discovery_control(eligible["p"].to_numpy(), method="bh"))


def test_an_area_not_overlapping_the_root_cause_is_never_folded_under_it():
    # The independent problem alone, far stronger than the root cause's echoes would be: still ranked.
    f = echoes()
    table = area_table(f, ["region", "channel", "plan", "device"], "nps", depth=2)
    inside_root = (f["region"] == "North") & (f["channel"] == "Phone")
    folded = table[table["explained_by"] == ROOT_CAUSE]
    assert len(folded) >= 6  # North, Phone and the pairs that see North × Phone through another column
    disjoint = 0
    for _, area in table.iterrows():
        mask = pd.Series(True, index=f.index)
        for col, value in area["segment"].items():
            mask &= f[col] == value
        if not (mask & inside_root).any():
            disjoint += 1
            assert area["explained_by"] != ROOT_CAUSE, area["label"]
    assert disjoint > 10


def test_an_area_holding_parts_of_two_problems_goes_under_the_second_not_the_first():
    # North × Basic shares responses with North × Phone, but it also holds Basic × Web: with North × Phone
    # alone taken out it is still significantly below the rest (by hand below), so it is no echo of the
    # root cause; with Basic × Web out too, nothing is left of its gap: it is folded under Basic × Web.
    f = echoes()
    table = area_table(f, ["region", "channel", "plan", "device"], "nps", depth=2)
    row = table.set_index("label").loc["region North × plan Basic"]
    root = (f["region"] == "North") & (f["channel"] == "Phone")
    second = (f["plan"] == "Basic") & (f["channel"] == "Web")
    area = (f["region"] == "North") & (f["plan"] == "Basic")

    def counts(mask):
        s = f.loc[mask, "nps"]
        return len(s), int((s >= 9).sum()), int((s <= 6).sum())

    without_root = gap_pvalue("nps", *counts(area & ~root), *counts(~area & ~root))
    without_both = gap_pvalue("nps", *counts(area & ~root & ~second), *counts(~area & ~root & ~second))
    # "Significantly" as in the ranking: within its Benjamini–Hochberg cut-off (the largest p judged so).
    cut = table.loc[table["significant"], "p"].max()
    assert without_root <= cut < without_both
    assert row["significant"] and row["status"] == EXPLAINED and row["explained_by"] == INDEPENDENT


def test_cli_folds_the_echoes(tmp_path):
    path = tmp_path / "echoes.csv"
    echoes()[["response_id", "region", "channel", "plan", "device", "nps"]].to_csv(path, index=False)
    run = subprocess.run(
        [sys.executable, "-m", "cx", "areas", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    records = json.loads(run.stdout)
    assert [r["segment"] for r in records[:2]] == [ROOT_CAUSE, INDEPENDENT]
    echo = next(r for r in records if r["segment"] == {"region": "North", "plan": "Fibre"})
    assert echo["ranked"] is False and echo["explained_by"] == ROOT_CAUSE


# Metrics without scores: the negative-comment share (lower is better), CES, and volume (no areas) ------------


def comments(sentiment, ces=None, **segments) -> pd.DataFrame:
    """A canonical frame of comments without NPS/CSAT, with a sentiment (and optionally CES) per row."""
    n = len(sentiment)
    frame = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(n)],
            "date": pd.NaT,
            "nps": pd.array([None] * n, dtype="Int64"),
            "csat": pd.array([None] * n, dtype="Int64"),
            "ces": pd.array(ces if ces is not None else [None] * n, dtype="Int64"),
            "text": pd.array(["a comment"] * n, dtype="string"),
            "sentiment": pd.Categorical(sentiment, categories=["neg", "neu", "pos"]),
            "year_only": pd.array([False] * n, dtype="boolean"),
        }
    )
    for name, values in segments.items():
        frame[name] = pd.Categorical(values)
    return add_derived(frame, Roles(text=["text"]))


def planted_sentiment(seed: int = 0) -> pd.DataFrame:
    """4 regions × 3 channels, 200 comments each; North × Phone is 60 % negative, the rest 20 %."""
    rng = np.random.default_rng(seed)
    sentiment, region, channel = [], [], []
    for r in ["North", "South", "East", "West"]:
        for c in ["Phone", "Web", "App"]:
            p_neg = 0.6 if (r, c) == ("North", "Phone") else 0.2
            sentiment += list(
                rng.choice(["neg", "neu", "pos"], 200, p=[p_neg, (1 - p_neg) / 2, (1 - p_neg) / 2])
            )
            region += [r] * 200
            channel += [c] * 200
    return comments(sentiment, region=region, channel=channel)


def test_most_negative_area_is_lowest_on_sentiment():
    f = planted_sentiment()
    table = area_table(f, ["region", "channel"], "sentiment", depth=2)
    first = table.iloc[0]
    assert first["segment"] == {"region": "North", "channel": "Phone"} and first["status"] == RANKED
    assert first["gap"] > 25 and first["impact"] > 0 and first["worse"] and first["significant"]
    inside = (f["region"] == "North") & (f["channel"] == "Phone")
    neg = f["sentiment"] == "neg"
    assert first["score"] == pytest.approx(100 * neg[inside].mean())
    chi = chi2_contingency(
        [[neg[inside].sum(), (~neg[inside]).sum()], [neg[~inside].sum(), (~neg[~inside]).sum()]],
        correction=False,
    )
    assert first["p"] == pytest.approx(chi.pvalue)
    # The containers are folded under the pair, as for NPS; the lowest list is the pair only.
    north = table[table["segment"] == {"region": "North"}].iloc[0]
    assert north["status"] == EXPLAINED
    assert list(lowest(table)["label"]) == ["region North × channel Phone"]
    ranked = table[table["status"] == RANKED]["impact"].tolist()
    assert ranked == sorted(ranked, reverse=True)  # most harmful (most positive impact) first
    sentence = area_sentence(first, "sentiment")
    assert sentence.startswith(f"region North × channel Phone: {first['score']:.0f} % negative comments")
    assert "above the rest" in sentence and "pushes the overall share of negative comments up" in sentence


def test_ces_gap_uses_welch_t_test():
    rng = np.random.default_rng(2)
    a, b = rng.integers(1, 5, 60), rng.integers(3, 8, 140)  # area: harder (lower CES)
    p = gap_pvalue("ces", len(a), a.sum(), (a**2).sum(), len(b), b.sum(), (b**2).sum())
    assert p == pytest.approx(ttest_ind(a, b, equal_var=False).pvalue)
    f = comments(["neu"] * 200, ces=[int(x) for x in [*a, *b]], region=["A"] * 60 + ["B"] * 140)
    table = area_table(f, ["region"], "ces", depth=1)
    worst = lowest(table).iloc[0]
    assert worst["label"] == "region A" and worst["score"] == pytest.approx(a.mean()) and worst["gap"] < 0
    assert area_sentence(worst, "ces").startswith(f"region A: CES {a.mean():.1f} (±")


def test_volume_has_no_lowest_areas():
    f = planted_sentiment()
    with pytest.raises(ValueError, match="volume is a count"):
        area_table(f, ["region"], "volume")
    assert "no lowest areas on volume" in areas_message(f, "volume", ["region"])


def test_areas_message_is_true_for_each_file():
    # A text-only file has no NPS: the message says so and offers what exists, never "below on NPS".
    f = planted_sentiment()
    message = areas_message(f, "nps", ["region", "channel"])
    assert message.startswith("There are no lowest areas on NPS: this file has no NPS answers")
    assert "Negative comments" in message and "significantly below" not in message
    assert areas_message(f.assign(sentiment=None), "sentiment", ["region"]) == (
        "There are no lowest areas: this file has no score and no known sentiment."
    )
    # Something to show: no message.
    table = area_table(f, ["region", "channel"], "sentiment")
    assert areas_message(f, "sentiment", ["region", "channel"], table) is None
    # Nothing significant: the metric's own words.
    rng = np.random.default_rng(5)
    noise = comments(list(rng.choice(["neg", "pos"], 600)), region=list(rng.choice(["A", "B"], 600)))
    flat = area_table(noise, ["region"], "sentiment", depth=1)
    assert areas_message(noise, "sentiment", ["region"], flat).startswith(
        "No area has a significantly higher share of negative comments"
    )
    nps = survey(rng.integers(0, 11, 600).tolist(), region=list(rng.choice(["A", "B"], 600)))
    assert areas_message(nps, "nps", ["region"], area_table(nps, ["region"], "nps")) == (
        "No area is significantly below the rest on NPS (after correcting for the number of areas compared)."
    )
    # Too few answers anywhere, and no segment at all.
    small = comments(["neg", "pos", "neu", "neg"], region=["A", "A", "B", "B"])
    tiny = area_table(small, ["region"], "sentiment", min_n=30)
    assert areas_message(small, "sentiment", ["region"], tiny, min_n=30).startswith("No area has 30 or more")
    assert areas_message(small, "sentiment", []) == UI["no_segments"]


@pytest.mark.parametrize("metric", ["ces", "sentiment"])
def test_echoes_fold_on_ces_and_on_the_negative_share(metric):
    # The same planted file as comments: a detractor is a hard (CES 2) and negative comment, others CES 6.
    f = echoes()
    bad = f["nps"].to_numpy(dtype=float) <= 6
    cols = ["region", "channel", "plan", "device"]
    c = comments(
        list(np.where(bad, "neg", "pos")),
        ces=[int(x) for x in np.where(bad, 2, 6)],
        **{k: list(f[k]) for k in cols},
    )
    table = area_table(c, cols, metric, depth=2)
    assert list(lowest(table, 2)["segment"]) == [ROOT_CAUSE, INDEPENDENT]
    row = table.set_index("label").loc["region North × plan Fibre"]
    assert row["status"] == EXPLAINED and row["explained_by"] == ROOT_CAUSE
