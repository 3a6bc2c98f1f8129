import Foundation
import XCTest

/// Replays the committed fuzzing corpus (Tests/FuzzCorpus/<target>/) through the normal build of
/// `ketlog-fuzz`: every input that once found new coverage, and every crash reproducer, must
/// still run through its parser without a crash.
final class ReliabilityFuzzCorpusTests: XCTestCase {
    func testEveryCorpusInputRunsWithoutACrash() throws {
        let harness = try BackupHarness()
        defer { harness.remove() }
        let replayer = URL(fileURLWithPath: harness.ketlogBinary).deletingLastPathComponent().appendingPathComponent("ketlog-fuzz").path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: replayer), "\(replayer) is missing: run `swift build`")
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FuzzCorpus")
        for target in ["age", "armor", "csv", "json"] {
            let directory = corpus.appendingPathComponent(target).path
            let inputs = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            XCTAssertGreaterThan(inputs.count, 10, "\(directory) should hold the \(target) corpus")
            let result = try harness.run(replayer, [directory], environment: ["KETLOG_FUZZ_TARGET": target])
            XCTAssertEqual(result.status, 0, "\(target): \(result.stderr.suffix(2000))")
            XCTAssertTrue(result.stdout.hasPrefix("\(target): \(inputs.count) inputs"), result.stdout)
            // Some inputs of each corpus are valid files: the harness really parses.
            XCTAssertFalse(result.stdout.hasSuffix(" 0 accepted\n"), "\(target) accepted nothing: \(result.stdout)")
        }
    }
}
