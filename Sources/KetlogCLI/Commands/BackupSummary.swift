import KetlogBackup

/// The summary line(s) of verify and restore.
enum BackupSummary {
    static func print(_ result: Backup.Verification, verb: String) throws {
        let s = result.soundness
        Output.line("\(verb): format \(s.formatVersion), \(s.users) users, \(s.patients) patients, \(s.sessions) sessions, "
                    + "\(s.scores) scores, \(s.auditEntries) audit entries, \(result.payloadBytes) bytes")
        if let audit = result.audit {
            guard let problem = audit.problem else {
                Output.line("records: \(result.recordsOpened ?? 0) versions open; audit ok: \(audit.entries) entries, head \(audit.head ?? "none")")
                return
            }
            throw CLIError.verificationFailed("the backup's audit trail failed: " + AuditProblemText.describe(problem))
        }
    }
}
