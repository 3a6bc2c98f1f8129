import KetlogModel

/// One row of an import file as a draft, with where it came from for errors.
public struct ImportItem: Sendable {
    /// What the row holds: a patient, or a session or score with its patient's code.
    public enum Draft: Sendable {
        case patient(PatientDraft)
        case session(SessionDraft, patient: String)
        case score(ScoreDraft, patient: String)
        /// Vitals of the patient's one live session on `sessionDate` (at `sessionTime`, when given).
        case vitals(VitalsDraft, patient: String, sessionDate: ClinicalDate, sessionTime: ClockTime?)
        case screen(DrugScreenDraft, patient: String)
        case day(UseDayDraft, patient: String)

        var kind: RecordKind {
            switch self {
            case .patient: return .patient
            case .session: return .session
            case .score: return .score
            case .vitals: return .vitals
            case .screen: return .screen
            case .day: return .day
            }
        }
    }

    /// The line of a CSV file (the header is line 1), or the 1-based item of a JSON array.
    public let line: Int
    public let draft: Draft

    public init(line: Int, draft: Draft) {
        self.line = line
        self.draft = draft
    }
}

/// Rows of one kind for `UnlockedStore.importRecords`, read in file order. The store calls
/// `next` from a worker thread of its own while it inserts earlier rows, and never from two
/// threads at once. An error thrown by `next` stops the import and is rethrown as it is.
public protocol ImportSource: AnyObject, Sendable {
    /// The kind of record every row holds.
    var kind: RecordKind { get }
    /// The next row, or nil at the end of the file.
    func next() throws -> ImportItem?
}
