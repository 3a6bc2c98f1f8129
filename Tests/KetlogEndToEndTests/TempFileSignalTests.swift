import Foundation
import XCTest

/// Temporary files are removed on SIGINT, SIGTERM and SIGHUP: an interrupted `export --output`
/// or `report --output` leaves nothing behind (no `.NAME.PID.tmp` with clinical content).
final class TempFileSignalTests: XCTestCase {
    /// Starts ketlog directly (its pid is the one to signal), waits `delay` seconds, sends
    /// `signal`, and returns how it ended.
    static func interrupt(_ harness: RecordsHarness, _ arguments: [String], after delay: TimeInterval,
                          signal: Int32 = SIGINT, once ready: (() -> Bool)? = nil) throws
        -> (reason: Process.TerminationReason, status: Int32) {
        let process = Process()
        process.executableURL = try RecordsHarness.binary()
        process.arguments = arguments
        process.environment = harness.environment
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // With `ready`, the signal goes as soon as it holds (the temp file exists), then after
        // `delay` more: a fixed delay alone races a busy machine's scheduling.
        if let ready {
            let start = Date()
            while process.isRunning && !ready() && Date().timeIntervalSince(start) < 20 { usleep(500) }
        }
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus)
    }

    func testInterruptedExportAndReportLeaveNothing() throws {
        let harness = try RecordsHarness()
        try harness.addScores(20000)
        let out = harness.directory.appendingPathComponent("out").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        var interruptedWhileWriting = 0
        // Each signal lands while the export is writing: as soon as its temp file is there, and
        // a few milliseconds later.
        for (index, delay) in [0.0, 0.005, 0.02, 0.05].enumerated() {
            for signal in [SIGINT, SIGTERM, SIGHUP] where signal == SIGINT || index == 2 {
                let target = out + "/scores-\(index)-\(signal).csv"
                let ended = try Self.interrupt(harness, ["export", "--kind", "scores", "--output", target], after: delay,
                                               signal: signal, once: { !harness.names(in: out).isEmpty })
                if ended.reason == .uncaughtSignal {
                    XCTAssertEqual(ended.status, signal, "ketlog must end by the signal it got")
                    interruptedWhileWriting += 1
                    XCTAssertEqual(harness.names(in: out), [], "after \(delay) s")
                } else {
                    XCTAssertEqual(ended.status, 0)
                    XCTAssertEqual(harness.names(in: out), [URL(fileURLWithPath: target).lastPathComponent])
                }
                for name in harness.names(in: out) { try FileManager.default.removeItem(atPath: out + "/" + name) }
            }
        }
        XCTAssertGreaterThan(interruptedWhileWriting, 3, "the export ended before the signals: make the store larger")
        for (index, delay) in [0.05, 0.2, 0.5].enumerated() {
            let target = out + "/weekly-\(index).html"
            let ended = try Self.interrupt(harness, ["report", "weekly", "--output", target], after: delay)
            let left = harness.names(in: out)
            XCTAssertTrue(left == [] || (ended.reason == .exit && left == ["weekly-\(index).html"]), "\(delay) s: \(left)")
            for name in left { try FileManager.default.removeItem(atPath: out + "/" + name) }
        }
    }
}
