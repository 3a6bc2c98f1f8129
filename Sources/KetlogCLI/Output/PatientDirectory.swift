import Foundation
import KetlogStore

/// Patient codes by row id, read once per command.
struct PatientDirectory {
    private var codes: [Int64: String] = [:]

    init(_ store: UnlockedStore) throws {
        try store.forEach(Patient.self) { codes[$0.id] = $0.body.code }
    }

    func code(_ id: Int64) -> String { codes[id] ?? "?" }
}
