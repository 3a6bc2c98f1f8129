#!/usr/bin/env bash
# Makes store.db, a format-1 store, with the ketlog binary given as $1 (built from commit
# 44ec89b, the last commit before the typed model), and records what that binary printed for it
# in expected/. FormatCompatibilityTests checks that today's ketlog opens the same store,
# verifies it and prints the same reports. Rerun only to make a new fixture from an old binary.
set -euo pipefail
bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export KETLOG_STORE="$work/store.db" KETLOG_PASSWORD="format-one-fixture" KETLOG_USER=admin KETLOG_TODAY=2026-11-30
k() { "$bin" "$@"; }
fixtures="$here/.."
k init --admin admin --kdf-work-factor 10
KETLOG_NEW_PASSWORD="nurse-pass" k user add nurse --role clinician
k import "$fixtures/cocaine8-patients.csv" --kind patients
k import "$fixtures/cocaine8-sessions.csv" --kind sessions
k import "$fixtures/cocaine8-scores.csv" --kind scores
k patient add P-0100 --name "Ada Example" --birth-date 1984-03-02 --sex female --substance alcohol --substance cannabis \
    --notes $'Referred by primary care.\nSecond line.'
k session add --patient P-0100 --date 2026-10-05 --time 09:30 --route iv --dose-mg-per-kg 0.5 --weight-kg 72 \
    --duration-min 40 --practitioner "Dr Lee" --counselor "J. Ortiz" --notes "Tolerated well" --adverse-event nausea \
    --adverse-event "transient hypertension"
k session add --patient P-0100 --date 2026-10-12 --route intranasal --dose-mg 56 --practitioner "Dr Lee"
k session add --patient P-0100 --date 2026-10-19 --route sublingual --dose-mg 450 --practitioner "Dr Kim" --allow-unusual-dose
k score add --patient P-0100 --date 2026-10-01 --craving 8 --use-days 20
k score add --patient P-0100 --date 2026-10-29 --craving 3 --use-days 4 --substance alcohol
k score add --patient P-0100 --date 2026-11-26 --craving 2 --use-days 1 --window-days 14
k score amend sco-2 --reason "patient corrected the count" --use-days 5
k session amend ses-2 --reason "weight re-measured" --weight-kg 70 --dose-mg-per-kg 0.5
k score void sco-1 --reason "entered for the wrong patient"
k patient add P-0101 --substance heroin
k patient void P-0101 --reason "duplicate registration"
k patient amend P-0100 --reason "code corrected" --new-code P-0102
cp "$work/store.db" "$here/store.db"
chmod 0600 "$here/store.db"
rm -rf "$here/expected"; mkdir "$here/expected"
k audit verify > "$here/expected/audit-verify.txt"
for format in text json csv markdown html; do
    k report patient P-0102 --format "$format" > "$here/expected/report-patient.$format"
    k report cohort --by dose --format "$format" > "$here/expected/report-cohort.$format"
    k report weekly --week 2026-W44 --format "$format" > "$here/expected/report-weekly.$format"
done
for kind in patients sessions scores; do
    k export --kind "$kind" --format csv > "$here/expected/export-$kind.csv"
    k export --kind "$kind" --format json > "$here/expected/export-$kind.json"
done
k session show ses-2 --history --format json > "$here/expected/session-history.json"
k status --format json > "$here/expected/status.json"
