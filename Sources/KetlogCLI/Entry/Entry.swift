import Foundation
import KetlogModel

/// Collects required values: a value given on the command line is used; a missing one is asked
/// for on the terminal when stdin is one (showing what is allowed, asking again after a bad
/// answer); without a terminal every missing option is listed in one error.
struct Entry {
    private(set) var missing: [String] = []
    let interactive: Bool

    init(interactive: Bool = Terminal.stdinIsTerminal && Terminal.isAvailable) {
        self.interactive = interactive
    }

    /// The given value, or an answer from the terminal, or nil (noted as missing).
    mutating func require<T>(_ given: T?, flag: String, prompt: String, allowed: String? = nil,
                             parse: (String) throws -> T) -> T? {
        if let given { return given }
        guard interactive else {
            missing.append(flag)
            return nil
        }
        let question = prompt + (allowed.map { " (\($0))" } ?? "") + ": "
        while true {
            guard let answer = Terminal.ask(question) else {
                missing.append(flag)
                return nil
            }
            do {
                return try parse(answer.trimmingCharacters(in: .whitespaces))
            } catch {
                Terminal.write(STDERR_FILENO, "  \(ErrorPresenter.present(error).message); try again\n")
            }
        }
    }

    /// Throws `missingValues` when anything required is still missing.
    func finish() throws {
        if !missing.isEmpty { throw CLIError.missingValues(missing) }
    }
}
