import ArgumentParser
import Foundation

/// Parses the command line, runs the command, and maps every error to one stderr line
/// (`ketlog: error: …`) and an exit code.
public enum KetlogMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        // A closed pipe (ketlog … | head) must end quietly, not crash.
        signal(SIGPIPE, SIG_IGN)
        var command: ParsableCommand
        do {
            command = try Ketlog.parseAsRoot(arguments)
        } catch {
            // --help and --version are "errors" that exit 0; ArgumentParser prints them.
            if Ketlog.exitCode(for: error) == .success { Ketlog.exit(withError: error) }
            let message = Ketlog.message(for: error)
            Output.err("ketlog: error: \(message.split(separator: "\n").first.map(String.init) ?? message)")
            Output.err("hint: see `ketlog help` or `ketlog <command> --help`")
            exit(ExitStatus.usage.rawValue)
        }
        do {
            try command.run()
            exit(ExitStatus.ok.rawValue)
        } catch {
            // `ketlog help <command>` runs a built-in command whose "error" prints the help.
            if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { Ketlog.exit(withError: error) }
            let (message, status) = ErrorPresenter.present(error)
            Output.err("ketlog: error: \(message)")
            exit(status.rawValue)
        }
    }
}
