import KetlogModel
/// How the daily-use endpoints are shown: facts, tables, the calendar and the Kaplan–Meier curve
/// for documents; `endpoints{…}` and `calendar[…]` for JSON.
extension EndpointOptions {
    /// "days 1-28 after treatment start, missing days count as use, substance: cocaine".
    var description: String {
        let rule = missingRule == .use ? "missing days count as use" : "missing days left out"
        return "days 1-\(windowDays) after treatment start, \(rule), substance: \(substance?.rawValue ?? "any")"
    }

    var jsonMembers: [(String, JSONValue)] {
        [("missing_rule", .string(missingRule.rawValue)), ("window_days", .int(windowDays)),
         ("substance", .string(substance?.rawValue))]
    }
}

extension PatientEndpoints {
    /// The endpoints over `calendar`'s observed days.
    func facts(_ calendar: DailyCalendar) -> [DocumentFact] {
        let last14 = abstinentLast14.map { $0 ? "yes" : "no" }
            ?? (calendar.windowComplete ? ReportNumber.absent : "not yet (day \(calendar.windowDays) not reached)")
        return [
            DocumentFact("percent days abstinent", ReportNumber.percent(pctDaysAbstinent)),
            DocumentFact("longest abstinence", longestAbstinenceDays.map { $0 == 1 ? "1 day" : "\($0) days" } ?? ReportNumber.absent),
            DocumentFact("abstinent last 14 days", last14, tone: abstinentLast14 == true ? .good : .plain),
            DocumentFact("time to relapse", relapseDay.map { "day \($0)" }
                         ?? censoredDay.map { "no relapse (censored at day \($0))" } ?? ReportNumber.absent,
                         tone: relapseDay == nil ? .plain : .warning),
        ]
    }

    var jsonMembers: [(String, JSONValue)] {
        [("pct_days_abstinent", .number(pctDaysAbstinent)),
         ("longest_abstinence_days", longestAbstinenceDays.map { .int($0) } ?? .null),
         ("abstinent_last_14", abstinentLast14.map { .bool($0) } ?? .null),
         ("relapse_day", relapseDay.map { .int($0) } ?? .null),
         ("censored_day", censoredDay.map { .int($0) } ?? .null)]
    }
}

extension DailyCalendar {
    /// "days 1-12 of 28 (to 2026-03-15); the rest not yet observed", for a window that is not complete.
    var observedText: String? {
        if windowComplete { return nil }
        if days.isEmpty { return "none of \(windowDays) days yet (day 1 is \(start.adding(days: 1)))" }
        return "days 1-\(days.count) of \(windowDays) (to \(start.adding(days: days.count))); the rest not yet observed"
    }

    /// "Days 1-28 after 2026-03-02", or "Days 1-12 of 28 after 2026-03-02 (so far)".
    var title: String {
        windowComplete ? "Days 1-\(windowDays) after \(start)" : "Days 1-\(days.count) of \(windowDays) after \(start) (so far)"
    }

    /// `window_complete` and `observed_days` of the patient's `endpoints{…}`.
    var jsonMembers: [(String, JSONValue)] {
        [("window_complete", .bool(windowComplete)), ("observed_days", .int(days.count))]
    }

    /// The observed days only: a day not yet observed is never drawn (least of all as missing).
    func document(title: String) -> DocumentCalendar {
        DocumentCalendar(title: title, start: start.adding(days: 1), firstDay: 1, marks: days.map { day in
            switch day.status {
            case .use: day.positiveScreen ? .positiveScreen : .use
            case .abstinent: .abstinent
            case .missing: .missing
            }
        })
    }

    var jsonValue: JSONValue {
        .array(days.map { .object([("date", .date($0.date)), ("status", .string($0.status.rawValue))]) })
    }
}

extension CohortEndpoints {
    /// "13 of 27 (48.1%)".
    var abstinentLast14Text: String {
        "\(abstinentLast14) of \(abstinentLast14Of) (\(ReportNumber.percent(abstinentLast14Pct)))"
    }

    var medianText: String { relapse.medianDay.map { "day \($0)" } ?? "not reached" }

    var facts: [DocumentFact] {
        func summary(_ value: DescriptiveSummary) -> String {
            "mean \(ReportNumber.fixed(value.mean, digits: 1)) (SD \(ReportNumber.fixed(value.sd, digits: 1))), "
                + "median \(ReportNumber.fixed(value.median, digits: 1))"
        }
        return [
            DocumentFact("patients with daily data", String(patientsWithDailyData)),
            DocumentFact("percent days abstinent", summary(pctDaysAbstinent)),
            DocumentFact("longest abstinence (days)", summary(longestAbstinenceDays)),
            DocumentFact("abstinent last 14 days", abstinentLast14Text),
            DocumentFact("relapses", "\(relapse.events) (censored \(relapse.censored))"),
            DocumentFact("median time to relapse", medianText),
        ]
    }

    /// The days the compact survival table shows: every 7th day and the last window day.
    var survivalDays: [Int] {
        let window = options.windowDays
        let step = window <= 35 ? 7 : window <= 70 ? 14 : 28
        var days = Array(stride(from: step, to: window, by: step))
        if window > 0 { days.append(window) }
        return Array(days.suffix(6))
    }

    var jsonValue: JSONValue {
        .object(options.jsonMembers.prefix(2) + [
            ("substance", .string(options.substance?.rawValue)),
            ("patients_with_daily_data", .int(patientsWithDailyData)),
            ("pct_days_abstinent", pctDaysAbstinent.jsonValue),
            ("longest_abstinence_days", longestAbstinenceDays.jsonValue),
            ("abstinent_last_14_pct", .number(abstinentLast14Pct)),
            ("abstinent_last_14_count", .int(abstinentLast14)),
            ("abstinent_last_14_of", .int(abstinentLast14Of)),
            ("relapse", .object([
                ("events", .int(relapse.events)),
                ("censored", .int(relapse.censored)),
                ("median_days", relapse.medianDay.map { .int($0) } ?? .null),
                ("survival_14", .number(survival(at: 14))),
                ("survival_28", .number(survival(at: 28))),
                ("curve", .array(relapse.curve.map { point in
                    .object([("day", .int(point.day)), ("at_risk", .int(point.atRisk)), ("events", .int(point.events)),
                             ("survival", .number(point.survival))])
                })),
            ])),
        ])
    }
}

extension CohortReport {
    /// The "Daily-use endpoints" section, when the dataset keeps the calendar.
    var endpointsSection: DocumentSection? {
        guard let endpoints = overall.endpoints else { return nil }
        let charted = groups.isEmpty ? [overall] : groups
        var blocks: [DocumentBlock] = [.facts(endpoints.facts)]
        if let grouping = query.grouping {
            blocks.append(.table(DocumentTable(
                headers: [grouping.rawValue, "n", "% abst", "longest", "last 14", "relapses", "median"],
                numeric: [1, 2, 3, 5],
                rows: groups.compactMap { group in
                    group.endpoints.map { e in
                        [group.key, String(e.patientsWithDailyData), ReportNumber.fixed(e.pctDaysAbstinent.mean, digits: 1),
                         ReportNumber.fixed(e.longestAbstinenceDays.mean, digits: 1), e.abstinentLast14Text,
                         String(e.relapse.events), e.medianText]
                    }
                })))
        }
        let days = endpoints.survivalDays
        blocks.append(.table(DocumentTable(
            headers: [query.grouping?.rawValue ?? "group", "n"] + days.map { "day \($0)" }, numeric: Set(1...(days.count + 1)),
            rows: charted.compactMap { group in
                group.endpoints.map { e in
                    [group.key, String(e.patientsWithDailyData)]
                        + days.map { ReportNumber.fixed(e.relapse.survival(at: $0), digits: 2) }
                }
            })))
        blocks.append(.chart(DocumentChart(
            title: "Time to relapse (Kaplan-Meier)", kind: .steps(xMax: Double(endpoints.options.windowDays),
                                                                 xLabel: "days since treatment start"),
            yMax: 1,
            series: charted.compactMap { group in
                group.endpoints.map { e in
                    .init(name: group.key, points: e.relapse.curve.map { (Double($0.day), $0.survival) })
                }
            })))
        return DocumentSection(heading: "Daily-use endpoints (\(endpoints.options.description))", blocks: blocks)
    }
}
