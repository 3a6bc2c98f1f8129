import Foundation
import KetlogStore

/// The importer's parsing and row validation without a store: what `ketlog import` checks before
/// it unlocks anything, for fuzzing and for tools that vet a file first.
public enum ImportParsing {
    /// Parses `bytes` as an import file (`fileExtension` "csv" or "json") of `kind` ("patients",
    /// "sessions" or "scores") and validates every row as the importer would, except that sessions
    /// and scores are not matched to a patient. Returns the number of rows; throws the error the
    /// importer would report, or `CLIError.usage` for an unknown kind.
    @discardableResult
    public static func check(_ bytes: [UInt8], fileExtension: String, kind: String) throws -> Int {
        guard let kind = ImportKind(rawValue: kind) else { throw CLIError.usage("unknown import kind") }
        let source = try ImportFile(Data(bytes), fileExtension: fileExtension, kind: kind)
        let today = Validation.today()
        var count = 0
        while let row = try source.next() {
            switch kind {
            case .patients: _ = try row.patient(today: today)
            case .sessions:
                _ = try row.required("patient")
                _ = try row.session(birthDate: nil, allowUnusualDose: false, today: today)
            case .scores:
                _ = try row.required("patient")
                _ = try row.score(birthDate: nil, today: today)
            }
            count += 1
        }
        return count
    }

    /// The one line `ketlog` prints for `error` (without the `ketlog: error: ` prefix) and its exit code.
    public static func describe(_ error: Error) -> (message: String, status: Int32) {
        let (message, status) = ErrorPresenter.present(error)
        return (message, status.rawValue)
    }
}
