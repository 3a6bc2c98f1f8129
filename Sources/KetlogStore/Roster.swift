import Foundation
import KetlogCrypto
import KetlogModel

/// Who may do what, as the audit chain says: replayed from its membership entries, never read
/// from the key-slot table (which is only a cache that must agree with it).
///
/// Format-1 entries (before an upgrade) are trusted as the MAC chain vouches for them (any user
/// holds the MAC key); from the upgrade on, every entry is signed, and a membership entry counts
/// only when its signer was allowed to make it: an admin adds, removes and re-roles users and
/// replaces their keys; a user may change their own passphrase, and register their first key
/// pairs by proving they held their format-1 slot's passphrase.
struct Roster: Sendable {
    struct Member: Sendable, Equatable {
        var role: Role
        var agreementPublic: [UInt8]?
        var signingPublic: [UInt8]?
        var slotDigest: [UInt8]?
        /// A user not yet on key pairs since the upgrade: their format-1 wrap.
        var format1Material: [UInt8]?
    }

    /// Why an entry does not count.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case unsigned
        case badSignature
        case unauthorised(String)

        var description: String {
            switch self {
            case .unsigned: return "it is not signed"
            case .badSignature: return "its signature does not verify with its signer's key"
            case .unauthorised(let why): return why
            }
        }
    }

    private(set) var members: [String: Member] = [:]
    /// Whether a signed membership entry has been applied (the store is on format 2).
    private(set) var upgraded = false

    static let signatureContext = Array("ketlog/v2/audit-entry\u{0}".utf8)

    /// The bytes an entry's signature covers.
    static func signedMessage(previousHash: [UInt8], entry: [UInt8]) -> [UInt8] {
        signatureContext + previousHash + entry
    }

    /// The hash the next entry's signature covers: SHA-256 over the entry's bytes and signature.
    static func entryHash(_ bytes: [UInt8], signature: [UInt8]?) throws -> [UInt8] {
        try SHA256.hash(bytes + (signature ?? []))
    }

    // MARK: Format 1

    /// Applies a format-1 entry by what its detail says (`admin NAME, …`, `NAME as ROLE`, `NAME`).
    mutating func applyFormat1(_ entry: AuditEntry) {
        let detail = entry.detail ?? ""
        switch entry.action {
        case .initialize:
            if let name = detail.split(separator: ",").first?.split(separator: " ").last {
                members[String(name)] = Member(role: .admin)
            }
        case .userAdd:
            let parts = detail.components(separatedBy: " as ")
            if parts.count == 2, let role = Role(rawValue: parts[1]) { members[parts[0]] = Member(role: role) }
        case .userRemove:
            members[detail] = nil
        default:
            break
        }
    }

    /// Starts from the users and roles an upgrade entry lists (for an unlock, which does not
    /// replay the format-1 entries before it).
    mutating func seedFromUpgrade(_ entry: AuditEntry) {
        for grant in entry.grants { if let role = grant.role { members[grant.userName] = Member(role: role) } }
    }

    // MARK: Format 2

    /// The key that must have signed `entry`: the signer's own for an `init`, an upgrade or a
    /// first registration (they carry it), else the one the chain holds for the signer.
    private func signerKey(_ entry: AuditEntry) -> [UInt8]? {
        switch entry.action {
        case .initialize, .storeUpgrade, .userKeys:
            return entry.grants.first { $0.userName == entry.user }?.signingPublic
        default:
            return members[entry.user]?.signingPublic
        }
    }

    /// Checks that `entry` (format 2) carries a valid signature by someone allowed to make it,
    /// and applies what it grants. Throws without changing the roster when it does not count.
    ///
    /// `audit verify` hands the Ed25519 check to a `SignatureChecker` (`.deferred`), which runs
    /// it on another thread and reports the first failure before verify reports anything.
    /// `.skip` leaves out only the Ed25519 check (never the rest), for the benchmark that
    /// measures what signatures cost `audit verify`; nothing else passes it.
    enum SignatureCheck {
        case now
        case deferred(SignatureChecker)
        case skip
    }

    mutating func apply(_ entry: AuditEntry, bytes: [UInt8], signature: [UInt8]?, previousHash: [UInt8],
                        signatureCheck: SignatureCheck = .now) throws {
        guard let signature else { throw Refusal.unsigned }
        guard let key = signerKey(entry) else { throw Refusal.badSignature }
        switch signatureCheck {
        case .now:
            guard let publicKey = try? Ed25519PublicKey(rawRepresentation: key),
                  publicKey.isValidSignature(signature, for: Self.signedMessage(previousHash: previousHash, entry: bytes))
            else { throw Refusal.badSignature }
        case .deferred(let checker):
            guard let publicKey = checker.key(key) else { throw Refusal.badSignature }
            checker.enqueue(seq: entry.seq, key: publicKey,
                            message: Self.signedMessage(previousHash: previousHash, entry: bytes), signature: signature)
        case .skip:
            guard (try? Ed25519PublicKey(rawRepresentation: key)) != nil else { throw Refusal.badSignature }
        }
        try authorise(entry)
        for grant in entry.grants {
            if let role = grant.role {
                members[grant.userName] = Member(role: role, agreementPublic: grant.agreementPublic,
                                                 signingPublic: grant.signingPublic, slotDigest: grant.slotDigest,
                                                 format1Material: grant.format1Material)
            } else {
                members[grant.userName] = nil
            }
        }
        if entry.action.changesMembership { upgraded = true }
    }

    private func authorise(_ entry: AuditEntry) throws {
        let signer = members[entry.user]
        let grants = entry.grants
        func refuse(_ why: String) -> Refusal { .unauthorised(why) }
        func requireAdmin() throws {
            guard signer?.role == .admin, signer?.signingPublic != nil else {
                throw refuse("\(entry.user) is not an admin with keys at this point of the chain")
            }
        }
        func keysComplete(_ grant: AuditEntry.Grant) -> Bool {
            grant.role != nil && grant.agreementPublic?.count == 32 && grant.signingPublic?.count == 32 && grant.slotDigest?.count == 32
        }
        func requireAnAdminLeft() throws {
            var after = members
            for grant in grants { after[grant.userName] = grant.role.map { Member(role: $0) } }
            guard after.values.contains(where: { $0.role == .admin }) else { throw refuse("it leaves no admin") }
        }
        switch entry.action {
        case .initialize:
            guard entry.seq == 1, upgraded == false, members.isEmpty, grants.count == 1, grants[0].userName == entry.user,
                  grants[0].role == .admin, keysComplete(grants[0]) else { throw refuse("not a store's first entry") }
        case .storeUpgrade:
            guard !upgraded, signer?.role == .admin else { throw refuse("only an admin of a format-1 store upgrades it") }
            guard Set(grants.map(\.userName)) == Set(members.keys),
                  grants.allSatisfy({ members[$0.userName]?.role == $0.role }) else {
                throw refuse("the upgrade's users are not the chain's")
            }
            for grant in grants {
                let complete = keysComplete(grant) && grant.format1Material == nil
                let pending = grant.format1Material?.count == 60 && grant.signingPublic == nil && grant.slotDigest == nil
                guard grant.userName == entry.user ? complete : pending else { throw refuse("malformed upgrade grant") }
            }
        case .userKeys:
            guard let signer, let material = signer.format1Material, signer.signingPublic == nil, grants.count == 1,
                  grants[0].userName == entry.user, grants[0].role == signer.role, keysComplete(grants[0]),
                  let kek = grants[0].formerKEK,
                  KeySlot.format1KEKOpens(SecureBytes(kek), material: material, userName: entry.user, role: signer.role.rawValue)
            else { throw refuse("a key registration must prove the user's former passphrase") }
        case .userAdd:
            try requireAdmin()
            guard grants.count == 1, members[grants[0].userName] == nil, keysComplete(grants[0]) else {
                throw refuse("malformed user addition")
            }
        case .userRole:
            try requireAdmin()
            guard grants.count == 1, let member = members[grants[0].userName], keysComplete(grants[0]),
                  grants[0].signingPublic == member.signingPublic, grants[0].agreementPublic == member.agreementPublic
            else { throw refuse("malformed role change") }
            try requireAnAdminLeft()
        case .userRemove:
            try requireAdmin()
            guard grants.count == 1, members[grants[0].userName] != nil, grants[0].role == nil else {
                throw refuse("malformed removal")
            }
            try requireAnAdminLeft()
        case .userPasswd:
            guard grants.count == 1, let member = members[grants[0].userName], grants[0].role == member.role,
                  keysComplete(grants[0]) else { throw refuse("malformed passphrase change") }
            let sameKeys = grants[0].signingPublic == member.signingPublic && grants[0].agreementPublic == member.agreementPublic
            if grants[0].userName == entry.user && sameKeys && signer?.signingPublic != nil { break }
            try requireAdmin()
        case .rekey:
            try requireAdmin()
            guard Set(grants.map(\.userName)) == Set(members.keys), grants.allSatisfy({ grant in
                keysComplete(grant) && members[grant.userName].map {
                    $0.role == grant.role && $0.signingPublic == grant.signingPublic && $0.agreementPublic == grant.agreementPublic
                } ?? false
            }) else { throw refuse("a rekey must rewrap the data key for every user, keeping their keys") }
        case .record, .importRecords:
            guard let signer, signer.signingPublic != nil else { throw refuse("\(entry.user) is not a user at this point") }
            guard signer.role.mayWriteRecords else { throw refuse("a \(signer.role.rawValue) may not write records") }
            guard grants.isEmpty else { throw refuse("a record entry grants nothing") }
        case .backupExport, .backupRestore, .disclosure:
            guard signer?.signingPublic != nil, grants.isEmpty else { throw refuse("\(entry.user) is not a user at this point") }
        case .acceptRollback:
            try requireAdmin()
            guard grants.isEmpty else { throw refuse("accepting a rollback grants nothing") }
        }
    }

    /// Checks the key-slot table against the roster: every slot names a member, with that
    /// member's role, and the digest (or, for a user not yet on key pairs, the format-1 wrap) the
    /// chain last recorded. Returns the first user whose slot does not match.
    func firstMismatch(_ slots: [KeySlot]) throws -> String? {
        for slot in slots {
            guard let member = members[slot.userName], member.role.rawValue == slot.role else { return slot.userName }
            if let digest = member.slotDigest {
                guard try slot.digest == digest else { return slot.userName }
            } else {
                guard slot.format1Material == member.format1Material else { return slot.userName }
            }
        }
        return nil
    }
}
