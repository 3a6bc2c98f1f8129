import Foundation
import GRDB
import KetlogCrypto
import KetlogModel

/// What a checkpoint or an expected head was found to match.
public struct CheckpointMatch: Sendable, Equatable {
    /// The user whose key (as the chain records it at `count`) signed it; nil for a bare head.
    public let signer: String?
    public let count: Int64
    /// The printed head (16 hex digits) of entry `count`.
    public let head: String
}

/// Signed checkpoints (c2sp.org/signed-note, body per c2sp.org/tlog-checkpoint): origin
/// `ketlog/<store id in hex>`, the entry count, and base64 of the newest entry's MAC (the chain
/// head, of which `status` and reports print the first 8 bytes), signed with the acting user's
/// Ed25519 key under the key name = user name.
extension UnlockedStore {
    /// `ketlog/<store id in hex>`.
    public static func checkpointOrigin(_ facts: ChainFacts) -> String { "ketlog/" + facts.storeIDHex }

    /// The acting user's signed-note verifier key (`name+<key ID>+base64(0x01 ‖ public key)`).
    public func verifierKey() throws -> NoteVerifierKey {
        guard let signer else { throw StoreError.userPending(user) }
        return try NoteVerifierKey(name: user, publicKey: try Ed25519PublicKey(rawRepresentation: signer.signingPublic))
    }

    /// A signed checkpoint of the chain as it stands (the note's text, signature lines included).
    /// The caller checks the chain first; this reads plain columns only.
    public func checkpoint() throws -> String {
        guard let signer else { throw StoreError.userPending(user) }
        let facts = try store.chainFacts()
        guard let newest = facts.newest, newest.seq == facts.entries else {
            throw StoreError.corruptStore(detail: "the audit trail's sequence numbers have gaps")
        }
        let body = try Checkpoint(origin: Self.checkpointOrigin(facts), treeSize: UInt64(newest.seq), rootHash: newest.mac).body
        return try SignedNote(text: body, verifierKey: try verifierKey(), signature: signer.signNote).formatted
    }

    /// Checks a signed checkpoint against this store's chain, which `verification` (from
    /// `verifyAudit`) must have found sound: a signature by a user's key as the chain records it
    /// at the checkpoint's count, this store's origin, and the same MAC at that count. A store
    /// that ends before the count is older than the checkpoint: refused.
    public func check(checkpoint note: [UInt8], verification: AuditVerification) throws -> CheckpointMatch {
        guard verification.ok else { throw StoreError.checkpointRefused(reason: "the audit chain does not verify") }
        let parsed: SignedNote
        do { parsed = try SignedNote(parsing: note) } catch {
            throw StoreError.checkpointRefused(reason: "it is not a signed note")
        }
        var verifiers: [NoteVerifierKey] = []
        for (user, key) in verification.signingKeys.all {
            if let publicKey = try? Ed25519PublicKey(rawRepresentation: key),
               let verifier = try? NoteVerifierKey(name: user, publicKey: publicKey) { verifiers.append(verifier) }
        }
        let signatures: [SignedNote.Signature]
        do { signatures = try parsed.verify(with: verifiers) } catch let error as CryptoError {
            switch error {
            case .unverifiedNote: throw StoreError.checkpointRefused(reason: "no user's key in this store's chain signed it")
            default: throw StoreError.checkpointRefused(reason: "its signature does not verify")
            }
        }
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint(parsing: parsed.text) } catch {
            throw StoreError.checkpointRefused(reason: "its body is not a checkpoint")
        }
        let facts = try store.chainFacts()
        guard checkpoint.origin == Self.checkpointOrigin(facts), checkpoint.extensionLines.isEmpty else {
            throw StoreError.checkpointRefused(reason: "it is not a checkpoint of this store (store \(facts.storeIDHex))")
        }
        guard checkpoint.treeSize >= 1, checkpoint.treeSize <= UInt64(Int64.max) else {
            throw StoreError.checkpointRefused(reason: "it names no entry")
        }
        let count = Int64(checkpoint.treeSize)
        let match = try expect(count: count, mac: checkpoint.rootHash, facts: facts, verification: verification)
        // The signer's key must be the one the chain gave that user as of that entry.
        let signer = signatures.first { signature in
            guard let key = verification.signingKeys.key(of: signature.keyName, at: count),
                  let publicKey = try? Ed25519PublicKey(rawRepresentation: key),
                  let verifier = try? NoteVerifierKey(name: signature.keyName, publicKey: publicKey) else { return false }
            return verifier.keyID == signature.keyID
        }
        guard let signer else {
            throw StoreError.checkpointRefused(reason: "it was not signed with the key its signer held at entry \(count)")
        }
        return CheckpointMatch(signer: signer.keyName, count: count, head: match.head)
    }

    /// Checks a head copied off a report footer or `audit verify`: the chain's entry `count`
    /// has a MAC whose hex starts with `hexPrefix` (at least 16 digits).
    public func check(expectedHead count: Int64, hexPrefix: String, verification: AuditVerification) throws -> CheckpointMatch {
        guard verification.ok else { throw StoreError.checkpointRefused(reason: "the audit chain does not verify") }
        let facts = try store.chainFacts()
        guard count <= facts.entries, let point = try store.chainPoint(at: count) else {
            throw StoreError.checkpointRefused(reason: "the store ends at entry \(facts.entries), before entry \(count): "
                                              + "it is older than that head (rolled back or truncated)")
        }
        guard RollbackWitness.hex(point.mac).hasPrefix(hexPrefix.lowercased()) else {
            throw StoreError.checkpointRefused(reason: "entry \(count) has head \(point.head), not \(hexPrefix.lowercased())")
        }
        return CheckpointMatch(signer: nil, count: count, head: point.head)
    }

    private func expect(count: Int64, mac: [UInt8], facts: ChainFacts, verification: AuditVerification) throws -> CheckpointMatch {
        guard count <= facts.entries, let point = try store.chainPoint(at: count) else {
            throw StoreError.checkpointRefused(reason: "the store ends at entry \(facts.entries), before the checkpoint's "
                                              + "\(count): it is older than the checkpoint (rolled back or truncated)")
        }
        guard point.mac == mac else {
            throw StoreError.checkpointRefused(reason: "entry \(count) has head \(point.head), not the checkpoint's "
                                              + "\(AuditTrail.headString(mac))")
        }
        return CheckpointMatch(signer: nil, count: count, head: point.head)
    }

    /// Appends an `audit.accept-rollback` entry (admin only): the store is older than the entry
    /// `seen` that this machine's witness recorded, and `reason` says why that is accepted.
    /// Returns the new newest entry, for the witness.
    @discardableResult
    public func acceptRollback(seen: ChainPoint, reason: String) throws -> ChainPoint {
        try requireAdmin("audit accept-rollback")
        try database.writeImmediate { db in
            let ended = try Row.fetchOne(db, sql: "SELECT seq, mac, signature FROM audit_entry ORDER BY seq DESC LIMIT 1")
                .map { ChainPoint(seq: $0["seq"], mac: AuditTrail.identity($0)) }
            let detail = "this machine saw entry \(seen.seq) (head \(seen.head)); the store ended at entry \(ended?.seq ?? 0) "
                + "(head \(ended?.head ?? "none")); reason: \(reason)"
            try audit.append(db, action: .acceptRollback, records: [], patientID: nil, recordsHash: [], detail: detail)
        }
        guard let newest = try store.chainFacts().newest else { throw StoreError.corruptStore(detail: "the audit trail is empty") }
        return newest
    }
}
