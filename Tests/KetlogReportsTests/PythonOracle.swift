import Foundation
import XCTest

/// Runs a Python oracle in the checkout's `.venv` (made by `Scripts/bootstrap` from the pinned
/// Scripts/requirements.txt): the script on `-c`, JSON in on stdin, JSON out on stdout.
enum PythonOracle {
    /// `<checkout>/.venv/bin/python`.
    static var python: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".venv/bin/python")
    }

    /// The oracle's parsed output. A missing venv is a failure, never a skip: the comparison is
    /// the test.
    static func run(_ script: String, input: Any, file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            XCTFail("\(python.path) is missing: run Scripts/bootstrap to create the venv with the Python oracles",
                    file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        (process.standardInput, process.standardOutput, process.standardError) = (stdin, stdout, stderr)
        try process.run()
        stdin.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            XCTFail("oracle failed: \(String(decoding: errors, as: UTF8.self))", file: file, line: line)
            throw CocoaError(.executableLoad)
        }
        return try JSONSerialization.jsonObject(with: output)
    }
}
