-- The cohort report's daily-use endpoints over plain tables imported by `sqlite3 .import --csv`
-- (days.csv, screens.csv beside sessions.csv): the same definitions as `ketlog report cohort`
-- with its defaults (--missing use, --follow-up-days 28, no --substance), run after cohort.sql.
--   T0       = the patient's first session date; the window is days 1…28 after it
--   a window that ends after @today is not complete: the patient is listed, not counted
--   day use  = a day record says used, or a positive screen that day; abstinent = a day record
--              says abstinent and nothing says use; else missing, which counts as use
--   with daily data = at least one use or abstinent day in the window
-- Prints one summary row (endpoint_*), then the Kaplan–Meier curve (km|day|at_risk|events|survival).
.mode list
.separator |
.headers on
CREATE TEMP TABLE ep_patient AS
SELECT patient, t0 FROM (SELECT patient, min(date) AS t0 FROM sessions GROUP BY patient)
WHERE julianday(t0) + 28 <= julianday(@today);

-- The known days: one row per patient and window day with a day record or a positive screen.
CREATE TEMP TABLE ep_known AS
WITH marks AS (
    SELECT p.patient, CAST(julianday(d.date) - julianday(p.t0) AS INTEGER) AS day,
           d.used = 'yes' AS use, d.used = 'no' AS abstinent
    FROM ep_patient p JOIN days d ON d.patient = p.patient
    UNION ALL
    SELECT p.patient, CAST(julianday(s.date) - julianday(p.t0) AS INTEGER), 1, 0
    FROM ep_patient p JOIN screens s ON s.patient = p.patient AND s.result = 'positive')
SELECT patient, day, max(use) AS use, max(abstinent) AS abstinent
FROM marks WHERE day BETWEEN 1 AND 28 GROUP BY patient, day;

-- Per patient: abstinent days, the longest run of them (consecutive day numbers: an island),
-- whether days 15…28 are all abstinent, and the first day that is not abstinent (use or missing):
-- the day after a run that starts on day 1, else day 1.
CREATE TEMP TABLE ep_each AS
WITH islands AS (
    SELECT patient, day, day - row_number() OVER (PARTITION BY patient ORDER BY day) AS island
    FROM ep_known WHERE use = 0 AND abstinent = 1),
runs AS (SELECT patient, count(*) AS length, min(day) AS first, max(day) AS last FROM islands GROUP BY patient, island),
per AS (
    SELECT patient, sum(length) AS abstinent_days, max(length) AS longest,
           sum(CASE WHEN last >= 15 THEN last - max(first, 15) + 1 ELSE 0 END) AS last14_days,
           coalesce(max(CASE WHEN first = 1 THEN last + 1 END), 1) AS first_not_abstinent
    FROM runs GROUP BY patient)
SELECT k.patient, coalesce(per.abstinent_days, 0) AS abstinent_days, coalesce(per.longest, 0) AS longest,
       coalesce(per.last14_days, 0) = 14 AS last14, coalesce(per.first_not_abstinent, 1) AS first_not_abstinent
FROM (SELECT DISTINCT patient FROM ep_known) k LEFT JOIN per ON per.patient = k.patient;

CREATE TEMP TABLE ep_time AS
SELECT patient, CASE WHEN first_not_abstinent <= 28 THEN first_not_abstinent ELSE 28 END AS day,
       first_not_abstinent <= 28 AS event
FROM ep_each;

CREATE TEMP TABLE ep_km AS
WITH byday AS (SELECT day, count(*) AS leaving, sum(event) AS events FROM ep_time GROUP BY day),
risk AS (SELECT day, events, sum(leaving) OVER (ORDER BY day DESC) AS at_risk FROM byday)
SELECT day, at_risk, events,
       exp(sum(ln(max(1.0 - CAST(events AS REAL) / at_risk, 1e-300))) OVER (ORDER BY day)) AS survival
FROM risk WHERE events > 0;

WITH m AS (SELECT count(*) AS n, avg(abstinent_days * 100.0 / 28) AS pct, avg(longest) AS longest FROM ep_each),
ord AS (SELECT abstinent_days * 100.0 / 28 AS pct, longest,
               row_number() OVER (ORDER BY abstinent_days) AS rp, row_number() OVER (ORDER BY longest) AS rl
        FROM ep_each)
SELECT m.n AS endpoint_patients,
       (SELECT count(*) FROM ep_patient) - m.n AS endpoint_no_daily_data,
       (SELECT count(*) FROM (SELECT patient, min(date) AS t0 FROM sessions GROUP BY patient)
        WHERE julianday(t0) + 28 > julianday(@today)) AS endpoint_incomplete,
       round(m.pct, 6) AS endpoint_pct_mean,
       round(sqrt((SELECT sum((abstinent_days * 100.0 / 28 - m.pct) * (abstinent_days * 100.0 / 28 - m.pct)) FROM ep_each)
                  / (m.n - 1)), 6) AS endpoint_pct_sd,
       round((SELECT avg(pct) FROM ord WHERE rp IN ((m.n + 1) / 2, (m.n + 2) / 2)), 6) AS endpoint_pct_median,
       round(m.longest, 6) AS endpoint_longest_mean,
       (SELECT avg(longest) FROM ord WHERE rl IN ((m.n + 1) / 2, (m.n + 2) / 2)) AS endpoint_longest_median,
       round((SELECT count(*) FROM ep_each WHERE last14) * 100.0 / m.n, 6) AS endpoint_last14_pct,
       (SELECT sum(event) FROM ep_time) AS endpoint_events,
       (SELECT count(*) - sum(event) FROM ep_time) AS endpoint_censored,
       (SELECT min(day) FROM ep_km WHERE survival <= 0.5 + 1e-12) AS endpoint_median_days,
       round(coalesce((SELECT survival FROM ep_km WHERE day <= 14 ORDER BY day DESC LIMIT 1), 1.0), 6) AS endpoint_survival_14,
       round(coalesce((SELECT survival FROM ep_km WHERE day <= 28 ORDER BY day DESC LIMIT 1), 1.0), 6) AS endpoint_survival_28
FROM m;
