/// One patient-reported check-in. The caller has already left out void scores.
public struct ReportScore: Sendable, Hashable {
    /// The store's row id; orders scores on the same day.
    public var id: Int64
    /// The patient's row id (`ReportPatient.id`).
    public var patientID: Int64
    /// The day the score was taken.
    public var date: ClinicalDate
    /// Craving, 0...10.
    public var craving: Int
    /// Days with use in the window, 0...windowDays.
    public var useDays: Int
    /// Length of the recall window in days, 1...90 (usually 28).
    public var windowDays: Int
    /// The substance the score is about, when the clinician named one.
    public var substance: String?

    public init(id: Int64, patientID: Int64, date: ClinicalDate, craving: Int, useDays: Int,
                windowDays: Int, substance: String? = nil) {
        self.id = id
        self.patientID = patientID
        self.date = date
        self.craving = craving
        self.useDays = useDays
        self.windowDays = windowDays
        self.substance = substance
    }

    /// `useDays × 28 / windowDays`, so scores with different windows compare; 0 for a zero window
    /// (the store forbids one, but a report must never show a NaN).
    public var useDaysPer28: Double {
        windowDays > 0 ? Double(useDays) * 28 / Double(windowDays) : 0
    }
}
