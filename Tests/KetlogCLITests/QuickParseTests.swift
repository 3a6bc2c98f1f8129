import ArgumentParser
import Foundation
@testable import KetlogCLI
import XCTest

/// `QuickParse` gives the command `Ketlog.parseAsRoot` gives, for every example the commands'
/// own help shows, and stays out of the way of help, version, completion requests and errors.
final class QuickParseTests: XCTestCase {
    func testEveryHelpExampleParsesToTheSameCommandAsTheFullParse() throws {
        let lines = Self.examples(of: Ketlog.self)
        XCTAssertGreaterThan(lines.count, 40)
        var quick = 0
        for arguments in lines {
            let full = try? Ketlog.parseAsRoot(arguments)
            guard let fast = QuickParse.command(arguments) else { continue }
            quick += 1
            let fullCommand = try XCTUnwrap(full, "the quick parse took \(arguments) but the full parse refuses it")
            XCTAssertEqual(Self.dumped(fast), Self.dumped(fullCommand), "\(arguments)")
        }
        // Most examples are everyday lines; a quick parse that quietly declined them all would
        // still be correct, but would save nothing.
        XCTAssertGreaterThan(quick, lines.count / 2, "the quick parse took \(quick) of \(lines.count) examples")
    }

    func testTheEverydayLinesTakeTheQuickParse() throws {
        let status = try XCTUnwrap(QuickParse.command(["status", "--store", "x.db"]))
        XCTAssertTrue(status is StatusCommand)
        let add = try XCTUnwrap(QuickParse.command(
            ["score", "add", "--patient", "P-0007", "--date", "2026-11-20", "--craving", "6", "--use-days", "18"]))
        XCTAssertTrue(add is ScoreCommand.Add)
        // The dump the comparisons rest on holds the parsed values.
        XCTAssertTrue(Self.dumped(add).contains("P-0007") && Self.dumped(add).contains("18"), Self.dumped(add))
        XCTAssertEqual(Self.dumped(add), Self.dumped(try Ketlog.parseAsRoot(
            ["score", "add", "--patient", "P-0007", "--date", "2026-11-20", "--craving", "6", "--use-days", "18"])))
    }

    func testHelpVersionCompletionGroupsAndErrorsAreLeftToTheFullParse() {
        let declined: [[String]] = [
            [],
            ["help"], ["help", "status"], ["status", "--help"], ["status", "-h"], ["score", "add", "-h"],
            ["--version"], ["--generate-completion-script", "bash"], ["--generate-completion-script=zsh"],
            ["--experimental-dump-help"], ["---completion", "--", "positional@0", "0"],
            ["score"], ["report"],                              // a group, whose "run" is its help
            ["score", "add", "--craving", "eleven"],            // refused: Ketlog words the error
            ["stauts"], ["status", "--no-such-option"],
            ["score", "add", "--craving", "-1"],                // a single dash: never quick
            ["session", "add", "--notes", "help"],
        ]
        for arguments in declined {
            XCTAssertNil(QuickParse.command(arguments), "\(arguments)")
        }
    }

    // MARK: - helpers

    static func dumped(_ command: ParsableCommand) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }

    /// The `ketlog …` lines of every command's discussion, split as a shell would split them
    /// (quotes, backslash-newline); lines with redirections, pipes or substitutions are left out.
    static func examples(of root: ParsableCommand.Type) -> [[String]] {
        var result: [[String]] = []
        func visit(_ command: ParsableCommand.Type) {
            let text = command.configuration.discussion.replacingOccurrences(of: "\\\n", with: " ")
            for line in text.split(separator: "\n") {
                var line = line.trimmingCharacters(in: .whitespaces)
                guard line.hasPrefix("ketlog ") else { continue }
                if let comment = line.range(of: "  #") { line = String(line[..<comment.lowerBound]) }
                guard !line.contains(where: { "|<>$`".contains($0) }) else { continue }
                result.append(Array(split(line).dropFirst()))
            }
            command.configuration.subcommands.forEach(visit)
        }
        visit(root)
        return result
    }

    static func split(_ line: String) -> [String] {
        var words: [String] = [], word = "", quote: Character?, inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character; inWord = true
            } else if character == " " {
                if inWord { words.append(word); word = ""; inWord = false }
            } else {
                word.append(character); inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
