/// The state of the audit chain when the report was made; every report prints it in its footer so a
/// paper copy anchors the chain.
public struct AuditStatus: Sendable, Hashable {
    /// Whether `audit verify` succeeded just before the report was made.
    public var verified: Bool
    /// The chain head as `audit verify` prints it (16 hex digits).
    public var head: String
    /// Number of audit entries.
    public var entries: Int

    public init(verified: Bool, head: String, entries: Int) {
        self.verified = verified
        self.head = head
        self.entries = entries
    }
}

extension AuditStatus {
    /// `{verified, head, entries}`.
    var jsonValue: JSONValue {
        .object([("verified", .bool(verified)), ("head", .string(head)), ("entries", .int(entries))])
    }
}
