"""A survey with planted causes, shared by the what-changed, alerts and drivers tests.

January to June 2025, 1,200 answers a month. Planted:
- a **within drop**: channel Phone's NPS falls by 70 points in June (its own score);
- a **mix shift**: region East, which always scores 60 points below the others, grows from 20 % to 50 % of
  the answers in June (the share of who answered);
- a **new complaint**: "no me devuelven la llamada" appears in June only, from Phone detractors;
- a **tiny noisy segment**: plan Tiny, 6 answers a month with random scores, all 0 in June;
- three 1–5 rating items: `wait` drives NPS strongly, `staff` weakly, `price` not at all, with `wait` and
  `staff` correlated (a naive importance would give staff credit that belongs to wait);
- `cancelled` (Sí/No): detractors leave far more often than promoters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MONTHS = pd.period_range("2025-01", "2025-06", freq="M")
PER_MONTH = 1200
OLD_COMPLAINTS = ["el precio es muy alto", "la web es lenta", "tardan en enviar el pedido"]
NEW_COMPLAINT = "no me devuelven la llamada"


def planted_survey(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    rid = 0
    for month in MONTHS:
        last = month == MONTHS[-1]
        n = PER_MONTH
        east_share = 0.5 if last else 0.2
        region = rng.choice(
            ["East", "West", "North"], size=n, p=[east_share, (1 - east_share) / 2, (1 - east_share) / 2]
        )
        channel = rng.choice(["Phone", "Web", "Store"], size=n)
        days = rng.integers(1, month.days_in_month + 1, size=n)
        wait = rng.integers(1, 6, size=n)
        staff = np.clip(wait + rng.integers(-1, 2, size=n), 1, 5)  # correlated with wait
        price = rng.integers(1, 6, size=n)
        target = (
            30
            + 12 * (wait - 3)
            + 3 * (staff - 3)
            - 60 * (region == "East")
            - 70 * (last & (channel == "Phone"))
        )
        target = np.clip(target, -70, 70)
        p_promoter = 0.35 + target / 200
        u = rng.random(n)
        group = np.where(u < p_promoter, "promoter", np.where(u < 0.7, "detractor", "passive"))
        nps = np.where(
            group == "promoter",
            rng.integers(9, 11, size=n),
            np.where(group == "detractor", rng.integers(0, 7, size=n), rng.integers(7, 9, size=n)),
        )
        churn_p = np.where(group == "detractor", 0.4, np.where(group == "passive", 0.2, 0.05))
        cancelled = np.where(rng.random(n) < churn_p, "Sí", "No")
        for i in range(n):
            rid += 1
            comment = None
            if group[i] == "detractor":
                if last and channel[i] == "Phone" and rng.random() < 0.7:
                    comment = NEW_COMPLAINT
                else:
                    comment = OLD_COMPLAINTS[rng.integers(0, 3)]
            rows.append(
                {
                    "id": f"r{rid}",
                    "fecha": f"{month.year}-{month.month:02d}-{days[i]:02d}",
                    "nps": int(nps[i]),
                    "comentario": comment,
                    "channel": channel[i],
                    "region": region[i],
                    "plan": "Standard",
                    "wait": int(wait[i]),
                    "staff": int(staff[i]),
                    "price": int(price[i]),
                    "cancelled": cancelled[i],
                }
            )
        for j in range(6):  # the tiny noisy segment
            rid += 1
            score = 0 if last else int(rng.integers(0, 11))
            rows.append(
                {
                    "id": f"r{rid}",
                    "fecha": f"{month.year}-{month.month:02d}-{j + 1:02d}",
                    "nps": score,
                    "comentario": None,
                    "channel": "Web",
                    "region": "West",
                    "plan": "Tiny",
                    "wait": 3,
                    "staff": 3,
                    "price": 3,
                    "cancelled": "No",
                }
            )
    return pd.DataFrame(rows)


def theme_assignments(frame: pd.DataFrame) -> pd.DataFrame:
    """Themes as a long table on the frame's index: one theme per distinct complaint text."""
    texts = frame["text"].dropna().astype(str)
    labels = sorted(texts.unique())
    ids = {label: i + 1 for i, label in enumerate(labels)}
    return pd.DataFrame({"theme_id": texts.map(ids), "theme_label": texts}, index=texts.index)
