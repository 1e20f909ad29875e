#!/usr/bin/env bash
# Predicted CLV: generate N customers, then `clv predict` (RFM in SQL, BG/NBD + Gamma-Gamma fit,
# scoring written back), and, in the same run, the `lifetimes` Python package fitting the same
# per-customer summary. Prints JSON. Usage: bench/predict.sh [CUSTOMERS]
source "$(dirname "$0")/lib.sh"
customers=${1:-1000000}
as_of="2025-12-31"
venv=.clv/bench-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q lifetimes
fi
url=$(fresh_database bench_predict)
$clv migrate --database-url "$url" >/dev/null
$clv generate --customers "$customers" --database-url "$url" >/dev/null 2>&1
$clv run --select analytics_internal.revenue_events --database-url "$url" >/dev/null
conversions=$(psql "$url" -Atc "select count(*) from raw.conversions")

$clv predict --as-of "$as_of" --unit week --json --database-url "$url" > "$work/predict.json"
psql "$url" -qc "\\copy (select frequency, recency, t, monetary_value from analytics.customer_rfm) to '$work/rfm.csv' with (format csv, header)"
psql "$admin" -qc "drop database bench_predict"

"$venv/bin/python" - "$customers" "$conversions" "$work" <<'PY'
import json, sys, time
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
customers, conversions, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
report = json.load(open(f"{work}/predict.json"))
summary = pd.read_csv(f"{work}/rfm.csv")
started = time.time()
bg = BetaGeoFitter()
try:
    bg.fit(summary["frequency"], summary["recency"], summary["t"])
    bg_params, bg_error = bg.params_.to_dict(), None
except Exception as error:  # lifetimes gives up with ConvergenceError on some large samples
    bg_params, bg_error = None, str(error).strip().splitlines()[0]
repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
lifetimes_fit = time.time() - started
print(json.dumps({
    "customers": customers, "conversions": conversions,
    "summarised_customers": report["customers"], "distinct_summaries": report["distinctSummaries"],
    "clv_summary_seconds": round(report["summarySeconds"], 2),
    "clv_fit_seconds": round(report["fitSeconds"], 2),
    "clv_score_and_publish_seconds": round(report["scoreSeconds"], 2),
    "clv_total_seconds": round(report["totalSeconds"], 2),
    "lifetimes_fit_seconds": round(lifetimes_fit, 2),
    "lifetimes_over_clv_fit": round(lifetimes_fit / report["fitSeconds"], 1),
    "clv_bgnbd": report["bgnbd"], "lifetimes_bgnbd": bg_params, "lifetimes_bgnbd_error": bg_error,
    "clv_gamma_gamma": report["gammaGamma"], "lifetimes_gamma_gamma": gg.params_.to_dict(),
}, indent=2))
PY
