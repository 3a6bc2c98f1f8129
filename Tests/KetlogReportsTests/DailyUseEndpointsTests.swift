import Foundation
import KetlogModel
@testable import KetlogReports
import XCTest

/// The daily-use endpoints against an independent computation in Python: the per-patient rules
/// written again from DESIGN's text, and the relapse curve from lifelines 0.30.3, whose one-liner is
/// `python3 -c "from lifelines import KaplanMeierFitter as K; k = K().fit(T, E); print(k.median_survival_time_, k.survival_function_at_times([14, 28]).tolist(), k.event_table)"`
/// (T: relapse or censoring day per patient, E: whether it is a relapse).
///
/// One deliberate difference: lifelines computes S as exp(Σ log(1 − d/n)), so a survival of exactly
/// 0.5 (7 relapses among 14 at risk) comes out as 0.5000000000000001 and its `median_survival_time_`
/// moves on to the next event day. DESIGN's median is the first day with S ≤ 0.5, so the oracle takes
/// lifelines' own `qth_survival_time(0.5, …)` on its survival function rounded to 12 decimals;
/// `testKaplanMeierMedianAtExactlyOneHalf` pins the case.
final class DailyUseEndpointsTests: XCTestCase {
    static let oracle = #"""
import json, sys, statistics
from datetime import date, timedelta
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_time

inp = json.load(sys.stdin)
F = inp['window']
today = date.fromisoformat(inp['today'])

# Only days that have happened are observed: days 1..F whose date is on or before today.
def statuses(p, substance):
    t0 = date.fromisoformat(p['t0'])
    out = []
    for d in range(1, F + 1):
        if t0 + timedelta(days=d) > today:
            break
        day = (t0 + timedelta(days=d)).isoformat()
        recs = [r['used'] for r in p['days'] if r['date'] == day and (substance is None or r['substance'] in (None, substance))]
        positive = any(s['date'] == day and s['result'] == 'positive' and (substance is None or s['substance'] == substance)
                       for s in p['screens'])
        out.append('use' if positive or True in recs else 'abstinent' if False in recs else 'missing')
    return out

def patient(st, rule):
    complete = len(st) == F
    known = [(d, s) for d, s in enumerate(st, 1) if s != 'missing']
    if not known:
        return None
    seq = [(d, 'use' if s == 'missing' else s) for d, s in enumerate(st, 1)] if rule == 'use' else known
    abst = sum(1 for _, s in seq if s == 'abstinent')
    longest = run = 0
    for _, s in seq:
        run = run + 1 if s == 'abstinent' else 0
        longest = max(longest, run)
    last = [s for d, s in seq if d >= max(1, F - 13)]
    relapse = next((d for d, s in seq if s == 'use'), None)
    return {'pct': 100.0 * abst / (len(st) if rule == 'use' else len(seq)), 'longest': longest,
            'last14': (all(s == 'abstinent' for s in last) if last else None) if complete else None,
            'relapse_day': relapse,
            'censored_day': None if relapse is not None else (len(st) if rule == 'use' else known[-1][0])}

def summary(xs):
    xs = [float(x) for x in xs]
    return {'mean': statistics.mean(xs) if xs else None, 'sd': statistics.stdev(xs) if len(xs) > 1 else None,
            'median': statistics.median(xs) if xs else None}

def aggregate(eps):
    last = [e['last14'] for e in eps if e['last14'] is not None]
    out = {'n': len(eps), 'pct': summary([e['pct'] for e in eps]), 'longest': summary([e['longest'] for e in eps]),
           'last14_pct': 100.0 * sum(last) / len(last) if last else None,
           'events': sum(e['relapse_day'] is not None for e in eps),
           'censored': sum(e['relapse_day'] is None for e in eps),
           'median': None, 's14': None, 's28': None, 'curve': []}
    if eps:
        T = [e['relapse_day'] if e['relapse_day'] is not None else e['censored_day'] for e in eps]
        E = [e['relapse_day'] is not None for e in eps]
        k = KaplanMeierFitter().fit(T, event_observed=E)
        m = qth_survival_time(0.5, k.survival_function_.round(12))
        out['median'] = None if m == float('inf') else int(m)
        out['s14'] = float(k.survival_function_at_times(14).iloc[0]) if F >= 14 else None
        out['s28'] = float(k.survival_function_at_times(28).iloc[0]) if F >= 28 else None
        out['curve'] = [{'day': int(t), 'at_risk': int(row['at_risk']), 'events': int(row['observed']),
                         'survival': float(k.survival_function_.loc[t].iloc[0])}
                        for t, row in k.event_table.iterrows() if row['observed'] > 0]
    return out

results = []
for config in inp['configs']:
    eps, complete, observed = {}, {}, {}
    for p in inp['patients']:
        st = statuses(p, config['substance'])
        eps[p['code']] = patient(st, config['rule'])
        complete[p['code']], observed[p['code']] = len(st) == F, len(st)
    # The cohort takes a patient's endpoints only once the whole window has been observed.
    counted = {code: e for code, e in eps.items() if e is not None and complete[code]}
    groups = {'all': aggregate(list(counted.values()))}
    for key in sorted(set(p['group'] for p in inp['patients'])):
        groups[key] = aggregate([counted[p['code']] for p in inp['patients'] if p['group'] == key and p['code'] in counted])
    results.append({'patients': eps, 'complete': complete, 'observed': observed, 'groups': groups})
print(json.dumps(results))
"""#

    private struct Config {
        let rule: MissingDayRule
        let substance: Substance?
    }

    private let configs = [Config(rule: .use, substance: nil), Config(rule: .ignore, substance: nil),
                           Config(rule: .use, substance: .cocaine), Config(rule: .ignore, substance: .cocaine)]

    /// The raw lists the oracle starts from, straight from the dataset.
    private func oracleInput(_ dataset: ReportDataset) -> [String: Any] {
        let starts = Dictionary(grouping: dataset.sessions, by: \.patientID).mapValues { $0.map(\.date).min()! }
        let perKg = Dictionary(grouping: dataset.sessions, by: \.patientID).mapValues { $0.min { $0.date < $1.date }!.doseMgPerKg! }
        return [
            "window": 28,
            "today": dataset.today.description,
            "configs": configs.map { ["rule": $0.rule.rawValue, "substance": $0.substance?.rawValue as Any? ?? NSNull()] },
            "patients": dataset.patients.map { patient -> [String: Any] in
                [
                    "code": patient.code,
                    "group": String(format: "%.2f mg/kg", perKg[patient.id]!),
                    "t0": starts[patient.id]!.description,
                    "days": dataset.days.filter { $0.patientID == patient.id }.map {
                        ["date": $0.date.description, "substance": $0.substance?.rawValue as Any? ?? NSNull(), "used": $0.used]
                    },
                    "screens": dataset.screens.filter { $0.patientID == patient.id }.map {
                        ["date": $0.date.description, "substance": $0.substance.rawValue, "result": $0.result.rawValue]
                    },
                ]
            },
        ]
    }

    private func assertClose(_ actual: Double?, _ expected: Any?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = expected as? Double
        switch (actual, expected) {
        case (nil, nil): break
        case let (a?, e?): XCTAssertEqual(a, e, accuracy: 1e-9, what, file: file, line: line)
        default: XCTFail("\(what): \(String(describing: actual)) vs oracle \(String(describing: expected))", file: file, line: line)
        }
    }

    private func assertSummary(_ actual: DescriptiveSummary, _ expected: Any?, _ what: String) {
        let expected = expected as? [String: Any] ?? [:]
        assertClose(actual.mean, expected["mean"], what + ".mean")
        assertClose(actual.sd, expected["sd"], what + ".sd")
        assertClose(actual.median, expected["median"], what + ".median")
    }

    func testEndpointsEqualTheOracleUnderBothMissingRulesWithAndWithoutSubstance() throws {
        try assertEndpointsEqualTheOracle(Fixtures.dailyCohort)
    }

    /// Five patients whose windows end on or after today (one who used before today, one who did
    /// not, one with missing days, one who started today, one whose window ends today).
    func testEndpointsEqualTheOracleWhenWindowsAreNotYetComplete() throws {
        try assertEndpointsEqualTheOracle(Fixtures.dailyCohortLive, incomplete: ["D-17", "D-18", "D-19", "D-20"])
    }

    private func assertEndpointsEqualTheOracle(_ dataset: ReportDataset, incomplete: Set<String> = []) throws {
        let results = try XCTUnwrap(try PythonOracle.run(Self.oracle, input: oracleInput(dataset)) as? [[String: Any]])
        XCTAssertEqual(results.count, configs.count)
        for (config, result) in zip(configs, results) {
            let label = "\(config.rule) \(config.substance?.rawValue ?? "any")"
            let expectedPatients = try XCTUnwrap(result["patients"] as? [String: Any])
            let expectedComplete = try XCTUnwrap(result["complete"] as? [String: Bool])
            let expectedObserved = try XCTUnwrap(result["observed"] as? [String: Int])
            // The fixture's incomplete windows are the oracle's, so neither side can drift into agreeing vacuously.
            XCTAssertEqual(Set(expectedComplete.filter { !$0.value }.keys), incomplete, label)
            let query = try CohortQuery(substance: config.substance?.rawValue, grouping: .dose, missingRule: config.rule)
            let cohort = CohortReport(dataset: dataset, query: query)
            let options = EndpointOptions(missingRule: config.rule, windowDays: 28, substance: config.substance)
            for patient in dataset.patients {
                let what = "\(label) \(patient.code)"
                let report = try PatientTrendReport(dataset: dataset, patientCode: patient.code, endpoints: options)
                let calendar = try XCTUnwrap(report.dailyUse).calendar
                let endpoints = try XCTUnwrap(report.dailyUse).endpoints
                let reasons = Set(cohort.overall.missing.filter { $0.patientCode == patient.code }.map(\.reason))
                let complete = try XCTUnwrap(expectedComplete[patient.code], what)
                XCTAssertEqual(calendar.windowComplete, complete, what)
                XCTAssertEqual(calendar.days.count, expectedObserved[patient.code], what + " observed days")
                XCTAssertEqual(reasons.contains(.windowIncomplete), !complete, what)
                let expected = expectedPatients[patient.code] as? [String: Any]
                XCTAssertEqual(reasons.contains(.noDailyData), complete && expected == nil,
                               "\(what) is listed as missing daily data exactly when complete without any")
                guard let expected else {
                    XCTAssertEqual(endpoints, PatientEndpoints.none, what)
                    continue
                }
                assertClose(endpoints.pctDaysAbstinent, expected["pct"], what + " pct")
                XCTAssertEqual(endpoints.longestAbstinenceDays, expected["longest"] as? Int, what + " longest")
                XCTAssertEqual(endpoints.abstinentLast14, expected["last14"] as? Bool, what + " last14")
                XCTAssertEqual(endpoints.relapseDay, expected["relapse_day"] as? Int, what + " relapse")
                XCTAssertEqual(endpoints.censoredDay, expected["censored_day"] as? Int, what + " censored")
            }
            let expectedGroups = try XCTUnwrap(result["groups"] as? [String: [String: Any]])
            XCTAssertEqual(Set(cohort.groups.map(\.key)).union(["all"]), Set(expectedGroups.keys), label)
            for group in [cohort.overall] + cohort.groups {
                let what = "\(label) \(group.key)"
                let actual = try XCTUnwrap(group.endpoints, what)
                let expected = try XCTUnwrap(expectedGroups[group.key], what)
                XCTAssertEqual(actual.patientsWithDailyData, expected["n"] as? Int, what)
                assertSummary(actual.pctDaysAbstinent, expected["pct"], what + " pct")
                assertSummary(actual.longestAbstinenceDays, expected["longest"], what + " longest")
                assertClose(actual.abstinentLast14Pct, expected["last14_pct"], what + " last14")
                XCTAssertEqual(actual.relapse.events, expected["events"] as? Int, what)
                XCTAssertEqual(actual.relapse.censored, expected["censored"] as? Int, what)
                XCTAssertEqual(actual.relapse.medianDay, expected["median"] as? Int, what + " median")
                assertClose(actual.survival(at: 14), expected["s14"], what + " S(14)")
                assertClose(actual.survival(at: 28), expected["s28"], what + " S(28)")
                let curve = try XCTUnwrap(expected["curve"] as? [[String: Any]])
                XCTAssertEqual(actual.relapse.curve.count, curve.count, what + " curve")
                for (point, oracle) in zip(actual.relapse.curve, curve) {
                    XCTAssertEqual(point.day, oracle["day"] as? Int, what)
                    XCTAssertEqual(point.atRisk, oracle["at_risk"] as? Int, what)
                    XCTAssertEqual(point.events, oracle["events"] as? Int, what)
                    assertClose(point.survival, oracle["survival"], what + " survival day \(point.day)")
                }
            }
        }
    }

    /// The fixture's special cases, spelled out, so a change in the fixture cannot make them vacuous.
    func testTheFixtureCasesDecideTheDayStatus() throws {
        let dataset = Fixtures.dailyCohort
        func calendar(_ code: String, _ substance: Substance? = nil) throws -> DailyCalendar {
            try XCTUnwrap(try PatientTrendReport(dataset: dataset, patientCode: code,
                                                 endpoints: EndpointOptions(substance: substance)).dailyUse).calendar
        }
        // A positive screen on a day recorded abstinent: use, marked as a positive screen.
        let d11 = try calendar("D-11")
        XCTAssertEqual(d11.days[4].status, .use)
        XCTAssertTrue(d11.days[4].positiveScreen)
        XCTAssertEqual(d11.days[3].status, .abstinent)
        // Two contradictory records for one day: use. The voided day 9: missing.
        let d12 = try calendar("D-12")
        XCTAssertEqual(d12.days[2].status, .use)
        XCTAssertEqual(d12.days[8].status, .missing)
        // Another substance: alcohol days are use without a filter, not under --substance cocaine.
        XCTAssertEqual(try calendar("D-13").days[0].status, .use)
        XCTAssertEqual(try calendar("D-13", .cocaine).days[0].status, .abstinent)
        XCTAssertEqual(try calendar("D-01").days[1].positiveScreen, true)
        XCTAssertEqual(try calendar("D-01", .cocaine).days[1].positiveScreen, false)
        // Records without a substance count under any filter; only-alcohol days do not.
        XCTAssertEqual(try calendar("D-16", .cocaine).days.filter { $0.status != .missing }.map(\.day), Array(20...28))
        // Outside the window (day 0, day 29) and a negative screen: no daily data.
        XCTAssertFalse(try calendar("D-14").hasData)
        XCTAssertFalse(try calendar("D-15").hasData)
    }

    /// The loader hands reports non-void records only; a voided day record must read as missing,
    /// which the dataset's documentation promises the loader keeps to.
    func testTheLoaderContractOnVoidRecordsIsDocumented() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/KetlogReports/ReportDataset.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        XCTAssertTrue(text.contains("void `day` records are left out"), "ReportDataset.days must document the void rule")
        XCTAssertTrue(text.contains("Drug screens, void ones left out"))
        XCTAssertTrue(text.contains("Vitals, void ones left out"))
    }

    func testKaplanMeierByHand() {
        // 5 patients: relapses on days 2, 2, 5; censored at 3 and 28. S(2) = 3/5; S(5) = 3/5 × 1/2.
        let km = KaplanMeier([(2, true), (2, true), (3, false), (5, true), (28, false)])
        XCTAssertEqual(km.curve.map(\.day), [2, 5])
        XCTAssertEqual(km.curve.map(\.atRisk), [5, 2])
        XCTAssertEqual(km.curve[1].survival, 0.3, accuracy: 1e-12)
        XCTAssertEqual(km.medianDay, 5)
        XCTAssertEqual(km.survival(at: 1), 1)
        XCTAssertEqual(km.survival(at: 4), 0.6, accuracy: 1e-12)
        XCTAssertNil(KaplanMeier([(28, false), (9, true), (28, false)]).medianDay)
    }

    /// 7 of 14 relapse on day 2: S(2) = 0.5 exactly, so the median is day 2 (lifelines' unrounded
    /// median_survival_time_ says 9, from its floating-point 0.5000000000000001).
    func testKaplanMeierMedianAtExactlyOneHalf() {
        let km = KaplanMeier(Array(repeating: (2, true), count: 7) + Array(repeating: (9, true), count: 7))
        XCTAssertEqual(km.curve[0].survival, 0.5)
        XCTAssertEqual(km.medianDay, 2)
    }

    /// 13 of 27 → 48.1 %, 3 of 28 → 10.7 % (the 2019 trial reported 48.2 % and 10.7 %).
    func testTheTrialShapeByDose() throws {
        let report = CohortReport(dataset: Fixtures.trialShape, query: try CohortQuery(grouping: .dose))
        XCTAssertEqual(report.groups.map(\.key), ["0.10 mg/kg", "0.50 mg/kg"])
        XCTAssertEqual(report.groups.compactMap(\.endpoints).map(\.abstinentLast14), [3, 13])
        XCTAssertEqual(report.groups.compactMap(\.endpoints).map(\.abstinentLast14Of), [28, 27])
        let text = TextRenderer().render(report)
        XCTAssertTrue(text.contains("13 of 27 (48.1%)"), text)
        XCTAssertTrue(text.contains("3 of 28 (10.7%)"), text)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
        let groups = try XCTUnwrap(json["groups"] as? [[String: Any]])
        let percents = try groups.map { group -> Double in
            let endpoints = try XCTUnwrap(group["endpoints"] as? [String: Any])
            return try XCTUnwrap(endpoints["abstinent_last_14_pct"] as? Double)
        }
        XCTAssertEqual(percents[0], 300.0 / 28, accuracy: 1e-4)
        XCTAssertEqual(percents[1], 1300.0 / 27, accuracy: 1e-4)
        XCTAssertEqual(ReportNumber.percent(percents[1]), "48.1%")
        XCTAssertEqual(ReportNumber.percent(percents[0]), "10.7%")
    }
}
