import KetlogStore

/// The one-line description of the first problem `audit verify` found.
enum AuditProblemText {
    static func describe(_ problem: AuditVerification.Problem) -> String {
        switch problem {
        case .brokenChain(let seq): return "entry \(seq) does not match the chain (edited, removed or reordered)"
        case .gap(let expected, let found): return "entry \(expected) is missing (next is \(found))"
        case .unreadableEntry(let seq): return "entry \(seq) failed to open (altered or moved)"
        case .recordMismatch(let seq, let record):
            return "entry \(seq): \(record) missing or altered since it was written"
        case .unaudited(let count): return "\(count) record version(s) that no audit entry accounts for"
        case .rolledBack(let record): return "\(record) is not at its newest audited version (rolled back)"
        case .refused(let seq, let reason): return "entry \(seq) does not count: \(reason)"
        case .slotMismatch(let user): return "the key slot of \(user) is not what the chain records for them"
        case .unopenable(let record, let version):
            return "\(record) version \(version) does not open as its own record of its patient (re-attached to another patient in the file)"
        case .blindIndex(let record):
            return "\(record)'s code index does not match its sealed code (swapped, copied or moved in the file)"
        case .rekeyMismatch(let seq):
            return "entry \(seq) (a rekey) does not name exactly the record versions audited before it"
        }
    }
}
