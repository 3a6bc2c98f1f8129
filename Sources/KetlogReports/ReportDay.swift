import KetlogModel
/// One day of the daily-use calendar (a `day` record). The caller has already left out void ones.
public struct ReportDay: Sendable, Hashable {
    /// The store's row id (`day-N`).
    public var id: Int64
    /// The patient's row id (`ReportPatient.id`).
    public var patientID: Int64
    public var date: ClinicalDate
    /// The substance the day is about, when the clinician named one.
    public var substance: Substance?
    /// true: used that day; false: abstinent that day.
    public var used: Bool

    public init(id: Int64, patientID: Int64, date: ClinicalDate, substance: Substance?, used: Bool) {
        (self.id, self.patientID, self.date, self.substance, self.used) = (id, patientID, date, substance, used)
    }
}
