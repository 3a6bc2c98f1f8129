-- The weekly report over plain tables imported by `sqlite3 .import --csv`: the same
-- definitions as `ketlog report weekly` for the ISO week @from (Monday) .. @to (Sunday), with
-- "overdue" judged on @today. Scripts/bench substitutes the three dates.
--   sessions in the week: count, by route, by practitioner, mean mg/kg by route
--   patients treated (distinct), new patients (T0 = first session in the week), scores dated in the week
--   alerts: a score in the week whose craving rose >= 2 or whose use days per 28 rose, against
--           the patient's previous score (order: date, then row)
--   overdue: last session on or before @today within 42 days, and no score on or before
--            @today within 14 days (or none at all)
.mode list
.separator |
.headers on
SELECT 'sessions' AS what, count(*) AS count, count(DISTINCT patient) AS patients_treated
FROM sessions WHERE date BETWEEN @from AND @to;

SELECT 'route' AS what, route, count(*) AS sessions,
       count(NULLIF(dose_mg_per_kg, '')) AS with_mg_per_kg,
       round(avg(CAST(NULLIF(dose_mg_per_kg, '') AS REAL)), 6) AS mean_mg_per_kg
FROM sessions WHERE date BETWEEN @from AND @to GROUP BY route ORDER BY route;

SELECT 'practitioner' AS what, practitioner, count(*) AS sessions
FROM sessions WHERE date BETWEEN @from AND @to GROUP BY practitioner ORDER BY count(*) DESC, practitioner;

SELECT 'new_patient' AS what, patient FROM (SELECT patient, min(date) AS t0 FROM sessions GROUP BY patient)
WHERE t0 BETWEEN @from AND @to ORDER BY patient;

SELECT 'scores' AS what, count(*) AS count FROM scores WHERE date BETWEEN @from AND @to;

WITH ordered AS (
    SELECT patient, date, CAST(craving AS INTEGER) AS craving,
           CAST(use_days AS REAL) * 28.0 / CAST(window_days AS INTEGER) AS u,
           lag(date) OVER w AS previous_date,
           lag(CAST(craving AS INTEGER)) OVER w AS previous_craving,
           lag(CAST(use_days AS REAL) * 28.0 / CAST(window_days AS INTEGER)) OVER w AS previous_u
    FROM scores WINDOW w AS (PARTITION BY patient ORDER BY date, rowid))
SELECT 'alert' AS what, patient, date, previous_date, previous_craving, craving, previous_u, u
FROM ordered
WHERE date BETWEEN @from AND @to AND previous_date IS NOT NULL
  AND (craving - previous_craving >= 2 OR u > previous_u)
ORDER BY date, patient;

WITH last_session AS (SELECT patient, max(date) AS d FROM sessions WHERE date <= @today GROUP BY patient),
     last_score AS (SELECT patient, max(date) AS d FROM scores WHERE date <= @today GROUP BY patient)
SELECT 'overdue' AS what, s.patient, s.d AS last_session, c.d AS last_score
FROM last_session s LEFT JOIN last_score c ON c.patient = s.patient
WHERE julianday(@today) - julianday(s.d) < 42
  AND (c.d IS NULL OR julianday(@today) - julianday(c.d) >= 14)
ORDER BY s.patient;

-- Safety alerts of the week's sessions, as `report weekly` computes them (SafetyThresholds):
-- a session with no vitals; intranasal monitoring under 120 minutes; per vitals, BP >= 180/110
-- at any time, else pre-dose BP >= 160/100; SpO2 < 92; HR < 50; HR > 120; MOAA/S <= 1. A vitals
-- row belongs to the patient's session of that date and time.
WITH week AS (SELECT rowid AS id, patient, date, time, route, monitoring_min FROM sessions WHERE date BETWEEN @from AND @to),
v AS (
    SELECT w.id, vt.at, CAST(nullif(vt.bp_systolic, '') AS INTEGER) AS sys, CAST(nullif(vt.bp_diastolic, '') AS INTEGER) AS dia,
           CAST(nullif(vt.heart_rate, '') AS INTEGER) AS hr, CAST(nullif(vt.spo2, '') AS INTEGER) AS spo2,
           CAST(nullif(vt.moaas, '') AS INTEGER) AS moaas
    FROM week w JOIN vitals vt ON vt.patient = w.patient AND vt.session_date = w.date AND vt.session_time = w.time),
alerts AS (
    SELECT 'no vitals' AS reason FROM week w WHERE NOT EXISTS (SELECT 1 FROM v WHERE v.id = w.id)
    UNION ALL SELECT 'intranasal' FROM week WHERE route = 'intranasal' AND monitoring_min <> '' AND CAST(monitoring_min AS INTEGER) < 120
    UNION ALL SELECT 'bp' FROM v WHERE coalesce(sys, 0) >= 180 OR coalesce(dia, 0) >= 110
    UNION ALL SELECT 'pre bp' FROM v WHERE NOT (coalesce(sys, 0) >= 180 OR coalesce(dia, 0) >= 110)
                                       AND at = 'pre' AND (coalesce(sys, 0) >= 160 OR coalesce(dia, 0) >= 100)
    UNION ALL SELECT 'spo2' FROM v WHERE spo2 < 92
    UNION ALL SELECT 'hr low' FROM v WHERE hr < 50
    UNION ALL SELECT 'hr high' FROM v WHERE hr > 120
    UNION ALL SELECT 'moaas' FROM v WHERE moaas <= 1)
SELECT 'safety' AS what, count(*) AS count FROM alerts;

SELECT 'positive_screens' AS what, count(*) AS count FROM screens WHERE date BETWEEN @from AND @to AND result = 'positive';
