import KetlogModel
/// One patient's sessions, scores, day records and screens in date order (same-day records by id), and the
/// DESIGN's definitions of treatment start, baseline and follow-up over them.
struct PatientHistory: Sendable {
    let patient: ReportPatient
    /// Sorted by (date, id); a slice of one array shared by all patients.
    let sessions: ArraySlice<ReportSession>
    /// Sorted by (date, id); a slice of one array shared by all patients.
    let scores: ArraySlice<ReportScore>
    /// Sorted by (date, id); a slice of one array shared by all patients.
    let days: ArraySlice<ReportDay>
    /// Sorted by (date, id); a slice of one array shared by all patients.
    let screens: ArraySlice<ReportScreen>

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

    /// Groups the dataset by patient: one array per kind ordered by (patient, date, id), each
    /// patient a slice of it. When the caller already hands the records in that order (the
    /// store's loader does) nothing is copied; otherwise one sorted copy is made. O(n log n).
    static func index(_ dataset: ReportDataset) -> [PatientHistory] {
        let sessions = grouped(dataset.sessions) { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        let scores = grouped(dataset.scores) { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        let days = grouped(dataset.days) { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        let screens = grouped(dataset.screens) { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        let sessionRuns = runs(sessions, \.patientID)
        let scoreRuns = runs(scores, \.patientID)
        let dayRuns = runs(days, \.patientID)
        let screenRuns = runs(screens, \.patientID)
        return dataset.patients.map { patient in
            PatientHistory(
                patient: patient,
                sessions: sessions[sessionRuns[patient.id] ?? 0..<0],
                scores: scores[scoreRuns[patient.id] ?? 0..<0],
                days: days[dayRuns[patient.id] ?? 0..<0],
                screens: screens[screenRuns[patient.id] ?? 0..<0]
            )
        }
    }

    /// `items` in `ordered` order: the same array when it already is, else a sorted copy.
    private static func grouped<T>(_ items: [T], by ordered: (T, T) -> Bool) -> [T] {
        for index in items.indices.dropFirst() where ordered(items[index], items[index - 1]) {
            return items.sorted(by: ordered)
        }
        return items
    }

    /// The index range of each patient's contiguous run.
    private static func runs<T>(_ items: [T], _ patientID: KeyPath<T, Int64>) -> [Int64: Range<Int>] {
        var result: [Int64: Range<Int>] = [:]
        var start = 0
        while start < items.count {
            let id = items[start][keyPath: patientID]
            var end = start + 1
            while end < items.count && items[end][keyPath: patientID] == id { end += 1 }
            result[id] = start..<end
            start = end
        }
        return result
    }
}
