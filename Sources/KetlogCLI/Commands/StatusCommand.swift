import ArgumentParser
import Foundation
import KetlogStore

/// `ketlog status`: what is in the store, without a passphrase.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the store's path, format, users, row counts and audit head (no passphrase needed).",
        discussion: """
            Examples:
              ketlog status
              ketlog status --store /srv/clinic.db --format json
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output format: text or json.")
    var format: RecordFormat = .text

    func run() throws {
        let status = try global.openStore().status()
        switch format {
        case .json:
            Output.line(try JSONText.encode(status))
        case .text, .csv:
            Output.line("store:    \(status.path)")
            Output.line("id:       \(status.storeID ?? "none")")
            Output.line("format:   \(status.formatVersion)")
            Output.line("users:    " + status.users.map { "\($0.name) (\($0.role.rawValue))" }.joined(separator: ", "))
            Output.line("patients: \(status.patients)")
            Output.line("sessions: \(status.sessions)")
            Output.line("scores:   \(status.scores)")
            Output.line("vitals:   \(status.vitals)")
            Output.line("screens:  \(status.screens)")
            Output.line("days:     \(status.days)")
            Output.line("audit:    \(status.auditEntries) entries, head \(status.auditHead ?? "none")")
        }
    }
}
