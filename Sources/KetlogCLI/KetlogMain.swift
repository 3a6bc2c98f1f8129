import ArgumentParser
import Foundation

/// Parses the command line, runs the command, and maps every error to one stderr line
/// (`ketlog: error: …`) and an exit code.
public enum KetlogMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        // A closed pipe (ketlog … | head) must end quietly, not crash: writes then fail with EPIPE.
        signal(SIGPIPE, SIG_IGN)
        var command: ParsableCommand
        do {
            command = try QuickParse.command(arguments) ?? Ketlog.parseAsRoot(arguments)
        } catch {
            // --help and --version are "errors" that exit 0; ArgumentParser prints them.
            if Ketlog.exitCode(for: error) == .success { Ketlog.exit(withError: error) }
            Output.err("ketlog: error: \(ArgumentErrorText.message(for: error, arguments: arguments))")
            Output.err("hint: see `ketlog help` or `ketlog <command> --help`")
            exit(ExitStatus.usage.rawValue)
        }
        do {
            try command.run()
            GlobalOptions.advanceWitness()
            exit(ExitStatus.ok.rawValue)
        } catch let error as ExitCode {
            GlobalOptions.dropWitness()
            exit(error.rawValue)
        } catch where error is CleanExit || Ketlog.exitCode(for: error) == .success {
            // `ketlog help <command>` runs a built-in command whose "error" prints the help.
            Ketlog.exit(withError: error)
        } catch {
            // The reader of stdout went away (`| head`): that ends the command quietly.
            GlobalOptions.dropWitness()
            if Output.stdoutClosed { exit(ExitStatus.ok.rawValue) }
            let (message, status) = ErrorPresenter.present(error)
            Output.err("ketlog: error: \(message)")
            exit(status.rawValue)
        }
    }
}
