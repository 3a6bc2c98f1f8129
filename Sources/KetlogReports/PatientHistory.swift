/// One patient's sessions and scores in date order (same-day records by id), and the
/// DESIGN's definitions of treatment start, baseline and follow-up over them.
struct PatientHistory: Sendable {
    let patient: ReportPatient
    /// Sorted by (date, id).
    let sessions: [ReportSession]
    /// Sorted by (date, id).
    let scores: [ReportScore]

    /// T0: the date of the first session (void sessions are already gone).
    var treatmentStart: ClinicalDate? { sessions.first?.date }

    /// Baseline: the latest score dated on or before T0 (the last entered when several share that day).
    var baseline: ReportScore? {
        guard let start = treatmentStart else { return nil }
        return scores.last { $0.date <= start }
    }

    /// The follow-up score under `rule`, or nil when none lies in the window.
    func followUp(_ rule: FollowUpRule) -> ReportScore? {
        guard let start = treatmentStart else { return nil }
        let target = start.adding(days: rule.days)
        var best: (distance: Int, score: ReportScore)?
        for score in scores where score.date > start {
            let distance = abs(score.date.days(since: target))
            guard distance <= rule.toleranceDays else { continue }
            // Scores are in ascending order, so `<=` lets the later of equally close scores win.
            if best == nil || distance <= best!.distance { best = (distance, score) }
        }
        return best?.score
    }

    /// Groups the dataset by patient in one pass and one sort per patient: O(n log n) overall.
    static func index(_ dataset: ReportDataset) -> [PatientHistory] {
        var sessionsByPatient: [Int64: [ReportSession]] = [:]
        for session in dataset.sessions { sessionsByPatient[session.patientID, default: []].append(session) }
        var scoresByPatient: [Int64: [ReportScore]] = [:]
        for score in dataset.scores { scoresByPatient[score.patientID, default: []].append(score) }
        return dataset.patients.map { patient in
            PatientHistory(
                patient: patient,
                sessions: (sessionsByPatient[patient.id] ?? []).sorted { ($0.date, $0.id) < ($1.date, $1.id) },
                scores: (scoresByPatient[patient.id] ?? []).sorted { ($0.date, $0.id) < ($1.date, $1.id) }
            )
        }
    }
}
