/// The cohort report as a document (text, Markdown, HTML) and as JSON (JSON, CSV).
extension CohortReport {
    public var document: ReportDocument {
        let q = query
        let selection: [DocumentFact] = [
            DocumentFact("substance", q.substance ?? "any"),
            DocumentFact("route (first session)", q.route ?? "any"),
            DocumentFact("practitioner (first session)", q.practitioner ?? "any"),
            DocumentFact("treatment start", "\(q.from?.description ?? "any") to \(q.to?.description ?? "any")"),
            DocumentFact("follow-up", "\(q.followUp.days) +/- \(q.followUp.toleranceDays) days after treatment start"),
            DocumentFact("complete pairs", String(overall.n)),
            DocumentFact("missing", String(overall.missing.count), tone: overall.missing.isEmpty ? .plain : .warning),
        ]
        var sections = [
            DocumentSection(heading: "Selection", blocks: [.facts(selection)]),
            DocumentSection(heading: "Use days per 28", blocks: overall.useDays.blocks(zeroLabel: "abstinent at follow-up")),
            DocumentSection(heading: "Craving (0-10)", blocks: overall.craving.blocks(zeroLabel: "no craving at follow-up")),
        ]
        let charted = groups.isEmpty ? [overall] : groups
        let chart = DocumentChart(
            title: "Use days per 28: baseline vs follow-up (mean)", kind: .bars(categories: charted.map(\.key)), yMax: 28,
            series: [
                .init(name: "baseline", points: charted.enumerated().compactMap { i, group in
                    group.useDays.baseline.mean.map { (Double(i), $0) } }),
                .init(name: "follow-up", points: charted.enumerated().compactMap { i, group in
                    group.useDays.followUp.mean.map { (Double(i), $0) } }),
            ])
        if let grouping = q.grouping {
            let table = DocumentTable(
                headers: [grouping.rawValue, "n", "miss", "base", "follow", "diff", "95% CI", "p", "abst", ">=50%"],
                numeric: [1, 2, 3, 4, 5, 7, 8, 9],
                rows: groups.map { group in
                    let use = group.useDays
                    return [group.key, String(group.n), String(group.missing.count),
                            ReportNumber.fixed(use.baseline.mean, digits: 1), ReportNumber.fixed(use.followUp.mean, digits: 1),
                            ReportNumber.signed(use.differenceMean), use.ciText, ReportNumber.pValue(use.wilcoxon?.pValue),
                            ReportNumber.percent(use.zeroAtFollowUpPct), ReportNumber.percent(use.reduced50Pct)]
                })
            sections.append(DocumentSection(heading: "Use days per 28 by \(grouping.rawValue)",
                                            blocks: [.table(table), .chart(chart)]))
        } else {
            sections[1].blocks.append(.chart(chart))
        }
        if let endpointsSection { sections.append(endpointsSection) }
        let missing = DocumentTable(headers: ["patient", "treatment start", "reason"], numeric: [],
                                    rows: overall.missing.map { [$0.patientCode, $0.treatmentStart.description, $0.reason.rawValue] })
        sections.append(DocumentSection(heading: "Missing pairs",
                                        blocks: missing.rows.isEmpty ? [.note("None: every patient has a complete pair.")]
                                                                     : [.table(missing)]))
        return ReportDocument(title: "Cohort report", sections: sections, audit: audit)
    }

    public var jsonValue: JSONValue {
        let q = query
        var members: [(String, JSONValue)] = [
            ("report", .string("cohort")),
            ("filters", .object([("substance", .string(q.substance)), ("route", .string(q.route)),
                                 ("practitioner", .string(q.practitioner)), ("from", .date(q.from)), ("to", .date(q.to))])),
            ("follow_up_days", .int(q.followUp.days)),
            ("tolerance_days", .int(q.followUp.toleranceDays)),
            ("by", .string(q.grouping?.rawValue)),
        ]
        members += CohortReport.json(overall)
        members.append(("groups", .array(groups.map { .object([("key", .string($0.key))] + CohortReport.json($0)) })))
        members.append(("audit", audit.jsonValue))
        return .object(members)
    }

    private static func json(_ group: CohortGroupSummary) -> [(String, JSONValue)] {
        let missing: JSONValue = .array(group.missing.map {
            .object([("patient", .string($0.patientCode)), ("treatment_start", .date($0.treatmentStart)),
                     ("reason", .string($0.reason.rawValue))])
        })
        // `n` leads, as in DESIGN; the use-days comparison supplies the rest of the top-level keys.
        let use = group.useDays.jsonMembers(zeroKey: "abstinent_pct")
        return [use[0], ("missing", missing)] + use.dropFirst()
            + [("craving", .object(Array(group.craving.jsonMembers(zeroKey: "zero_pct").dropFirst())))]
            + (group.endpoints.map { [("endpoints", $0.jsonValue)] } ?? [])
    }
}
