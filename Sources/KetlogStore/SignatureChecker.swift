import Dispatch
import Foundation
import KetlogCrypto

/// Checks the Ed25519 signatures of audit entries on other threads while `audit verify` goes
/// on replaying the chain (MACs, roles, record hashes) on its own: the two kinds of work overlap
/// on two cores instead of adding up.
///
/// The replay applies each entry as if its signature held and queues the check here; before it
/// reports anything, success or a problem, it asks `firstFailure()`, which waits for every queued
/// check. An entry whose signature fails is always at or before the problem the replay found
/// (the replay stops at its first problem), so the earliest bad signature is what gets reported,
/// exactly as a one-thread check would have.
final class SignatureChecker: @unchecked Sendable {
    private struct Item {
        let seq: Int64
        let key: Ed25519PublicKey
        let message: [UInt8]
        let signature: [UInt8]
    }

    /// Entries per handover: large enough that queueing costs nothing, small enough that both
    /// threads start at once.
    private static let batchSize = 128

    /// Concurrent: batches are independent, so on an otherwise idle machine they run on both
    /// cores alongside the replay (each check is an EVP_MD_CTX of its own over a shared key).
    private let queue = DispatchQueue(label: "ketlog.audit.signatures", attributes: .concurrent)
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var failed: Int64?
    private var pending: [Item] = []
    /// Imported keys by their bytes (the replay thread only): a store has few signers.
    private var keys: [[UInt8]: Ed25519PublicKey] = [:]

    /// The key for `raw`, imported once; nil when the bytes are not a key.
    func key(_ raw: [UInt8]) -> Ed25519PublicKey? {
        if let key = keys[raw] { return key }
        guard let key = try? Ed25519PublicKey(rawRepresentation: raw) else { return nil }
        keys[raw] = key
        return key
    }

    /// Queues the check that `signature` is `key`'s signature of `message`, made for entry `seq`.
    func enqueue(seq: Int64, key: Ed25519PublicKey, message: [UInt8], signature: [UInt8]) {
        pending.append(Item(seq: seq, key: key, message: message, signature: signature))
        if pending.count >= Self.batchSize { submit() }
    }

    /// Waits for every queued check; the lowest entry number whose signature failed, if any.
    func firstFailure() -> Int64? {
        submit()
        group.wait()
        return lock.withLock { failed }
    }

    private func submit() {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        queue.async(group: group) { [self] in
            guard let bad = batch.first(where: { !$0.key.isValidSignature($0.signature, for: $0.message) }) else { return }
            lock.withLock { failed = min(failed ?? bad.seq, bad.seq) }
        }
    }
}
