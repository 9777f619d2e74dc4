"""Generate ``cx/data/sample_survey.csv``: a fictional customer-survey export for the CX Lens demo.

The company is an imaginary Spanish/English retail bank with an online shop. The file holds ~4,100
survey responses dated 2025-01-01..2026-03-31 (fewer on weekends) with the columns
``response_id, date, region, channel, product, journey_stage, nps, csat, comment``.
Comments are ~55 % English, ~40 % Spanish and a few percent Galician and Portuguese; ~35 % are empty.

Planted patterns (with noise on top):

1. North x Phone is clearly worse (NPS around -40 there vs roughly +15..+25 elsewhere).
2. A dip in 2025-07 and 2025-08 (a "system migration"): scores drop, and complaints about the app
   crashing and payments failing spike, then scores recover from September.
3. Recurring complaint topics written in many different ways: late card/order delivery, long phone
   waits, app crashes/login problems, unexpected fees/billing errors, slow refunds, rude staff, hard to
   cancel (plus failed payments); praise topics for promoters: friendly staff, fast service, easy app,
   good rates, problem solved. Topics depend on the score, the channel, product, journey stage and month.

NPS and CSAT are correlated but not deterministically. The script is seeded, so running
``python data/make_sample.py`` rebuilds the identical file byte for byte.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261122
N_ROWS = 4120
# The sample ships inside the package, so an installed `cxlens` and the app find it anywhere.
OUT_PATH = Path(__file__).resolve().parent.parent / "cx" / "data" / "sample_survey.csv"
COLUMNS = ["response_id", "date", "region", "channel", "product", "journey_stage", "nps", "csat", "comment"]

START, END = "2025-01-01", "2026-03-31"
DIP_MONTHS = ("2025-07", "2025-08")

REGIONS = {"North": 0.24, "South": 0.21, "East": 0.19, "West": 0.17, "Central": 0.19}
CHANNELS = {"Phone": 0.26, "Web": 0.24, "App": 0.32, "Store": 0.18}
CHANNELS_NORTH = {"Phone": 0.36, "Web": 0.20, "App": 0.26, "Store": 0.18}
PRODUCTS = {"Accounts": 0.34, "Cards": 0.30, "Loans": 0.16, "Insurance": 0.20}
STAGES = {"Onboarding": 0.15, "Usage": 0.34, "Billing": 0.18, "Support": 0.23, "Cancellation": 0.10}

# --- Score model: latent "likelihood to recommend" = base + effects + noise -------------------------
BASE_MU = 8.25
NOISE_SD = 2.1
REGION_EFFECT = {"North": -0.15, "South": 0.10, "East": 0.05, "West": 0.0, "Central": 0.05}
CHANNEL_EFFECT = {"Phone": -0.1, "Web": 0.0, "App": 0.15, "Store": 0.25}
PROBLEM_CELL_EFFECT = -1.45  # North x Phone
PRODUCT_EFFECT = {"Accounts": 0.10, "Cards": 0.0, "Loans": -0.20, "Insurance": -0.10}
STAGE_EFFECT = {"Onboarding": 0.30, "Usage": 0.20, "Billing": -0.40, "Support": -0.30, "Cancellation": -1.20}
MONTH_EFFECT = {"2025-07": -0.9, "2025-08": -1.0, "2025-09": -0.3}
TREND_PER_YEAR = 0.1
# CSAT (1-5) is drawn around a mean that depends on the NPS answer (index 0..10), plus noise.
CSAT_MEAN_BY_NPS = [1.2, 1.3, 1.5, 1.7, 1.9, 2.2, 2.7, 3.9, 4.3, 4.6, 4.8]
CSAT_NOISE_SD = 0.7

# Probability that a comment is left empty, by NPS group.
EMPTY_COMMENT_P = {"detractor": 0.24, "passive": 0.42, "promoter": 0.35}

LANG_BY_REGION = {
    "North": {"en": 0.49, "es": 0.39, "gl": 0.12, "pt": 0.0},
    "West": {"en": 0.50, "es": 0.38, "gl": 0.0, "pt": 0.12},
}
LANG_DEFAULT = {"en": 0.57, "es": 0.43, "gl": 0.0, "pt": 0.0}

COMPLAINTS = ["delivery", "wait", "app", "fees", "refund", "staff", "cancel", "payments"]
PRAISES = ["staff_pos", "fast", "app_pos", "rates", "resolved"]

COMPLAINT_BASE = {
    "delivery": 1.0,
    "wait": 1.0,
    "app": 1.0,
    "fees": 1.0,
    "refund": 0.8,
    "staff": 0.8,
    "cancel": 0.6,
    "payments": 0.3,
}
COMPLAINT_BOOST = {
    "channel": {
        "Phone": {"wait": 3.5, "staff": 2.0, "app": 0.4},
        "App": {"app": 3.5, "payments": 1.5, "wait": 0.5},
        "Web": {"app": 1.5, "wait": 0.6},
        "Store": {"staff": 1.8, "wait": 0.7, "app": 0.5},
    },
    "product": {
        "Cards": {"delivery": 3.5, "fees": 1.3, "payments": 1.5},
        "Accounts": {"fees": 1.2, "delivery": 0.6},
        "Loans": {"fees": 1.6, "delivery": 0.3},
        "Insurance": {"refund": 2.0, "cancel": 1.5, "delivery": 0.3},
    },
    "stage": {
        "Onboarding": {"delivery": 2.0, "app": 1.3, "cancel": 0.2},
        "Usage": {"app": 1.5, "payments": 1.5},
        "Billing": {"fees": 3.5, "refund": 1.5},
        "Support": {"wait": 1.5, "staff": 1.5},
        "Cancellation": {"cancel": 5.0},
    },
    "dip": {"app": 7.0, "payments": 10.0},
}
PRAISE_BASE = {"staff_pos": 1.0, "fast": 1.0, "app_pos": 1.0, "rates": 0.8, "resolved": 0.8}
PRAISE_BOOST = {
    "channel": {
        "Phone": {"staff_pos": 2.5, "app_pos": 0.3},
        "Store": {"staff_pos": 2.5, "app_pos": 0.3},
        "App": {"app_pos": 3.0},
        "Web": {"app_pos": 2.0},
    },
    "product": {"Loans": {"rates": 2.0}, "Accounts": {"rates": 1.5}},
    "stage": {"Support": {"resolved": 2.0}, "Onboarding": {"fast": 1.5}},
    "dip": {"app_pos": 0.3},
}

# --- Text fragments (data/phrases.json) -----------------------------------------------------------
# Slots in {braces} are filled per row: SLOTS by language; PRODUCT_SLOTS ("prod", "fee") by product and
# PLACE_SLOTS ("place") by channel. CORE: full-sentence phrasings per language and topic. SHORT: very
# short stand-alone comments (3-6 words). EXTRA: optional follow-up sentences (only the two main
# languages). DIP_LINES: sentences about the mid-2025 system migration (used only in the dip months).
# OPENERS_*: openers ending in "," or a word run straight into the next sentence (which is then
# decapitalised). CLOSERS_*, BUT, ALSO_*: closing sentences and joining words.
PHRASES_PATH = Path(__file__).resolve().parent / "phrases.json"
_PHRASES = json.loads(PHRASES_PATH.read_text(encoding="utf-8"))
SLOTS = _PHRASES["slots"]
PRODUCT_SLOTS = _PHRASES["product_slots"]
PLACE_SLOTS = _PHRASES["place_slots"]
CORE = _PHRASES["core"]
SHORT = _PHRASES["short"]
EXTRA = _PHRASES["extra"]
DIP_LINES = _PHRASES["dip_lines"]
OPENERS_NEG = _PHRASES["openers_neg"]
CLOSERS_NEG = _PHRASES["closers_neg"]
OPENERS_POS = _PHRASES["openers_pos"]
CLOSERS_POS = _PHRASES["closers_pos"]
BUT = _PHRASES["but"]
ALSO_NEG = _PHRASES["also_neg"]
ALSO_POS = _PHRASES["also_pos"]

ACCENTS = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")
SLOT_RE = re.compile(r"\{(\w+)\}")
PERSON_NAMES = {name for slots in SLOTS.values() for name in slots["name"]}


# --- Helpers -------------------------------------------------------------------------------------
def pick(rng: np.random.Generator, seq: list):
    return seq[int(rng.integers(len(seq)))]


def weighted_pick(rng: np.random.Generator, weights: dict[str, float], exclude: str | None = None) -> str:
    keys = [k for k in weights if k != exclude]
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def sample_column(rng: np.random.Generator, probs: dict[str, float], size: int) -> np.ndarray:
    keys = list(probs)
    p = np.array([probs[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def _first_letter(text: str) -> int:
    """Index of the first letter, skipping leading "¿" / "¡" (-1 if there is none)."""
    return next((i for i, ch in enumerate(text) if ch.isalpha()), -1)


def decap(text: str, lang: str) -> str:
    """Lower-case the first letter (for joining after "But", "Honestly," ...), keeping "I" and names."""
    i = _first_letter(text)
    first_word = text[i:].split(" ", 1)[0].strip(",.!") if i >= 0 else ""
    if i < 0 or first_word in PERSON_NAMES or (lang == "en" and re.match(r"I\b", text[i:])):
        return text
    return text[:i] + text[i].lower() + text[i + 1 :]


def cap(text: str) -> str:
    i = _first_letter(text)
    return text if i < 0 else text[:i] + text[i].upper() + text[i + 1 :]


def joins_next(opener: str) -> bool:
    """True when the opener runs into the next sentence ("Honestly," / "La verdad es que")."""
    return not opener.endswith((".", "!", "?"))


def nps_group(score: int) -> str:
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def topic_weights(base: dict, boost: dict, row: dict) -> dict[str, float]:
    weights = dict(base)
    for key, value in (
        ("channel", row["channel"]),
        ("product", row["product"]),
        ("stage", row["journey_stage"]),
    ):
        for topic, factor in boost[key].get(value, {}).items():
            weights[topic] *= factor
    if row["dip"]:
        for topic, factor in boost["dip"].items():
            weights[topic] *= factor
    return weights


# --- Comment builder ------------------------------------------------------------------------------
class CommentWriter:
    def __init__(self, rng: np.random.Generator, lang: str, row: dict):
        self.rng = rng
        self.lang = lang
        self.row = row

    def fill(self, template: str) -> str:
        lang, row = self.lang, self.row

        def slot(match: re.Match) -> str:
            name = match.group(1)
            if name == "place":
                return pick(self.rng, PLACE_SLOTS[lang][row["channel"]])
            if name in PRODUCT_SLOTS[lang]:
                return pick(self.rng, PRODUCT_SLOTS[lang][name][row["product"]])
            return pick(self.rng, SLOTS[lang][name])

        return cap(SLOT_RE.sub(slot, template))

    def core(self, topic: str) -> str:
        return self.fill(pick(self.rng, CORE[self.lang][topic]))

    def extra(self, topic: str) -> str | None:
        options = EXTRA.get(self.lang, {}).get(topic)
        return self.fill(pick(self.rng, options)) if options else None

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def prefixed(self, prefix: str, sentence: str) -> str:
        return f"{prefix} {decap(sentence, self.lang)}" if prefix else sentence

    def assemble(self, parts: list[str], opener: str | None, closer: str | None) -> str:
        if opener:
            if joins_next(opener):
                parts[0] = f"{opener} {decap(parts[0], self.lang)}"
            else:
                parts.insert(0, opener)
        if closer and len(parts) < 4 and closer != opener:
            parts.append(closer)
        return " ".join(parts)

    def complaint(self, topics: list[str], mild: bool = False) -> str:
        rng, lang = self.rng, self.lang
        if len(topics) == 1 and self.chance(0.16 if not mild else 0.10):
            return self.fill(pick(rng, SHORT[lang][topics[0]]))
        parts = [self.core(topics[0])]
        if self.chance(0.35):
            extra = self.extra(topics[0])
            if extra:
                parts.append(extra)
        if len(topics) > 1:
            parts.append(self.prefixed(pick(rng, ALSO_NEG[lang]), self.core(topics[1])))
        if self.row["dip"] and topics[0] in ("app", "payments") and self.chance(0.5):
            parts.append(pick(rng, DIP_LINES[lang]))
        opener = pick(rng, OPENERS_NEG[lang]) if not mild and self.chance(0.25) else None
        closer = pick(rng, CLOSERS_NEG[lang]) if not mild and self.chance(0.35) else None
        return self.assemble(parts, opener, closer)

    def praise(self, topics: list[str]) -> str:
        rng, lang = self.rng, self.lang
        if len(topics) == 1 and self.chance(0.22):
            return self.fill(pick(rng, SHORT[lang][topics[0]]))
        parts = [self.core(topics[0])]
        if self.chance(0.2):
            extra = self.extra(topics[0])
            if extra:
                parts.append(extra)
        if len(topics) > 1:
            parts.append(self.prefixed(pick(rng, ALSO_POS[lang]), self.core(topics[1])))
        opener = pick(rng, OPENERS_POS[lang]) if self.chance(0.15) else None
        closer = pick(rng, CLOSERS_POS[lang]) if self.chance(0.35) else None
        return self.assemble(parts, opener, closer)

    def mixed(self, praise_topic: str, complaint_topic: str) -> str:
        good = self.core(praise_topic)
        bad = self.prefixed(pick(self.rng, BUT[self.lang]), self.core(complaint_topic))
        return f"{good} {bad}"

    def neutral(self) -> str:
        return pick(self.rng, CORE[self.lang]["neutral"])


def roughen(rng: np.random.Generator, text: str, lang: str) -> str:
    """Add the small imperfections of real free text: lowercase, missing accents, typos, no final dot."""
    if lang != "en" and rng.random() < 0.18:
        text = text.translate(ACCENTS)
        if rng.random() < 0.6:
            text = text.replace("¿", "").replace("¡", "")
    if rng.random() < 0.07:
        text = text.lower()
    if rng.random() < 0.06:
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 5]
        if candidates:
            i = candidates[int(rng.integers(len(candidates)))]
            w = words[i]
            j = int(rng.integers(1, len(w) - 2))
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
            text = " ".join(words)
    if text.endswith(".") and not text.endswith("..") and rng.random() < 0.15:
        text = text[:-1]
    elif text.endswith("!") and not text.endswith("!!") and rng.random() < 0.2:
        text += "!"
    return text.strip()


def write_comment(rng: np.random.Generator, row: dict) -> str:
    group = nps_group(row["nps"])
    if rng.random() < EMPTY_COMMENT_P[group]:
        return ""
    writer = CommentWriter(rng, row["lang"], row)
    complaints = topic_weights(COMPLAINT_BASE, COMPLAINT_BOOST, row)
    praises = topic_weights(PRAISE_BASE, PRAISE_BOOST, row)
    if group == "detractor":
        first = weighted_pick(rng, complaints)
        topics = [first, weighted_pick(rng, complaints, exclude=first)] if rng.random() < 0.22 else [first]
        text = writer.complaint(topics)
    elif group == "passive":
        r = rng.random()
        if r < 0.45:
            text = writer.mixed(weighted_pick(rng, praises), weighted_pick(rng, complaints))
        elif r < 0.75:
            text = writer.complaint([weighted_pick(rng, complaints)], mild=True)
        else:
            text = writer.neutral()
    else:
        r = rng.random()
        first = weighted_pick(rng, praises)
        if r < (0.2 if row["dip"] else 0.08):
            text = writer.mixed(first, weighted_pick(rng, complaints))
        elif r < 0.33:
            text = writer.praise([first, weighted_pick(rng, praises, exclude=first)])
        else:
            text = writer.praise([first])
    return roughen(rng, text, row["lang"])


# --- Table generation -----------------------------------------------------------------------------
def sample_dates(rng: np.random.Generator, size: int) -> pd.DatetimeIndex:
    days = pd.date_range(START, END, freq="D")
    weekday_weight = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.45, 0.3])[days.day_of_week]
    month = days.strftime("%Y-%m")
    month_weight = np.where(np.isin(month, DIP_MONTHS), 1.15, 1.0) * np.where(days.month == 12, 0.85, 1.0)
    growth = 1.0 + 0.15 * np.arange(len(days)) / len(days)
    w = weekday_weight * month_weight * growth
    return pd.DatetimeIndex(np.sort(days.values[rng.choice(len(days), size=size, p=w / w.sum())]))


def sample_scores(rng: np.random.Generator, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    years = (df["date"] - pd.Timestamp(START)).dt.days.to_numpy() / 365.0
    mu = (
        BASE_MU
        + df["region"].map(REGION_EFFECT).to_numpy(dtype=float)
        + df["channel"].map(CHANNEL_EFFECT).to_numpy(dtype=float)
        + df["product"].map(PRODUCT_EFFECT).to_numpy(dtype=float)
        + df["journey_stage"].map(STAGE_EFFECT).to_numpy(dtype=float)
        + df["month"].map(MONTH_EFFECT).fillna(0.0).to_numpy(dtype=float)
        + np.where((df["region"] == "North") & (df["channel"] == "Phone"), PROBLEM_CELL_EFFECT, 0.0)
        + TREND_PER_YEAR * years
    )
    nps = np.clip(np.rint(mu + rng.normal(0.0, NOISE_SD, len(df))), 0, 10).astype(int)
    csat_latent = np.array(CSAT_MEAN_BY_NPS)[nps] + rng.normal(0.0, CSAT_NOISE_SD, len(df))
    csat = np.clip(np.rint(csat_latent), 1, 5).astype(int)
    return nps, csat


def build_survey(seed: int = SEED, n_rows: int = N_ROWS) -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"date": sample_dates(rng, n_rows)})
    df["region"] = sample_column(rng, REGIONS, n_rows)
    channels = sample_column(rng, CHANNELS, n_rows)
    channels_north = sample_column(rng, CHANNELS_NORTH, n_rows)
    df["channel"] = np.where(df["region"] == "North", channels_north, channels)
    df["product"] = sample_column(rng, PRODUCTS, n_rows)
    df["journey_stage"] = sample_column(rng, STAGES, n_rows)
    df["month"] = df["date"].dt.strftime("%Y-%m")
    df["nps"], df["csat"] = sample_scores(rng, df)

    langs, comments = [], []
    for row in df.to_dict("records"):
        probs = LANG_BY_REGION.get(row["region"], LANG_DEFAULT)
        row["lang"] = weighted_pick(rng, {k: v for k, v in probs.items() if v > 0})
        row["dip"] = row["month"] in DIP_MONTHS
        comment = write_comment(rng, row)
        langs.append(row["lang"] if comment else "")
        comments.append(comment)
    df["comment"] = comments
    df["response_id"] = [f"R{i:05d}" for i in range(1, n_rows + 1)]
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    return df[COLUMNS], langs


def nps_score(scores: pd.Series) -> float:
    return 100.0 * ((scores >= 9).mean() - (scores <= 6).mean())


def summarize(df: pd.DataFrame, langs: list[str]) -> None:
    cell = (df["region"] == "North") & (df["channel"] == "Phone")
    month = df["date"].str[:7]
    print(f"rows: {len(df)}  file: {OUT_PATH.stat().st_size / 1024:.0f} KiB")
    print(f"NPS overall: {nps_score(df['nps']):+.1f}   CSAT 4-5 share: {100 * (df['csat'] >= 4).mean():.1f}%")
    print(
        f"NPS North x Phone: {nps_score(df.loc[cell, 'nps']):+.1f} (n={cell.sum()})"
        f"   rest: {nps_score(df.loc[~cell, 'nps']):+.1f}"
    )
    print("monthly NPS:", ", ".join(f"{m} {nps_score(g):+.0f}" for m, g in df.groupby(month)["nps"]))
    print(f"empty comments: {100 * (df['comment'] == '').mean():.1f}%")
    print("comment languages:", dict(sorted(Counter(x for x in langs if x).items())))


def main() -> None:
    df, langs = build_survey()
    df.to_csv(OUT_PATH, index=False, encoding="utf-8", lineterminator="\n")
    summarize(df, langs)


if __name__ == "__main__":
    main()
