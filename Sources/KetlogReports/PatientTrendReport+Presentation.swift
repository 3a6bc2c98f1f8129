/// The patient trend report as a document (text, Markdown, HTML) and as JSON (JSON, CSV).
extension PatientTrendReport {
    public var document: ReportDocument {
        func snapshot(_ row: ScoreRow?) -> String {
            guard let row else { return ReportNumber.absent }
            return "\(row.date): \(ReportNumber.fixed(row.useDaysPer28, digits: 1)) use days/28, craving \(row.craving)"
        }
        var summary: [DocumentFact] = [
            DocumentFact("patient", patientCode),
            DocumentFact("substances", substances.isEmpty ? ReportNumber.absent : substances.joined(separator: ", ")),
            DocumentFact("treatment start", treatmentStart?.description ?? ReportNumber.absent),
            DocumentFact("baseline", snapshot(baseline)),
            DocumentFact("latest", snapshot(latest)),
        ]
        if let change {
            let useTone: DocumentFact.Tone = change.useDaysPer28 < 0 ? .good : change.useDaysPer28 > 0 ? .warning : .plain
            let cravingTone: DocumentFact.Tone = change.craving < 0 ? .good : change.craving > 0 ? .warning : .plain
            summary.append(DocumentFact("change in use days/28",
                                        "\(ReportNumber.signed(change.useDaysPer28)) (\(signedPercent(change.useDaysPer28Percent)))",
                                        tone: useTone))
            summary.append(DocumentFact("change in craving",
                                        "\(ReportNumber.signed(Double(change.craving))) (\(signedPercent(change.cravingPercent)))",
                                        tone: cravingTone))
        }
        let run = longestZeroRun
        summary.append(DocumentFact("longest run without use",
                                    run.from.flatMap { from in run.to.map { "\(run.length) \(run.length == 1 ? "score" : "scores") (\(from) to \($0))" } } ?? "none"))
        var first = DocumentSection(heading: "Summary", blocks: [.facts(summary)] + notes.map { .note($0) })
        if !scores.isEmpty {
            let points = scores.map { (x: Double($0.daysSinceStart ?? 0), score: $0) }
            let markers = sessions.map { Double($0.daysSinceStart) }
            first.blocks.append(.chart(DocumentChart(
                title: "Use days per 28", kind: .lines(markers: markers, xLabel: "days since treatment start"), yMax: 28,
                series: [.init(name: "use days/28", points: points.map { ($0.x, $0.score.useDaysPer28) })])))
            first.blocks.append(.chart(DocumentChart(
                title: "Craving (0-10)", kind: .lines(markers: markers, xLabel: "days since treatment start"), yMax: 10,
                series: [.init(name: "craving", points: points.map { ($0.x, Double($0.score.craving)) })])))
        }
        let scoreTable = DocumentTable(
            headers: ["date", "day", "use days", "window", "use/28", "craving", "substance"], numeric: [1, 2, 3, 4, 5],
            rows: scores.map { row in
                [row.date.description, row.daysSinceStart.map(String.init) ?? ReportNumber.absent, String(row.useDays),
                 String(row.windowDays), ReportNumber.fixed(row.useDaysPer28, digits: 1), String(row.craving),
                 row.substance ?? ""]
            })
        let sessionTable = DocumentTable(
            headers: ["date", "day", "route", "mg/kg", "mg", "practitioner"], numeric: [1, 3, 4],
            rows: sessions.map { row in
                [row.date.description, String(row.daysSinceStart), row.route,
                 ReportNumber.fixed(row.doseMgPerKg, digits: 2), ReportNumber.trimmed(row.doseMg), row.practitioner]
            })
        return ReportDocument(
            title: "Patient trend: \(patientCode)",
            sections: [
                first,
                DocumentSection(heading: "Scores", blocks: scores.isEmpty ? [.note("No scores.")] : [.table(scoreTable)]),
                DocumentSection(heading: "Sessions", blocks: sessions.isEmpty ? [.note("No sessions.")] : [.table(sessionTable)]),
            ] + monitoringSections,
            audit: audit)
    }

    public var jsonValue: JSONValue {
        func snapshot(_ row: ScoreRow?) -> JSONValue {
            guard let row else { return .null }
            return .object([("date", .date(row.date)), ("days_since_start", row.daysSinceStart.map { .int($0) } ?? .null),
                            ("use_days_per_28", .number(row.useDaysPer28)), ("craving", .int(row.craving))])
        }
        let changeValue: JSONValue = change.map { change in
            .object([("use_days_per_28", .number(change.useDaysPer28)), ("percent", .number(change.useDaysPer28Percent)),
                     ("craving", .int(change.craving)), ("craving_percent", .number(change.cravingPercent))])
        } ?? .null
        return .object([
            ("report", .string("patient")),
            ("patient", .string(patientCode)),
            ("substances", .array(substances.map { .string($0) })),
            ("treatment_start", .date(treatmentStart)),
            ("baseline", snapshot(baseline)),
            ("latest", snapshot(latest)),
            ("change", changeValue),
            ("longest_zero_use_run", .object([("scores", .int(longestZeroRun.length)),
                                              ("from", .date(longestZeroRun.from)), ("to", .date(longestZeroRun.to))])),
            ("notes", .array(notes.map { .string($0) })),
            ("scores", .array(scores.map { row in
                .object([("date", .date(row.date)), ("days_since_start", row.daysSinceStart.map { .int($0) } ?? .null),
                         ("use_days", .int(row.useDays)), ("window_days", .int(row.windowDays)),
                         ("use_days_per_28", .number(row.useDaysPer28)), ("craving", .int(row.craving)),
                         ("substance", .string(row.substance))])
            })),
            ("sessions", .array(sessions.map { row in
                .object([("date", .date(row.date)), ("days_since_start", .int(row.daysSinceStart)),
                         ("route", .string(row.route)), ("dose_mg_per_kg", .number(row.doseMgPerKg)),
                         ("dose_mg", .number(row.doseMg)), ("practitioner", .string(row.practitioner))])
            })),
        ] + monitoringJSON + [("audit", audit.jsonValue)])
    }

    /// Daily use (endpoints and calendar), screens and vitals, when the clinic keeps them.
    private var monitoringSections: [DocumentSection] {
        var sections: [DocumentSection] = []
        if let dailyUse {
            let calendar = dailyUse.calendar
            let window = [DocumentFact("window", dailyUse.options.description)]
                + (calendar.observedText.map { [DocumentFact("observed so far", $0)] } ?? [])
            sections.append(DocumentSection(heading: "Daily use", blocks: [
                .facts(window + dailyUse.endpoints.facts(calendar)),
                calendar.days.isEmpty ? .note("No day of the window has passed yet.")
                    : .calendar(calendar.document(title: calendar.title)),
            ]))
        }
        guard showsMonitoring else { return sections }
        let screenTable = DocumentTable(
            headers: ["screen", "date", "substance", "result", "method"], numeric: [],
            rows: screens.map { [$0.id, $0.date.description, $0.substance.rawValue, $0.result.rawValue, $0.method?.rawValue ?? ""] })
        sections.append(DocumentSection(heading: "Drug screens",
                                        blocks: screens.isEmpty ? [.note("No screens.")] : [.table(screenTable)]))
        func value(_ number: Int?) -> String { number.map(String.init) ?? "" }
        let vitalsTable = DocumentTable(
            headers: ["date", "session", "at", "BP", "HR", "SpO2", "RR", "MOAA/S", "CADSS"], numeric: [3, 4, 5, 6, 7, 8],
            rows: vitals.map { row in
                let v = row.vitals
                return [row.sessionDate.description, row.session, v.at.label, v.bloodPressure ?? "", value(v.heartRate),
                        value(v.spo2), value(v.respiratoryRate), value(v.moaas), value(v.cadss)]
            })
        let monitoringTable = DocumentTable(
            headers: ["date", "session", "route", "lot", "monitored", "ready", "co-medications"], numeric: [4, 5],
            rows: monitoring.map { row in
                [row.date.description, row.session, row.route, row.lot ?? "",
                 row.monitoringMin.map { "\($0) min" } ?? "", row.readyMin.map { "\($0) min" } ?? "",
                 row.comedications.map(\.rawValue).joined(separator: ", ")]
            })
        var blocks: [DocumentBlock] = vitals.isEmpty ? [.note("No vitals.")] : [.table(vitalsTable)]
        if !monitoring.isEmpty { blocks.append(.table(monitoringTable)) }
        sections.append(DocumentSection(heading: "Vitals and monitoring", blocks: blocks))
        return sections
    }

    private var monitoringJSON: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        if showsDailyUse {
            let endpoints = dailyUse?.endpoints ?? .none
            let observed = dailyUse?.calendar.jsonMembers ?? [("window_complete", .null), ("observed_days", .null)]
            members.append(("endpoints", .object(endpointOptions.jsonMembers + observed + endpoints.jsonMembers)))
            members.append(("calendar", dailyUse?.calendar.jsonValue ?? .array([])))
        }
        guard showsMonitoring else { return members }
        func int(_ value: Int?) -> JSONValue { value.map { .int($0) } ?? .null }
        members.append(("screens", .array(screens.map { row in
            .object([("id", .string(row.id)), ("date", .date(row.date)), ("substance", .string(row.substance.rawValue)),
                     ("result", .string(row.result.rawValue)), ("method", .string(row.method?.rawValue))])
        })))
        members.append(("vitals", .array(vitals.map { row in
            let v = row.vitals
            return .object([("session", .string(row.session)), ("date", .date(row.sessionDate)), ("at", .string(v.at.text)),
                            ("systolic", int(v.systolic)), ("diastolic", int(v.diastolic)), ("heart_rate", int(v.heartRate)),
                            ("spo2", int(v.spo2)), ("respiratory_rate", int(v.respiratoryRate)), ("moaas", int(v.moaas)),
                            ("cadss", int(v.cadss))])
        })))
        members.append(("monitoring", .array(monitoring.map { row in
            .object([("session", .string(row.session)), ("date", .date(row.date)), ("lot", .string(row.lot)),
                     ("monitoring_min", int(row.monitoringMin)), ("ready_min", int(row.readyMin)),
                     ("comedications", .array(row.comedications.map { .string($0.rawValue) }))])
        })))
        return members
    }

    private func signedPercent(_ value: Double?) -> String {
        value.map { ReportNumber.signed($0) + "%" } ?? "no % (baseline 0)"
    }
}
