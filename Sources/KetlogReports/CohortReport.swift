import KetlogModel
/// `ketlog report cohort`: does treatment reduce use, over the patients whose T0 lies in range?
///
/// Each selected patient either contributes one (baseline, follow-up) pair or is listed in
/// `missing` with the reason. Groups (with `--by`) are computed the same way as the whole cohort.
public struct CohortReport: Sendable {
    public var query: CohortQuery
    /// The whole selection, key "all".
    public var overall: CohortGroupSummary
    /// One entry per group in a stable order (dose ascending, otherwise by key); empty without `--by`.
    public var groups: [CohortGroupSummary]
    public var audit: AuditStatus

    /// One selected patient, before grouping.
    private struct Member {
        let code: String
        let start: ClinicalDate
        let first: ReportSession
        let substances: [String]
        let pair: (baseline: ReportScore, followUp: ReportScore)?
        let missing: [CohortMissing]
        /// nil without daily data in the window, before the window is complete, or without the calendar at all.
        let endpoints: PatientEndpoints?
    }

    public init(dataset: ReportDataset, query: CohortQuery) {
        self.query = query
        audit = dataset.audit
        let daily = dataset.hasDailyData
        let options = query.endpointOptions
        let members: [Member] = PatientHistory.index(dataset).compactMap { history in
            guard let first = history.sessions.first else { return nil }
            let start = first.date
            if let from = query.from, start < from { return nil }
            if let to = query.to, start > to { return nil }
            if let substance = query.substance, !history.patient.substances.contains(substance) { return nil }
            if let route = query.route, first.route != route { return nil }
            if let practitioner = query.practitioner, first.practitioner != practitioner { return nil }
            let baseline = history.baseline
            let followUp = history.followUp(query.followUp)
            let reason: CohortMissing.Reason? = switch (baseline == nil, followUp == nil) {
            case (true, true): .noBaselineOrFollowUp
            case (true, false): .noBaseline
            case (false, true): .noFollowUp
            case (false, false): nil
            }
            let pair = baseline.flatMap { b in followUp.map { (baseline: b, followUp: $0) } }
            var endpoints: PatientEndpoints?
            var reasons = reason.map { [$0] } ?? []
            if daily {
                let calendar = DailyCalendar(start: start, options: options, today: dataset.today, days: history.days,
                                             screens: history.screens)
                if !calendar.windowComplete {
                    // Days after today have not happened: the patient joins the endpoints once T0 + F has passed.
                    reasons.append(.windowIncomplete)
                } else if calendar.hasData {
                    endpoints = PatientEndpoints(calendar, rule: query.missingRule)
                } else {
                    reasons.append(.noDailyData)
                }
            }
            return Member(code: history.patient.code, start: start, first: first,
                          substances: history.patient.substances, pair: pair,
                          missing: reasons.map { CohortMissing(patientCode: history.patient.code, treatmentStart: start, reason: $0) },
                          endpoints: endpoints)
        }
        let summarise = { (key: String, members: [Member]) in
            CohortReport.summarise(key: key, members, endpoints: daily ? options : nil)
        }
        overall = summarise("all", members)
        guard let grouping = query.grouping else {
            groups = []
            return
        }
        var byKey: [String: (order: Double, members: [Member])] = [:]
        for member in members {
            for (key, order) in CohortReport.keys(of: member, by: grouping) {
                byKey[key, default: (order, [])].members.append(member)
            }
        }
        groups = byKey.sorted { ($0.value.order, $0.key) < ($1.value.order, $1.key) }
            .map { summarise($0.key, $0.value.members) }
    }

    /// The group keys of a member with a numeric sort order (mg/kg for dose, 0 otherwise).
    private static func keys(of member: Member, by grouping: CohortGrouping) -> [(String, Double)] {
        switch grouping {
        case .dose:
            if let perKg = member.first.doseMgPerKg {
                return [(ReportNumber.fixed(perKg, digits: 2) + " mg/kg", perKg)]
            }
            // Flat doses sort after every weight-based one.
            return [(ReportNumber.trimmed(member.first.doseMg) + " mg", 1e6 + member.first.doseMg)]
        case .route: return [(member.first.route, 0)]
        case .practitioner: return [(member.first.practitioner, 0)]
        case .substance:
            return member.substances.isEmpty ? [("none recorded", 0)] : Array(Set(member.substances)).map { ($0, 0) }
        }
    }

    private static func summarise(key: String, _ members: [Member], endpoints options: EndpointOptions?) -> CohortGroupSummary {
        let pairs = members.compactMap(\.pair)
        return CohortGroupSummary(
            key: key,
            n: pairs.count,
            missing: members.flatMap(\.missing).sorted {
                ($0.patientCode, $0.treatmentStart, $0.reason.rawValue) < ($1.patientCode, $1.treatmentStart, $1.reason.rawValue)
            },
            useDays: PairedComparison(baseline: pairs.map(\.baseline.useDaysPer28), followUp: pairs.map(\.followUp.useDaysPer28)),
            craving: PairedComparison(baseline: pairs.map { Double($0.baseline.craving) },
                                      followUp: pairs.map { Double($0.followUp.craving) }),
            endpoints: options.map { CohortEndpoints(options: $0, patients: members.compactMap(\.endpoints)) })
    }
}
