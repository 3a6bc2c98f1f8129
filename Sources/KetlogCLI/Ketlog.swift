import ArgumentParser

/// The root command: `ketlog <subcommand>`.
public struct Ketlog: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ketlog",
        abstract: "Encrypted records of ketamine-assisted treatment for substance use disorder.",
        discussion: """
            One encrypted local store holds each patient's ketamine sessions and their craving and
            use-day scores. Every write is audited in a tamper-evident chain.

            Examples:
              ketlog init --admin drlee
              ketlog status
              ketlog user add nurse.kim --role clinician

            Exit codes: 0 ok, 1 unexpected failure, 64 usage, 65 bad data, 66 not found,
            73 refuses to overwrite, 74 I/O error, 77 wrong passphrase or role.
            """,
        version: "0.1.0",
        subcommands: [InitCommand.self, StatusCommand.self, UserCommand.self, PatientCommand.self, SessionCommand.self, ScoreCommand.self, AuditCommand.self, ImportCommand.self, ExportCommand.self, ReportCommand.self, BackupCommand.self]
    )

    public init() {}
}
