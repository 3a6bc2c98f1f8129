import ArgumentParser

/// Argument-parser errors as one line that names the option or the position, never a value
/// typed on the command line: `ketlog patient add Jane Roe` must not put a name in cron mail.
///
/// ArgumentParser quotes what it talks about (`Unexpected argument 'Roe'`, `The value 'x' is
/// invalid for '--craving <craving>'`). Every quoted part that contains something the user typed
/// as a value (an argument not starting with `-`, or what follows `=` in `--option=value`) is
/// replaced by its position, `argument N` (1-based, after `ketlog`). Option names, `<value>`
/// placeholders and the subcommand names at the front stay.
enum ArgumentErrorText {
    static func message(for error: Error, arguments: [String]) -> String {
        let full = Ketlog.message(for: error)
        let firstLine = full.split(separator: "\n").first.map(String.init) ?? full
        return redacted(firstLine, arguments: arguments)
    }

    static func redacted(_ message: String, arguments: [String]) -> String {
        let commands = subcommandCount(arguments)
        let typed: [(value: String, position: Int)] = arguments.enumerated().compactMap { index, argument in
            if index < commands { return nil }
            if !argument.hasPrefix("-") { return argument.isEmpty ? nil : (argument, index + 1) }
            guard let equals = argument.firstIndex(of: "=") else { return nil }
            let value = String(argument[argument.index(after: equals)...])
            return value.isEmpty ? nil : (value, index + 1)
        }
        var out = ""
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "'") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "'") else {
                rest = rest[open...]
                break
            }
            let quoted = rest[afterOpen..<close]
            let isName = (quoted.hasPrefix("-") || quoted.hasPrefix("<")) && !quoted.contains("=")
            if !isName, let match = typed.first(where: { quoted.contains($0.value) }) {
                out += "(argument \(match.position))"
            } else {
                out += "'\(quoted)'"
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// How many leading arguments name subcommands (`patient add` → 2).
    static func subcommandCount(_ arguments: [String]) -> Int {
        var command: ParsableCommand.Type = Ketlog.self
        var count = 0
        for argument in arguments {
            guard let next = command.configuration.subcommands.first(where: {
                $0._commandName == argument || $0.configuration.aliases.contains(argument)
            }) else { break }
            command = next
            count += 1
        }
        return count
    }
}
