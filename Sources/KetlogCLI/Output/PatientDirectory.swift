import Foundation
import KetlogModel
import KetlogStore

/// Patient codes by row id, read once per command that lists records of many patients.
struct PatientDirectory {
    private var codes: [Int64: String] = [:]

    init(_ store: UnlockedStore) throws {
        try store.forEach(Patient.self) { codes[$0.id] = $0.body.code }
    }

    /// The code of patient `id`; a record whose patient is missing is an error naming it.
    func code(_ id: Int64) throws -> String {
        guard let code = codes[id] else { throw StoreError.recordNotFound(kind: .patient, id: id) }
        return code
    }
}
