import Foundation
import KetlogModel
import KetlogStore

/// The importer's parsing and row validation without a store: what `ketlog import` checks before
/// it unlocks anything, for fuzzing and for tools that vet a file first.
public enum ImportParsing {
    /// Parses `bytes` as an import file (`fileExtension` "csv" or "json") of `kind` ("patients",
    /// "sessions", "scores", "vitals", "screens" or "days") and validates every row by the model's
    /// rules, except that rows are not matched to a patient (nor vitals to a session). Returns the number of rows; throws the error the
    /// importer would report, or `CLIError.usage` for an unknown kind.
    @discardableResult
    public static func check(_ bytes: [UInt8], fileExtension: String, kind: String) throws -> Int {
        guard let kind = ImportKind(rawValue: kind) else { throw CLIError.usage("unknown import kind") }
        let source = try ImportFile(bytes: bytes, fileExtension: fileExtension, kind: kind)
        let today = ClinicalDate.today()
        var count = 0
        while let item = try source.next() {
            do {
                switch item.draft {
                case .patient(let draft): _ = try draft.validated(today: today)
                case .session(let draft, _): _ = try draft.validated(birthDate: nil, today: today)
                case .score(let draft, _): _ = try draft.validated(birthDate: nil, today: today)
                case .vitals(var draft, _, _, _):
                    draft.sessionID = 1  // matched to a session by the store
                    _ = try draft.validated()
                case .screen(let draft, _): _ = try draft.validated(birthDate: nil, today: today)
                case .day(let draft, _): _ = try draft.validated(birthDate: nil, today: today)
                }
            } catch let error as ModelError {
                throw StoreError.invalidRow(line: item.line, error)
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
