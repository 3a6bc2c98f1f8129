import Foundation
import GRDB
import KetlogFiles

/// An entry of the audit chain as plain columns show it: its sequence number and its MAC. The
/// MAC of entry `n` chains every entry before it (`mac[n] = HMAC(audit key, mac[n-1] ‖ entry
/// bytes[n])`), so a store that holds the same MAC at the same sequence number holds the same
/// history up to there; and it is a plain column, so checking it needs no passphrase.
public struct ChainPoint: Sendable, Equatable {
    public let seq: Int64
    /// The entry's whole MAC (32 bytes); its first 8 bytes in hex are the printed head.
    public let mac: [UInt8]

    public init(seq: Int64, mac: [UInt8]) {
        self.seq = seq
        self.mac = mac
    }

    /// What `status`, `audit verify` and report footers print: the first 16 hex digits.
    public var head: String { AuditTrail.headString(mac) }
}

/// Where a store's chain stands, from plain columns only: which store, how many entries, and its
/// newest entry. What the rollback witness, restores and checkpoints compare.
public struct ChainFacts: Sendable, Equatable {
    public let storeID: [UInt8]
    /// The key check: it differs between stores with different data keys.
    public let keyCheck: [UInt8]
    public let entries: Int64
    /// The newest entry; nil for an empty trail.
    public let newest: ChainPoint?

    public var storeIDHex: String { storeID.map { String(format: "%02x", $0) }.joined() }
}

extension Store {
    /// The store id, the entry count and the newest entry, read from plain columns.
    public func chainFacts() throws -> ChainFacts {
        try database.readMapped { db in
            guard let meta = try Row.fetchOne(db, sql: "SELECT store_id, key_check FROM store_meta WHERE id = 1") else {
                throw StoreError.corruptStore(detail: "store_meta is missing")
            }
            let newest = try Row.fetchOne(db, sql: "SELECT seq, mac, signature FROM audit_entry ORDER BY seq DESC LIMIT 1")
                .map { ChainPoint(seq: $0["seq"], mac: AuditTrail.identity($0)) }
            return ChainFacts(storeID: Array(meta["store_id"] as Data), keyCheck: Array(meta["key_check"] as Data),
                              entries: try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") ?? 0, newest: newest)
        }
    }

    /// The entry at `seq` as plain columns show it, or nil when the store has none there.
    public func chainPoint(at seq: Int64) throws -> ChainPoint? {
        try database.readMapped { db in
            try Row.fetchOne(db, sql: "SELECT mac, signature FROM audit_entry WHERE seq = ?", arguments: [seq])
                .map { ChainPoint(seq: seq, mac: AuditTrail.identity($0)) }
        }
    }

    /// Whether the store holds `point`: the same MAC at the same sequence number.
    public func holds(_ point: ChainPoint) throws -> Bool {
        try chainPoint(at: point.seq)?.mac == point.mac
    }
}

/// The rollback witness: per store and per Unix user, the newest audit entry this machine has
/// seen, in `<directory>/<store id in hex>` (0600, in directories made 0700), where the
/// directory is `${XDG_STATE_HOME:-$HOME/.local/state}/ketlog/witness`.
///
/// The file is four lines of text, needing no passphrase to check:
/// ```
/// ketlog rollback witness 1
/// store <store id, 32 hex digits>
/// seq <sequence number of the newest entry seen>
/// mac <that entry's MAC, 64 hex digits>
/// ```
public struct RollbackWitness: Sendable {
    public let directory: String
    public let storeID: [UInt8]

    public init(directory: String, storeID: [UInt8]) {
        self.directory = directory
        self.storeID = storeID
    }

    /// `${XDG_STATE_HOME:-$HOME/.local/state}/ketlog/witness` for `environment`; nil when
    /// neither is set (no witness can be kept).
    public static func directory(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/ketlog/witness" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/ketlog/witness"
    }

    var storeIDHex: String { storeID.map { String(format: "%02x", $0) }.joined() }

    public var path: String { directory + "/" + storeIDHex }

    private static let magic = "ketlog rollback witness 1"

    /// The entry this machine saw last; nil when there is no witness yet. A file that does not
    /// parse, or names another store, throws `witnessDamaged`.
    public func read() throws -> ChainPoint? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw StoreError.io(path: path, detail: String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard let data = try? handle.read(upToCount: 4096) else { throw StoreError.witnessDamaged(path: path) }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 5, lines[4].isEmpty, lines[0] == Self.magic, lines[1] == "store \(storeIDHex)",
              lines[2].hasPrefix("seq "), let seq = Int64(lines[2].dropFirst(4)), seq >= 1, String(seq) == lines[2].dropFirst(4),
              lines[3].hasPrefix("mac "), let mac = Self.unhex(lines[3].dropFirst(4)), mac.count == 32
        else { throw StoreError.witnessDamaged(path: path) }
        return ChainPoint(seq: seq, mac: mac)
    }

    /// Refuses with `rolledBack` unless `store` still holds the entry this machine saw last (or
    /// there is no witness yet). Reads two plain columns.
    public func check(_ store: Store) throws {
        guard let seen = try read() else { return }
        guard try !store.holds(seen) else { return }
        let newest = try store.chainFacts().newest
        throw StoreError.rolledBack(seen: seen.seq, seenHead: seen.head, storeEnds: newest?.seq ?? 0,
                                    replaced: (newest?.seq ?? 0) >= seen.seq)
    }

    /// Records `point` as the newest entry seen, replacing what was there (atomically: a new
    /// 0600 file renamed over the old one).
    public func record(_ point: ChainPoint) throws {
        do {
            try Directories.makePrivate(directory)
            let file = try NewFile(path: path, overwrite: true, temporarySuffix: ".\(getpid()).tmp")
            try file.write("\(Self.magic)\nstore \(storeIDHex)\nseq \(point.seq)\nmac \(Self.hex(point.mac))\n")
            try file.commit()
        } catch let error as FileError {
            switch error {
            case .exists(let path), .replaced(let path): throw StoreError.io(path: path, detail: "cannot write the rollback witness")
            case .io(let path, let detail): throw StoreError.io(path: path, detail: detail)
            }
        }
    }

    /// Moves the witness forward to `store`'s newest entry when that is newer than the one
    /// recorded and the store holds the recorded one (never backwards: that is `record`).
    public func advance(_ store: Store) throws {
        guard let newest = try store.chainFacts().newest else { return }
        if let seen = try read() {
            guard newest.seq > seen.seq, try store.holds(seen) else { return }
        }
        try record(newest)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Lowercase hex only, an even number of digits.
    static func unhex(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

extension Store {
    /// The chain facts of the store at `path` without checking or migrating it (nothing is
    /// written); nil when it cannot be read as a ketlog store.
    public static func chainFactsIfReadable(path: String) -> ChainFacts? {
        guard let store = try? Store.openForReplacement(path: path) else { return nil }
        defer { try? store.close() }
        return try? store.chainFacts()
    }
}
