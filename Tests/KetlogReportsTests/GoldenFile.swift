import Foundation
import XCTest

/// Golden files in Tests/KetlogReportsTests/Golden, read through `Bundle.module`. With
/// `KETLOG_RECORD_GOLDEN=1` the actual output is written back to the source tree instead (then
/// rebuild and run again so the bundle holds the new files).
enum GoldenFile {
    static var recording: Bool { ProcessInfo.processInfo.environment["KETLOG_RECORD_GOLDEN"] == "1" }

    static func assertMatches(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        if recording {
            let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
            XCTAssertNoThrow(try actual.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8),
                             file: file, line: line)
            return
        }
        let url = URL(fileURLWithPath: name)
        guard let golden = Bundle.module.url(forResource: url.deletingPathExtension().lastPathComponent,
                                             withExtension: url.pathExtension, subdirectory: "Golden"),
              let expected = try? String(contentsOf: golden, encoding: .utf8)
        else {
            XCTFail("missing golden file \(name); record with KETLOG_RECORD_GOLDEN=1", file: file, line: line)
            return
        }
        if actual != expected {
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(actualLines.count, expectedLines.count)
            XCTFail("\(name) differs from golden at line \(first + 1): got "
                    + "\(first < actualLines.count ? String(actualLines[first]) : "<end>")", file: file, line: line)
        }
    }
}
