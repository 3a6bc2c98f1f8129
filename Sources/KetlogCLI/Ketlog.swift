import ArgumentParser

/// The root command: `ketlog <subcommand>`.
public struct Ketlog: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ketlog",
        abstract: "Encrypted records of ketamine-assisted treatment for substance use disorder.",
        discussion: """
            One encrypted local store holds each patient's ketamine sessions and their
            craving and use-day scores. Every write is audited in a tamper-evident chain.

            Examples:
              ketlog init --admin drlee
              ketlog patient add P-0007 --substance cocaine
              ketlog session add --patient P-0007 --date 2026-11-20 --route iv \\
                  --dose-mg-per-kg 0.5 --weight-kg 72 --duration-min 40 --practitioner Lee
              ketlog score add --patient P-0007 --date 2026-11-20 --craving 6 --use-days 18
              ketlog report patient P-0007
              ketlog report cohort --by dose
              ketlog backup export --output nightly.age --recipient age1...
              ketlog user remove locum.kim --rekey

            Passphrases: --password-file, --password-command, KETLOG_PASSWORD,
            KETLOG_PASSWORD_FILE, KETLOG_PASSWORD_COMMAND, else the agent of `ketlog unlock`
            (KETLOG_NO_AGENT=1 bypasses it), else a prompt on the terminal.

            Exit codes: 0 ok, 1 unexpected failure, 64 usage, 65 bad data, 66 not found,
            73 refuses to overwrite, 74 I/O error, 77 wrong passphrase or role.
            """,
        version: "0.1.0",
        subcommands: [InitCommand.self, StatusCommand.self, UserCommand.self, PatientCommand.self, SessionCommand.self, ScoreCommand.self,
                      VitalsCommand.self, ScreenCommand.self, DayCommand.self, AuditCommand.self, ImportCommand.self, ExportCommand.self,
                      ReportCommand.self, BackupCommand.self, RekeyCommand.self, UnlockCommand.self, LockCommand.self, AgentServeCommand.self]
    )

    public init() {}
}
