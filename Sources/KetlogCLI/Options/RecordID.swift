import KetlogModel

/// Parses a short record id (`ses-42`) for a command, or fails naming the argument.
enum RecordID {
    static func parse(_ text: String, kind: RecordKind) throws -> Int64 {
        guard let id = kind.parseID(text) else {
            throw CLIError.invalidField(field: "id", allowed: "a \(kind.rawValue) id like \(kind.shortID(12))")
        }
        return id
    }
}
