"""Plots bench/compare's results: calls/s and peak RSS per client.

    python plot.py RESULTS.json OUT.png      (run in bench/compare's venv: needs matplotlib)
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    res = json.load(open(sys.argv[1]))
    clients = list(res["clients"].values())
    names = [f"{c['label']} ({c['language']})" if c["label"] == "plexauth" else c["label"] for c in clients]
    colours = ["#888888" if "raw" in c["label"] else "#1f77b4" if c["label"] == "plexauth" else "#d62728"
               for c in clients]
    raw = res["clients"].get("raw", {}).get("calls_per_s")

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 0.55 * len(clients) + 1.8), sharey=True)
    y = list(range(len(clients)))[::-1]
    calls = [c["calls_per_s"] for c in clients]
    errs = [[c["calls_per_s"] - c["calls_per_s_min"] for c in clients],
            [c["calls_per_s_max"] - c["calls_per_s"] for c in clients]]
    ax1.barh(y, calls, color=colours, xerr=errs, capsize=3)
    ax1.set_xscale("log")
    ax1.set_xlabel("get_token_details calls/s (median of runs, min–max bars; log scale)")
    for yi, c in zip(y, clients):
        note = f"{c['calls_per_s']:,.0f}" + (f"  ({c['calls_per_s'] / raw:.2f}× raw)" if raw else "")
        ax1.text(c["calls_per_s_max"] * 1.15, yi, note, va="center", fontsize=8)
    ax1.set_xlim(min(calls) / 2, max(c["calls_per_s_max"] for c in clients) * 15)
    ax1.set_yticks(y)
    ax1.set_yticklabels(names)

    rss = [c["rss_mb"] for c in clients]
    ax2.barh(y, rss, color=colours)
    ax2.set_xlabel("peak RSS, MB (median of runs)")
    for yi, v in zip(y, rss):
        ax2.text(v, yi, f" {v:.1f}", va="center", fontsize=8)
    ax2.set_xlim(0, max(rss) * 1.2)

    fig.suptitle(f"plexauth vs raw libcurl and peer SDKs — {res['calls']} keep-alive calls × {res['runs']} runs, "
                 f"loopback fake ({res['date']})", fontsize=10)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
