import KetlogStore

/// Patients by case-folded code, read once, for imports that name them.
struct PatientIndex {
    struct Owner {
        let id: Int64
        let code: String
        let birthDate: String?
    }

    private var byCode: [String: Owner] = [:]

    init(_ store: UnlockedStore) throws {
        try store.forEach(Patient.self) { patient in
            guard !patient.stamp.isVoid else { return }
            byCode[patient.body.code.lowercased()] = Owner(id: patient.id, code: patient.body.code, birthDate: patient.body.birthDate)
        }
    }

    func lookup(_ code: String, row: ImportRow) throws -> Owner {
        guard let owner = byCode[code.trimmingWhitespace().lowercased()] else {
            throw row.fail("patient", "no such patient in the store")
        }
        return owner
    }
}
