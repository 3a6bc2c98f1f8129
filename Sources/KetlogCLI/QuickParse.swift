import ArgumentParser

/// Parses an everyday command line into the same command `Ketlog.parseAsRoot` gives, without
/// ArgumentParser's check for `--generate-completion-script`.
///
/// On every run, ArgumentParser parses the whole command line twice more against two
/// pseudo-commands (`--generate-completion-script <shell>` and the bare flag) before the real
/// parse: 8.0 M of `ketlog status`'s 42 M instructions (BENCHMARKS.md, "Start-up profile"). It
/// skips that check for a root with a super-command name, so `QuickParse.Root` is `Ketlog`'s
/// command tree under such a root. The super-command name only shows in help and usage text, and
/// this parse is never the one that produces them:
/// - a command line that could ask for help, the version, a completion script or the help dump
///   (`help`, `-h`, `--help`, `--version`, `--generate-completion-script`, `--experimental-…`,
///   `---completion`, or any argument with a single dash) is not parsed here;
/// - a line this parse refuses, or one that names a command group rather than a command, is
///   parsed again by `Ketlog`, which gives the error or help a person sees.
/// So what a person sees is what `Ketlog` gives, and a command that parses here is the value
/// `Ketlog` would have parsed (`QuickParseTests`).
enum QuickParse {
    struct Root: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ketlog", _superCommandName: "", subcommands: Ketlog.configuration.subcommands)
    }

    /// The parsed command, or nil when the line must go through `Ketlog.parseAsRoot`.
    static func command(_ arguments: [String]) -> ParsableCommand? {
        guard !arguments.isEmpty, arguments.allSatisfy(isPlain) else { return nil }
        guard let command = try? Root.parseAsRoot(arguments),
              type(of: command).configuration.subcommands.isEmpty,
              !(command is Root) else { return nil }
        return command
    }

    /// Words and long options that cannot ask ArgumentParser for anything but the command.
    static func isPlain(_ argument: String) -> Bool {
        if argument == "help" { return false }
        guard argument.hasPrefix("-") else { return true }
        guard argument.hasPrefix("--"), !argument.hasPrefix("---") else { return false }
        let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
        return !["--help", "--version", "--generate-completion-script"].contains(name)
            && !name.hasPrefix("--experimental")
    }
}
