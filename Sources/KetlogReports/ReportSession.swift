import KetlogModel
/// One ketamine administration. The caller has already left out void sessions and applied amendments.
public struct ReportSession: Sendable, Hashable {
    /// The store's row id; orders sessions on the same day.
    public var id: Int64
    /// The patient's row id (`ReportPatient.id`).
    public var patientID: Int64
    /// The day of the administration.
    public var date: ClinicalDate
    /// iv, im, intranasal, oral, sublingual or subcutaneous.
    public var route: String
    /// Weight-based dose, when recorded (absent for flat doses such as intranasal 56 mg).
    public var doseMgPerKg: Double?
    /// Total dose in mg.
    public var doseMg: Double
    /// Who administered it.
    public var practitioner: String
    /// The vial's lot number, when charted.
    public var lot: String?
    /// Minutes from the first dose to the end of monitoring, when charted.
    public var monitoringMin: Int?
    /// Minutes until the patient was ready to leave, when charted.
    public var readyMin: Int?
    /// Sedating co-medications charted at the session.
    public var comedications: [Comedication]

    public init(id: Int64, patientID: Int64, date: ClinicalDate, route: String,
                doseMgPerKg: Double?, doseMg: Double, practitioner: String, lot: String? = nil,
                monitoringMin: Int? = nil, readyMin: Int? = nil, comedications: [Comedication] = []) {
        (self.id, self.patientID, self.date, self.route, self.doseMgPerKg, self.doseMg, self.practitioner)
            = (id, patientID, date, route, doseMgPerKg, doseMg, practitioner)
        (self.lot, self.monitoringMin, self.readyMin, self.comedications) = (lot, monitoringMin, readyMin, comedications)
    }
}
