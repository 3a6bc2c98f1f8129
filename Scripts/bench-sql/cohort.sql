-- The cohort report (all patients, follow-up 28 ± 7 days) over plain tables imported by
-- `sqlite3 .import --csv`: the same definitions as `ketlog report cohort`.
--   T0        = the patient's first session date
--   baseline  = the latest score dated on or before T0 (same day: the later row)
--   follow-up = among scores after T0, the one closest to T0 + 28 within ±7; a tie goes to the
--               later score (later date, then later row)
--   use days per 28 = use_days × 28 / window_days
-- Prints the summary row, then every patient without a complete pair (ketlog lists them too).
-- Not computed here: the Student-t interval and the Wilcoxon p-value (no t or signed-rank
-- distribution in SQLite); ketlog computes both, which costs it well under a millisecond.
.mode list
.separator |
.headers on
CREATE TEMP TABLE pair AS
WITH t0 AS (SELECT patient, min(date) AS t0 FROM sessions GROUP BY patient),
sc AS (
    SELECT s.rowid AS id, s.patient, s.date, t0.t0,
           CAST(s.craving AS INTEGER) AS craving,
           CAST(s.use_days AS REAL) * 28.0 / CAST(s.window_days AS INTEGER) AS u,
           CAST(julianday(s.date) - julianday(t0.t0) AS INTEGER) AS d
    FROM scores s JOIN t0 ON t0.patient = s.patient),
base AS (
    SELECT patient, u, craving FROM (
        SELECT patient, u, craving, row_number() OVER (PARTITION BY patient ORDER BY date DESC, id DESC) AS rn
        FROM sc WHERE d <= 0) WHERE rn = 1),
fu AS (
    SELECT patient, u, craving FROM (
        SELECT patient, u, craving,
               row_number() OVER (PARTITION BY patient ORDER BY abs(d - 28), date DESC, id DESC) AS rn
        FROM sc WHERE d > 0 AND abs(d - 28) <= 7) WHERE rn = 1)
SELECT t0.patient, t0.t0, b.u AS bu, f.u AS fu, b.craving AS bc, f.craving AS fc
FROM t0 LEFT JOIN base b ON b.patient = t0.patient LEFT JOIN fu f ON f.patient = t0.patient;

CREATE TEMP TABLE complete AS SELECT * FROM pair WHERE bu IS NOT NULL AND fu IS NOT NULL;

WITH m AS (SELECT count(*) AS n, avg(bu) AS mb, avg(fu) AS mf, avg(fu - bu) AS md,
                  avg(bc) AS mbc, avg(fc) AS mfc FROM complete),
med AS (
    SELECT (SELECT avg(bu) FROM (SELECT bu, row_number() OVER (ORDER BY bu) AS r FROM complete), m
            WHERE r IN ((m.n + 1) / 2, (m.n + 2) / 2)) AS bmed,
           (SELECT avg(fu) FROM (SELECT fu, row_number() OVER (ORDER BY fu) AS r FROM complete), m
            WHERE r IN ((m.n + 1) / 2, (m.n + 2) / 2)) AS fmed,
           (SELECT avg(bc) FROM (SELECT bc, row_number() OVER (ORDER BY bc) AS r FROM complete), m
            WHERE r IN ((m.n + 1) / 2, (m.n + 2) / 2)) AS bcmed,
           (SELECT avg(fc) FROM (SELECT fc, row_number() OVER (ORDER BY fc) AS r FROM complete), m
            WHERE r IN ((m.n + 1) / 2, (m.n + 2) / 2)) AS fcmed)
SELECT m.n AS n,
       (SELECT count(*) FROM pair) - m.n AS missing,
       round(m.mb, 6) AS baseline_mean,
       round(sqrt((SELECT sum((bu - m.mb) * (bu - m.mb)) FROM complete) / (m.n - 1)), 6) AS baseline_sd,
       round(med.bmed, 6) AS baseline_median,
       round(m.mf, 6) AS follow_up_mean,
       round(sqrt((SELECT sum((fu - m.mf) * (fu - m.mf)) FROM complete) / (m.n - 1)), 6) AS follow_up_sd,
       round(med.fmed, 6) AS follow_up_median,
       round(m.md, 6) AS difference_mean,
       round(sqrt((SELECT sum((fu - bu - m.md) * (fu - bu - m.md)) FROM complete) / (m.n - 1)), 6) AS difference_sd,
       round((SELECT count(*) FROM complete WHERE fu = 0) * 100.0 / m.n, 6) AS abstinent_pct,
       round((SELECT count(*) FROM complete WHERE fu <= bu / 2) * 100.0 / m.n, 6) AS reduced_50_pct,
       round(m.mbc, 6) AS craving_baseline_mean,
       round(sqrt((SELECT sum((bc - m.mbc) * (bc - m.mbc)) FROM complete) / (m.n - 1)), 6) AS craving_baseline_sd,
       med.bcmed AS craving_baseline_median,
       round(m.mfc, 6) AS craving_follow_up_mean,
       round(sqrt((SELECT sum((fc - m.mfc) * (fc - m.mfc)) FROM complete) / (m.n - 1)), 6) AS craving_follow_up_sd,
       med.fcmed AS craving_follow_up_median,
       round((SELECT count(*) FROM complete WHERE fc = 0) * 100.0 / m.n, 6) AS craving_zero_pct,
       round((SELECT count(*) FROM complete WHERE fc <= bc / 2.0) * 100.0 / m.n, 6) AS craving_reduced_50_pct
FROM m, med;

SELECT patient, t0 AS treatment_start,
       CASE WHEN bu IS NULL AND fu IS NULL THEN 'no baseline or follow-up'
            WHEN bu IS NULL THEN 'no baseline' ELSE 'no follow-up' END AS reason
FROM pair WHERE bu IS NULL OR fu IS NULL ORDER BY patient, t0;
