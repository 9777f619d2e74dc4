"""Banking77: theme quality at both levels with automatic k, against today's flat automatic k.

Bottom level (sub-themes) against the 77 intents; top level against a coarse grouping of the intents
by what the customer asks about, the way a bank's service desk routes them (COARSE below: 8 groups —
card delivery and ordering, card problems and security, card payments and refunds, cash and ATMs,
top-ups, transfers, exchange and currencies, identity and account; virtual cards with ordering). The
grouping is written from the intent names alone, before looking at any clustering.

The bottom level's k maximises the *reportable silhouette* (cx/themes.py): the mean silhouette with
texts in too-small clusters (below the Other threshold) counted as 0. The printed curve shows why plain
silhouette cannot choose: it keeps rising with k (tiny tight clusters), while the reportable one peaks.

    python bench/themes_levels_bench.py [--backends minilm multilingual] [--curve]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, silhouette_samples
from themes_common import ROOT, baseline_labels, load, markdown

from cx.embed import EmbeddingCache, embed_texts, get_embedder
from cx.text import clean
from cx.themes import ThemeModel, neighbour_mean

DATA = ROOT.parent / "shared" / "data" / "banking77" / "test.csv"
COARSE = {
    "card delivery and ordering": [
        "activate_my_card", "card_arrival", "card_delivery_estimate", "card_linking", "get_physical_card",
        "order_physical_card", "getting_spare_card", "card_about_to_expire", "get_disposable_virtual_card",
        "getting_virtual_card", "virtual_card_not_working", "disposable_card_limits",
    ],
    "card problems and security": [
        "card_not_working", "card_swallowed", "compromised_card", "lost_or_stolen_card", "lost_or_stolen_phone",
        "contactless_not_working", "pin_blocked", "change_pin", "passcode_forgotten", "card_acceptance",
        "declined_card_payment", "visa_or_mastercard", "apple_pay_or_google_pay",
    ],
    "card payments and refunds": [
        "card_payment_fee_charged", "card_payment_not_recognised", "card_payment_wrong_exchange_rate",
        "pending_card_payment", "reverted_card_payment?", "transaction_charged_twice",
        "direct_debit_payment_not_recognised", "extra_charge_on_statement", "Refund_not_showing_up",
        "request_refund",
    ],
    "cash and ATMs": [
        "atm_support", "cash_withdrawal_charge", "cash_withdrawal_not_recognised", "declined_cash_withdrawal",
        "pending_cash_withdrawal", "wrong_amount_of_cash_received", "wrong_exchange_rate_for_cash_withdrawal",
    ],
    "top-ups": [
        "automatic_top_up", "pending_top_up", "top_up_by_bank_transfer_charge", "top_up_by_card_charge",
        "top_up_by_cash_or_cheque", "top_up_failed", "top_up_limits", "top_up_reverted", "topping_up_by_card",
        "verify_top_up", "balance_not_updated_after_cheque_or_cash_deposit",
    ],
    "transfers": [
        "beneficiary_not_allowed", "cancel_transfer", "declined_transfer", "failed_transfer", "pending_transfer",
        "transfer_fee_charged", "transfer_into_account", "transfer_not_received_by_recipient",
        "transfer_timing", "receiving_money", "balance_not_updated_after_bank_transfer",
    ],
    "exchange and currencies": [
        "exchange_charge", "exchange_rate", "exchange_via_app", "fiat_currency_support",
        "supported_cards_and_currencies", "country_support",
    ],
    "identity and account": [
        "age_limit", "edit_personal_details", "terminate_account", "unable_to_verify_identity",
        "verify_my_identity", "verify_source_of_funds", "why_verify_identity",
    ],
}  # fmt: skip
GROUP = {intent: group for group, intents in COARSE.items() for intent in intents}


def curve(vectors: np.ndarray, truth: np.ndarray, min_share: float = 0.006) -> None:
    """Plain vs reportable silhouette and NMI for a few k (on all texts, smoothed as the model does)."""
    points = neighbour_mean(vectors, 5)
    small = max(10, min_share * len(points))
    print("| k | NMI | silhouette | reportable silhouette |\n|---|---|---|---|")
    for k in (16, 30, 45, 60, 77, 95, 120, 150, 200):
        labels = KMeans(n_clusters=k, random_state=0, n_init=1).fit_predict(points)
        values = silhouette_samples(points, labels, metric="cosine")
        shown = np.bincount(labels)[labels] >= small
        nmi = normalized_mutual_info_score(truth, labels)
        print(f"| {k} | {nmi:.3f} | {values.mean():.3f} | {np.where(shown, values, 0).mean():.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--backends", nargs="+", default=["minilm", "multilingual"])
    parser.add_argument("--curve", action="store_true", help="print the silhouette curves too")
    args = parser.parse_args()
    data = pd.read_csv(args.data)
    missing = set(data["category"]) - set(GROUP)
    if missing:
        raise SystemExit(f"intents without a coarse group: {sorted(missing)}")
    fine = pd.factorize(data["category"])[0]
    coarse = pd.factorize(data["category"].map(GROUP))[0]
    texts = [clean(t) for t in data["text"].astype(str)]
    print(f"{len(texts):,} texts, {len(set(fine))} intents, {len(set(coarse))} coarse groups; {load()}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = EmbeddingCache(Path(tmp))
        for backend in args.backends:
            vectors, _ = embed_texts(texts, get_embedder(backend), cache=cache)
            start = time.perf_counter()
            old = baseline_labels(vectors)
            old_s = time.perf_counter() - start
            for level, truth in (("bottom (77 intents)", fine), ("top (8 groups)", coarse)):
                rows.append(
                    {
                        "backend": backend,
                        "run": "today: flat, k by silhouette 4–16",
                        "level": level,
                        "k": int(old.max()),
                        "NMI": normalized_mutual_info_score(truth, old),
                        "ARI": adjusted_rand_score(truth, old),
                        "cluster s": old_s,
                    }
                )
            start = time.perf_counter()
            model = ThemeModel().fit(vectors)
            new_s = time.perf_counter() - start
            # Texts in Other count as one more cluster (they are shown, as "Other").
            for level, truth, labels, k in (
                ("bottom (77 intents)", fine, model.labels_, model.k_),
                ("top (8 groups)", coarse, model.top_labels_, model.k_top_),
            ):
                rows.append(
                    {
                        "backend": backend,
                        "run": f"two levels, automatic k (Other {np.mean(model.labels_ == 0):.1%})",
                        "level": level,
                        "k": k,
                        "NMI": normalized_mutual_info_score(truth, labels),
                        "ARI": adjusted_rand_score(truth, labels),
                        "cluster s": new_s,
                    }
                )
            if args.curve:
                print(f"\n{backend}:")
                curve(vectors, fine)
    print()
    print(markdown(pd.DataFrame(rows), 3))
    print(load())


if __name__ == "__main__":
    main()
