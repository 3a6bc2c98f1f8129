/// The weekly report as a document (text, Markdown, HTML) and as JSON (JSON, CSV).
extension WeeklyReport {
    public var document: ReportDocument {
        let activity: [DocumentFact] = [
            DocumentFact("sessions", String(sessionCount)),
            DocumentFact("patients treated", String(patientsTreated)),
            DocumentFact("new patients", newPatients.isEmpty ? "0" : "\(newPatients.count) (\(newPatients.joined(separator: ", ")))"),
            DocumentFact("scores recorded", String(scoresRecorded)),
            DocumentFact("amendments", String(amendments)),
            DocumentFact("voids", String(voids)),
        ]
        let counts = Dictionary(uniqueKeysWithValues: sessionsByRoute.map { ($0.key, $0.count) })
        let routes = DocumentTable(headers: ["route", "sessions", "with mg/kg", "mean mg/kg"], numeric: [1, 2, 3],
                                   rows: mgPerKgByRoute.map { [$0.route, String(counts[$0.route] ?? 0), String($0.sessions),
                                                               ReportNumber.fixed($0.meanMgPerKg, digits: 2)] })
        let practitioners = DocumentTable(headers: ["practitioner", "sessions"], numeric: [1],
                                          rows: sessionsByPractitioner.map { [$0.key, String($0.count)] })
        let alertTable = DocumentTable(
            headers: ["patient", "date", "previous", "craving", "use/28", "why"], numeric: [],
            rows: alerts.map { alert in
                [alert.patientCode, alert.date.description, alert.previousDate.description,
                 "\(alert.previousCraving) -> \(alert.craving)",
                 "\(ReportNumber.fixed(alert.previousUseDaysPer28, digits: 1)) -> \(ReportNumber.fixed(alert.useDaysPer28, digits: 1))",
                 alert.reasons.map(\.rawValue).joined(separator: ", ")]
            })
        let overdueTable = DocumentTable(headers: ["patient", "last session", "last score"], numeric: [],
                                         rows: overdue.map { [$0.patientCode, $0.lastSession.description,
                                                              $0.lastScore?.description ?? "never"] })
        var sessionBlocks: [DocumentBlock] = [.facts(activity)]
        if sessionCount > 0 { sessionBlocks += [.table(routes), .table(practitioners)] }
        return ReportDocument(
            title: "Weekly report \(week) (\(from) to \(to))",
            sections: [
                DocumentSection(heading: "Activity", blocks: sessionBlocks),
                DocumentSection(heading: "Alerts (craving up >= \(WeeklyReport.cravingAlertPoints) or use up vs previous score)",
                                blocks: alerts.isEmpty ? [.note("No alerts.")] : [.table(alertTable)]),
                DocumentSection(heading: "Overdue for a score on \(today) (session in last \(WeeklyReport.activeSessionDays) days, no score in last \(WeeklyReport.scoreDueDays))",
                                blocks: overdue.isEmpty ? [.note("Nobody overdue.")] : [.table(overdueTable)]),
            ] + monitoringSections,
            audit: audit)
    }

    public var jsonValue: JSONValue {
        func tallies(_ list: [Tally]) -> JSONValue { .object(list.map { ($0.key, .int($0.count)) }) }
        return .object([
            ("report", .string("weekly")),
            ("week", .string(week.description)),
            ("from", .date(from)),
            ("to", .date(to)),
            ("today", .date(today)),
            ("sessions", .object([
                ("count", .int(sessionCount)),
                ("by_route", tallies(sessionsByRoute)),
                ("by_practitioner", tallies(sessionsByPractitioner)),
                ("mg_per_kg_by_route", .object(mgPerKgByRoute.map { ($0.route, .number($0.meanMgPerKg)) })),
            ])),
            ("patients_treated", .int(patientsTreated)),
            ("new_patients", .int(newPatients.count)),
            ("new_patient_codes", .array(newPatients.map { .string($0) })),
            ("scores", .int(scoresRecorded)),
            ("alerts", .array(alerts.map { alert in
                .object([("patient", .string(alert.patientCode)), ("date", .date(alert.date)),
                         ("previous_date", .date(alert.previousDate)),
                         ("craving", .object([("previous", .int(alert.previousCraving)), ("current", .int(alert.craving))])),
                         ("use_days_per_28", .object([("previous", .number(alert.previousUseDaysPer28)),
                                                      ("current", .number(alert.useDaysPer28))])),
                         ("reasons", .array(alert.reasons.map { .string($0.rawValue) }))])
            })),
            ("overdue", .array(overdue.map { item in
                .object([("patient", .string(item.patientCode)), ("last_session", .date(item.lastSession)),
                         ("last_score", .date(item.lastScore))])
            })),
            ("amendments", .int(amendments)),
            ("voids", .int(voids)),
        ] + monitoringJSON + [("audit", audit.jsonValue)])
    }

    /// Safety alerts (with the thresholds) and positive screens, when the clinic charts them.
    private var monitoringSections: [DocumentSection] {
        guard showsMonitoring else { return [] }
        // The week is in the title and the session id names the day, so the table leaves the date
        // to JSON and keeps the reason whole within 80 columns.
        let safetyTable = DocumentTable(
            headers: ["session", "patient", "at", "reason", "value"], numeric: [],
            rows: safety.map { [$0.session, $0.patientCode, $0.at?.label ?? "", $0.reason.text, $0.value ?? ""] })
        let screenTable = DocumentTable(
            headers: ["screen", "patient", "date", "substance", "method"], numeric: [],
            rows: zip(positiveScreens, positiveScreenPatients).map { screen, patient in
                [screen.id, patient, screen.date.description, screen.substance.rawValue, screen.method?.rawValue ?? ""]
            })
        return [
            DocumentSection(heading: "Safety", blocks: [.facts([DocumentFact("thresholds", SafetyAlert.thresholdsText)])]
                            + (safety.isEmpty ? [.note("No safety alerts.")] : [.table(safetyTable)])),
            DocumentSection(heading: "Positive screens",
                            blocks: positiveScreens.isEmpty ? [.note("No positive screens.")] : [.table(screenTable)]),
        ]
    }

    private var monitoringJSON: [(String, JSONValue)] {
        guard showsMonitoring else { return [] }
        typealias T = SafetyThresholds
        return [
            ("safety_thresholds", .object([
                ("pre_dose_bp", .string("\(T.preDoseSystolic)/\(T.preDoseDiastolic)")),
                ("any_bp", .string("\(T.anySystolic)/\(T.anyDiastolic)")),
                ("spo2_below", .int(T.lowSpO2)), ("heart_rate_below", .int(T.lowHeartRate)),
                ("heart_rate_above", .int(T.highHeartRate)), ("moaas_at_most", .int(T.deepSedationMOAAS)),
                ("intranasal_monitoring_min_below", .int(T.intranasalMonitoringMin)),
            ])),
            ("safety", .array(safety.map { alert in
                .object([("session", .string(alert.session)), ("patient", .string(alert.patientCode)),
                         ("reason", .string(alert.reason.text)), ("date", .date(alert.date)),
                         ("at", .string(alert.at?.text)), ("value", .string(alert.value))])
            })),
            ("positive_screens", .array(zip(positiveScreens, positiveScreenPatients).map { screen, patient in
                .object([("screen", .string(screen.id)), ("patient", .string(patient)), ("date", .date(screen.date)),
                         ("substance", .string(screen.substance.rawValue)), ("method", .string(screen.method?.rawValue))])
            })),
        ]
    }
}
