import ArgumentParser
import Foundation
import KetlogBackup
import KetlogReports
import KetlogStore

/// Parses the command line, runs the command, and maps every error to one stderr line
/// (`ketlog: error: …`) and an exit code.
public enum KetlogMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        // A closed pipe (ketlog … | head) must end quietly, not crash.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try Ketlog.parseAsRoot(arguments)
            try command.run()
            exit(ExitStatus.ok.rawValue)
        } catch let error as StoreOrCLIError {
            fail(error)
        } catch {
            let code = Ketlog.exitCode(for: error)
            if code == .success || Ketlog.isHelpOrVersion(error) {
                Ketlog.exit(withError: error)  // --help, --version: ArgumentParser prints them
            }
            if isParserError(error) {
                let message = Ketlog.message(for: error)
                Output.err("ketlog: error: \(message.split(separator: "\n").first.map(String.init) ?? message)")
                Output.err("hint: see `ketlog help` or `ketlog <command> --help`")
                exit(ExitStatus.usage.rawValue)
            }
            fail(error)
        }
    }

    private static func fail(_ error: Error) -> Never {
        let (message, status) = ErrorPresenter.present(error)
        Output.err("ketlog: error: \(message)")
        exit(status.rawValue)
    }

    private static func isParserError(_ error: Error) -> Bool {
        let name = String(reflecting: type(of: error))
        return name.contains("ArgumentParser") || error is ValidationError
    }
}

/// Errors that ketlog's own targets throw.
protocol StoreOrCLIError: Error {}
extension CLIError: StoreOrCLIError {}
extension StoreError: StoreOrCLIError {}
extension ReportError: StoreOrCLIError {}
extension BackupError: StoreOrCLIError {}

extension Ketlog {
    static func isHelpOrVersion(_ error: Error) -> Bool {
        exitCode(for: error) == .success
    }
}
