import ArgumentParser
import Foundation
import KetlogAgent
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
        let store = try global.openStore()
        let status = try store.status()
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
            Output.line("agent:    " + (try agentLine(store)))
        }
    }

    /// Whether an agent holds this store for this Unix user, and for whom and how long.
    private func agentLine(_ store: Store) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if AgentAccess.disabled(environment) { return "not asked (KETLOG_NO_AGENT=1)" }
        guard let agent = try AgentAccess.running(store, environment: environment) else { return "none" }
        let ends = Timestamp.iso(agent.hello.ends)
        return "holds \(agent.hello.user) (pid \(agent.hello.pid), until \(ends), idle limit \(AgentDuration.text(agent.hello.idle)))"
    }
}
