import ArgumentParser
@testable import KetlogCLI
import XCTest

/// Every command names itself. Without a `commandName`, ArgumentParser derives the name with
/// `String(describing:)` of the type, for every command in the tree on every run: about a third
/// of `ketlog status`'s instructions went there (BENCHMARKS.md, "Start-up profile").
final class CommandNamesTests: XCTestCase {
    func testEveryCommandInTheTreeHasAnExplicitNameThatIsWhatItWouldBeDerivedAs() {
        var seen = 0
        func visit(_ command: ParsableCommand.Type, path: String) {
            seen += 1
            let name = command.configuration.commandName
            XCTAssertNotNil(name, "\(path) \(command) has no commandName")
            if let name {
                // The name a person types: lower case words joined by "-", as ArgumentParser derives it.
                XCTAssertTrue(name.allSatisfy { $0.isLowercase || $0 == "-" }, "\(path) \(name)")
            }
            var names = Set<String>()
            for subcommand in command.configuration.subcommands {
                let child = subcommand.configuration.commandName ?? "?"
                XCTAssertTrue(names.insert(child).inserted, "\(path) has two subcommands named \(child)")
                visit(subcommand, path: path + " " + child)
            }
        }
        visit(Ketlog.self, path: "ketlog")
        XCTAssertGreaterThan(seen, 50)
    }

    func testTheNamesAreTheOnesPeopleType() {
        func names(_ command: ParsableCommand.Type) -> [String] {
            command.configuration.subcommands.compactMap { $0.configuration.commandName }
        }
        XCTAssertEqual(names(ScoreCommand.self), ["add", "list", "show", "amend", "void"])
        XCTAssertEqual(names(UserCommand.self), ["add", "list", "passwd", "role", "remove"])
        XCTAssertEqual(names(AuditCommand.self), ["log", "verify", "disclosures", "checkpoint", "accept-rollback"])
        XCTAssertEqual(names(BackupCommand.self), ["export", "verify", "restore"])
        XCTAssertEqual(names(PatientCommand.self), ["add", "list", "show", "amend", "void"])
    }
}
