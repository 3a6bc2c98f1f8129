import KetlogModel
/// One patient-reported check-in. The caller has already left out void scores.
public struct ReportScore: Sendable, Hashable {
    /// The store's row id; orders scores on the same day.
    public var id: Int64
    /// The patient's row id (`ReportPatient.id`).
    public var patientID: Int64
    /// The day the score was taken.
    public var date: ClinicalDate
    // Stored in a byte each (the store allows 0...10, 0...90 and 1...90): a cohort holds a
    // million scores, and their size decides whether it fits the memory budget.
    private var cravingByte: UInt8
    private var useDaysByte: UInt8
    private var windowDaysByte: UInt8

    /// Craving, 0...10.
    public var craving: Int {
        get { Int(cravingByte) }
        set { cravingByte = UInt8(clamping: newValue) }
    }
    /// Days with use in the window, 0...windowDays.
    public var useDays: Int {
        get { Int(useDaysByte) }
        set { useDaysByte = UInt8(clamping: newValue) }
    }
    /// Length of the recall window in days, 1...90 (usually 28).
    public var windowDays: Int {
        get { Int(windowDaysByte) }
        set { windowDaysByte = UInt8(clamping: newValue) }
    }
    /// The substance the score is about, when the clinician named one.
    public var substance: String?

    public init(id: Int64, patientID: Int64, date: ClinicalDate, craving: Int, useDays: Int,
                windowDays: Int, substance: String? = nil) {
        self.id = id
        self.patientID = patientID
        self.date = date
        cravingByte = UInt8(clamping: craving)
        useDaysByte = UInt8(clamping: useDays)
        windowDaysByte = UInt8(clamping: windowDays)
        self.substance = substance
    }

    /// `useDays × 28 / windowDays`, so scores with different windows compare; 0 for a zero window
    /// (the store forbids one, but a report must never show a NaN).
    public var useDaysPer28: Double {
        windowDays > 0 ? Double(useDays) * 28 / Double(windowDays) : 0
    }
}
