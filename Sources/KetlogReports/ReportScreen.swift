import KetlogModel
/// One drug screen (a `screen` record). The caller has already left out void ones.
public struct ReportScreen: Sendable, Hashable {
    /// The store's row id (`scr-N`).
    public var id: Int64
    /// The patient's row id (`ReportPatient.id`).
    public var patientID: Int64
    public var date: ClinicalDate
    public var substance: Substance
    public var result: ScreenResult
    public var method: ScreenMethod?

    public init(id: Int64, patientID: Int64, date: ClinicalDate, substance: Substance, result: ScreenResult,
                method: ScreenMethod?) {
        (self.id, self.patientID, self.date, self.substance, self.result, self.method)
            = (id, patientID, date, substance, result, method)
    }

    /// The short id reports print, e.g. `scr-12`.
    var shortID: String { RecordKind.screen.shortID(id) }
}
