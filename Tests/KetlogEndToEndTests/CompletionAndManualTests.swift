import Foundation
import XCTest

/// `ketlog --generate-completion-script bash|zsh|fish` driven through a real bash, and the man
/// page that swift-argument-parser's GenerateManual plugin makes (Scripts/test runs
/// `swift package plugin generate-manual --configuration debug` before the tests).
final class CompletionAndManualTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ketlog-completion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func testBashCompletesSeToSessionAndOffersOnlyWhatMatches() throws {
        XCTAssertEqual(try bashCompletions("ketlog se"), ["session"])
        XCTAssertEqual(try bashCompletions("ketlog s").sorted(), ["score", "screen", "session", "status"])
        XCTAssertEqual(try bashCompletions("ketlog session a").sorted(), ["add", "amend"])
        XCTAssertEqual(try bashCompletions("ketlog export --format fh").sorted(), ["fhir", "fhir-ndjson"])
        XCTAssertEqual(try bashCompletions("ketlog xyz"), [])
    }

    /// The same through readline: an interactive bash on a real terminal, and the TAB key.
    func testTabInAnInteractiveBashCompletesSession() throws {
        let ketlog = try ProcessRunner.ketlogPath()
        let path = URL(fileURLWithPath: ketlog).deletingLastPathComponent().path + ":/usr/bin:/bin"
        let terminal = try TmuxTerminal(command: "env -i TERM=\"$TERM\" HOME=\(TmuxTerminal.quote(scratch.path)) "
                                        + "PATH=\(TmuxTerminal.quote(path)) PS1='$ ' bash --norc --noprofile -i", directory: scratch)
        defer { terminal.close() }
        try terminal.waitFor("$")  // capture-pane drops trailing spaces
        try terminal.type("source <(ketlog --generate-completion-script bash) && echo sourced")
        try terminal.press("Enter")
        try terminal.waitFor("\nsourced")
        try terminal.type("ketlog se")
        try terminal.press("Tab")
        try terminal.waitFor("$ ketlog session")
        try terminal.press("C-u")
        try terminal.type("ketlog s")
        try terminal.press("Tab", "Tab")
        let listed = try terminal.waitFor("status")
        XCTAssertTrue(listed.contains("score") && listed.contains("screen") && listed.contains("session"), listed)
        XCTAssertFalse(listed.contains("patient") || listed.contains("export"), "only what starts with s: \(listed)")
        try terminal.press("C-u")
        try terminal.type("exit")
        try terminal.press("Enter")
        XCTAssertEqual(try terminal.exitStatus(), 0)
    }

    func testZshAndFishScriptsCoverEveryCommand() throws {
        let commands = try topLevelCommands()
        XCTAssertTrue(commands.contains("session") && commands.contains("export"), "\(commands)")
        for shell in ["zsh", "fish"] {
            let script = try run(try ProcessRunner.ketlogPath(), ["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, script.stderr)
            for command in commands {
                XCTAssertTrue(script.stdout.contains(command), "the \(shell) script does not offer \(command)")
            }
        }
        XCTAssertTrue(try run(try ProcessRunner.ketlogPath(), ["--generate-completion-script", "zsh"]).stdout.hasPrefix("#compdef ketlog"))
    }

    func testTheManualPageRendersWithEveryCommand() throws {
        let page = try XCTUnwrap(ProcessRunner.packageRoot).appendingPathComponent(".build/plugins/GenerateManual/outputs/ketlog/ketlog.1").path
        guard FileManager.default.fileExists(atPath: page) else {
            return XCTFail("\(page) is missing: run `swift package plugin generate-manual --configuration debug` (Scripts/test does)")
        }
        let rendered = try run("/usr/bin/env", ["MANWIDTH=100", "LC_ALL=C.UTF-8", "man", "-l", page])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        XCTAssertTrue(rendered.stdout.contains("KETLOG(1)"), String(rendered.stdout.prefix(200)))
        // Each command of the binary's tree, as an item of the page's list of subcommands.
        let items = Set(rendered.stdout.split(separator: "\n").compactMap { line in
            line.hasPrefix("     ") && !line.hasPrefix("      ") ? line.split(separator: " ").first.map(String.init) : nil
        })
        for command in try topLevelCommands() {
            XCTAssertTrue(items.contains(command),
                          "man -l ketlog.1 does not list \(command): regenerate it with `swift package plugin generate-manual --configuration debug`")
        }
    }

    // MARK: Helpers

    /// What bash completes for `line` (typed with the cursor at its end), through the function
    /// the script registers with `complete -F`, called as bash calls it.
    private func bashCompletions(_ line: String) throws -> [String] {
        let script = """
            source <("$KETLOG" --generate-completion-script bash) || exit 3
            function=$(complete -p ketlog | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')
            [ -n "$function" ] || exit 4
            read -ra COMP_WORDS <<<"$1"
            [[ "$1" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$1"; COMP_POINT=${#1}
            "$function" ketlog "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let ketlog = try ProcessRunner.ketlogPath()
        let path = URL(fileURLWithPath: ketlog).deletingLastPathComponent().path + ":/usr/bin:/bin"
        let result = try ProcessRunner.run("/bin/bash", ["--norc", "--noprofile", "-c", script, "bash", line],
                                           environment: ["KETLOG": ketlog, "PATH": path, "HOME": scratch.path], scratch: scratch)
        XCTAssertEqual(result.status, 0, "bash completion for \(line): \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// The top-level commands of the built binary (ArgumentParser's own description of its tree).
    private func topLevelCommands() throws -> [String] {
        let dump = try run(try ProcessRunner.ketlogPath(), ["--experimental-dump-help"])
        let tree = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        let subcommands = (tree?["command"] as? [String: Any])?["subcommands"] as? [[String: Any]] ?? []
        // A hidden command (`agent-serve`, which `unlock` starts) is in neither completions nor the manual.
        return subcommands.filter { $0["shouldDisplay"] as? Bool != false }.compactMap { $0["commandName"] as? String }
    }

    private func run(_ program: String, _ arguments: [String]) throws -> ProcessRunner.Output {
        try ProcessRunner.run(program, arguments, environment: ["PATH": "/usr/bin:/bin", "HOME": scratch.path], scratch: scratch)
    }
}
