/// What an audit entry records. The raw value is what the entry stores and `audit log` shows.
public enum AuditAction: Sendable, Hashable, CustomStringConvertible {
    /// The store was created with its first admin.
    case initialize
    case userAdd, userPasswd, userRemove
    /// A record was created, amended or voided.
    case record(RecordKind, RecordChange)
    /// An import of one kind (all rows in one entry).
    case importRecords(RecordKind)
    case backupExport, backupRestore

    /// How a record changed.
    public enum RecordChange: String, Sendable, CaseIterable {
        case add, amend, void
    }

    /// The stored spelling: `init`, `user.add`, `session.amend`, `import.scores`, `backup.export`, …
    public var rawValue: String {
        switch self {
        case .initialize: return "init"
        case .userAdd: return "user.add"
        case .userPasswd: return "user.passwd"
        case .userRemove: return "user.remove"
        case .record(let kind, let change): return "\(kind.rawValue).\(change.rawValue)"
        case .importRecords(let kind): return "import.\(Self.importNoun(kind))"
        case .backupExport: return "backup.export"
        case .backupRestore: return "backup.restore"
        }
    }

    /// Parses a stored spelling; nil for one this ketlog does not know.
    public init?(rawValue: String) {
        switch rawValue {
        case "init": self = .initialize
        case "user.add": self = .userAdd
        case "user.passwd": self = .userPasswd
        case "user.remove": self = .userRemove
        case "backup.export": self = .backupExport
        case "backup.restore": self = .backupRestore
        default:
            let parts = rawValue.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            if parts[0] == "import", let kind = RecordKind.allCases.first(where: { Self.importNoun($0) == parts[1] }) {
                self = .importRecords(kind)
            } else if let kind = RecordKind(rawValue: parts[0]), let change = RecordChange(rawValue: parts[1]) {
                self = .record(kind, change)
            } else {
                return nil
            }
        }
    }

    public var description: String { rawValue }

    /// The change a record-writing action made, if it is one.
    public var recordChange: RecordChange? {
        if case .record(_, let change) = self { return change }
        return nil
    }

    /// Imports are named by the plural the `--kind` option uses.
    private static func importNoun(_ kind: RecordKind) -> String {
        switch kind {
        case .patient: return "patients"
        case .session: return "sessions"
        case .score: return "scores"
        }
    }
}
