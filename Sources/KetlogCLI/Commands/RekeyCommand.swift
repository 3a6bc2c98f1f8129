import ArgumentParser
import Foundation
import KetlogStore

/// `ketlog rekey`: a new data key for the whole store, all or nothing.
struct RekeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey",
        abstract: "Re-encrypt the whole store under a new data key (admin only).",
        discussion: """
            Makes a new random data key, re-seals every record version and audit entry
            under it, recomputes the code indexes and the audit chain's MACs, and wraps
            the new key to every user's own key pair: no other user's passphrase is
            needed, and everyone keeps their passphrase. One transaction: a crash or a
            kill leaves the old store or the new one, never a mix. The store must pass
            `ketlog audit verify` first, and every user must have unlocked once since
            the store's upgrade to key pairs.

            A copy of the old key (a former user's, say) opens nothing in the store
            afterwards; backups made before the rekey still open with it. To remove a
            user and rekey in one step, use `ketlog user remove NAME --rekey`.

            Examples:
              ketlog rekey
              ketlog rekey --store /srv/clinic/ketlog.db --user drlee
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try global.unlocked()
        defer { try? store.store.close() }
        let result = try RekeyRun.run { progress in try store.rekey(progress: progress) }
        Output.line(RekeyRun.summary(result))
    }
}

/// What `rekey` and `user remove --rekey` share: the progress bar and the summary line.
enum RekeyRun {
    static func run(_ body: (@escaping UnlockedStore.RekeyProgress) throws -> RekeyResult?) throws -> RekeyResult? {
        var bar: ProgressBar?
        defer { bar?.finish() }
        return try body { done, total in
            if bar == nil { bar = ProgressBar("rekeying", total: total) }
            bar?.set(fraction: total == 0 ? 1 : Double(done) / Double(total))
        }
    }

    static func run(_ body: (@escaping UnlockedStore.RekeyProgress) throws -> RekeyResult) throws -> RekeyResult {
        try run { progress -> RekeyResult? in try body(progress) }!
    }

    static func summary(_ result: RekeyResult) -> String {
        "rekeyed: \(result.recordVersions) record versions, \(result.auditEntries) audit entries re-sealed; "
            + "users: \(result.users.joined(separator: ", "))"
    }
}
