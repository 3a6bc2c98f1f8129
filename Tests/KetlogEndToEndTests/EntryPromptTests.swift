import Foundation
import XCTest

/// Missing values: listed in one error without a terminal, asked for on a pseudo-terminal.
final class EntryPromptTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
    }

    override func tearDown() { ketlog = nil }

    func testWithoutATerminalEveryMissingOptionIsListed() throws {
        let score = try ketlog.refuse(["score", "add"], status: 64, field: "missing")
        XCTAssertTrue(score.errorLines[0].contains("--patient, --date, --craving, --use-days"), score.stderr)
        let session = try ketlog.refuse(["session", "add", "--route", "iv"], status: 64, field: "missing")
        for flag in ["--patient", "--date", "--dose-mg", "--duration-min", "--practitioner"] {
            XCTAssertTrue(session.errorLines[0].contains(flag), "\(flag) not listed: \(session.stderr)")
        }
        XCTAssertFalse(session.errorLines[0].contains("--route"), session.stderr)
        let patient = try ketlog.refuse(["patient", "add"], status: 64, field: "CODE, --substance")
        XCTAssertTrue(patient.stderr.contains("no terminal"), patient.stderr)
        // A pipe on stdin is not a terminal either: nothing is read from it.
        try ketlog.refuse(["score", "add", "--patient", "P-0007", "--date", "2026-11-20"], status: 64, field: "--craving, --use-days",
                          stdin: Data("5\n3\n".utf8))
    }

    func testScorePromptsReaskAfterABadAnswer() throws {
        let run = try RecordsPseudoTerminal.run(ketlog, ["score", "add"], dialogue: [
            ("Patient code", "P-0007"),
            ("Date (YYYY-MM-DD)", "2026-11-21"),
            ("Craving (0-10)", "12"),
            ("craving: must be a whole number from 0 to 10; try again", ""),
            ("Craving (0-10)", "4"),
            ("Days of use in the past 28 (0-28)", "29"),
            ("use-days: must be", ""),
            ("Days of use in the past 28 (0-28)", "6"),
        ])
        XCTAssertEqual(run.status, 0, run.transcript)
        XCTAssertTrue(run.transcript.contains("sco-1"), run.transcript)
        let score = try ketlog.object(["score", "show", "sco-1"])
        XCTAssertEqual(score["patient"] as? String, "P-0007")
        XCTAssertEqual(score["date"] as? String, "2026-11-21")
        XCTAssertEqual(score["craving"] as? Int, 4)
        XCTAssertEqual(score["use_days"] as? Int, 6)
        XCTAssertEqual(score["window_days"] as? Int, 28)
    }

    func testSessionRoutePromptShowsTheAllowedValues() throws {
        let run = try RecordsPseudoTerminal.run(ketlog, ["session", "add", "--patient", "P-0007", "--date", "2026-11-22"], dialogue: [
            ("Route (iv, im, intranasal, oral, sublingual, subcutaneous)", "nasal"),
            ("route: must be one of iv, im, intranasal, oral, sublingual, subcutaneous; try again", ""),
            ("Route (iv, im, intranasal, oral, sublingual, subcutaneous)", "intranasal"),
            ("Total dose (mg)", "lots"),
            ("dose-mg: must be a number", ""),
            ("Total dose (mg)", "56"),
            ("Practitioner", "   "),
            ("practitioner: must be non-empty text", ""),
            ("Practitioner", "Dr Pty"),
        ])
        XCTAssertEqual(run.status, 0, run.transcript)
        let session = try ketlog.object(["session", "show", "ses-1"])
        XCTAssertEqual(session["route"] as? String, "intranasal")
        XCTAssertEqual(session["dose_mg"] as? Double, 56)
        XCTAssertEqual(session["practitioner"] as? String, "Dr Pty")
        XCTAssertEqual(session["date"] as? String, "2026-11-22")
    }

    func testIVAsksForTheInfusionLength() throws {
        let run = try RecordsPseudoTerminal.run(ketlog, ["session", "add", "--patient", "P-0007", "--date", "2026-11-22", "--route", "iv",
                                                  "--dose-mg-per-kg", "0.5", "--practitioner", "Dr Pty"], dialogue: [
            ("Weight (kg)", "80"),
            ("Infusion length (minutes)", "40"),
        ])
        XCTAssertEqual(run.status, 0, run.transcript)
        let session = try ketlog.object(["session", "show", "ses-1"])
        XCTAssertEqual(session["dose_mg"] as? Double, 40)
        XCTAssertEqual(session["duration_min"] as? Int, 40)
    }

    func testEndOfInputAtAPromptWritesNothing() throws {
        let before = try ketlog.snapshot()
        let run = try RecordsPseudoTerminal.run(ketlog, ["score", "add", "--patient", "P-0007", "--craving", "3"],
                                         dialogue: [("Date", nil), ("Days of use", nil)])
        XCTAssertEqual(run.status, 64, run.transcript)
        XCTAssertTrue(run.transcript.contains("ketlog: error: missing --date, --use-days"), run.transcript)
        XCTAssertEqual(try ketlog.snapshot(), before)
    }
}

/// Runs ketlog on a pseudo-terminal (python3's `pty.fork`: the child's stdin, stdout, stderr and
/// controlling terminal are the pty) and answers its prompts.
enum RecordsPseudoTerminal {
    struct Run {
        var transcript: String
        var status: Int32
    }

    /// Each step waits (up to 10 s) for `expect` to appear after the previous match, then types
    /// `answer` and a newline; "" types nothing, nil sends end-of-input (^D).
    static func run(_ harness: RecordsHarness, _ arguments: [String], dialogue: [(expect: String, answer: String?)],
                    file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let argv = [try RecordsHarness.binary().path] + arguments
        let steps: [[Any]] = dialogue.map { [$0.expect, $0.answer as Any? ?? NSNull()] }
        let scriptPath = try harness.write("pty-driver.py", driver)
        var environment = harness.environment
        environment["TERM"] = "dumb"
        let result = try RecordsHarness.execute(
            "/usr/bin/env", ["python3", scriptPath, json(argv), json(steps)], environment: environment, scratch: harness.directory)
        guard let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let transcript = report["transcript"] as? String, let status = report["status"] as? Int else {
            XCTFail("the pty driver failed: \(result.stdout) \(result.stderr)", file: file, line: line)
            throw RecordsHarness.HarnessError("pty driver")
        }
        if let missing = report["missing"] as? String {
            XCTFail("never saw \"\(missing)\" on the terminal; transcript:\n\(transcript)", file: file, line: line)
        }
        return Run(transcript: transcript, status: Int32(status))
    }

    private static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
    }

    private static let driver = #"""
        import json, os, pty, select, sys, time

        argv = json.loads(sys.argv[1])
        steps = json.loads(sys.argv[2])
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(argv[0], argv)

        buffer = b""
        def read(timeout):
            global buffer
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                return True
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return False
            if not chunk:
                return False
            buffer += chunk
            return True

        position = 0
        missing = None
        for expect, answer in steps:
            needle = expect.encode()
            deadline = time.time() + 10
            while buffer.find(needle, position) < 0 and time.time() < deadline:
                if not read(0.1):
                    break
            found = buffer.find(needle, position)
            if found < 0:
                missing = expect
                break
            position = found + len(needle)
            if answer is None:
                os.write(fd, b"\x04")
            elif answer != "":
                os.write(fd, answer.encode() + b"\n")

        if missing is not None:
            os.kill(pid, 9)
        deadline = time.time() + 10
        while time.time() < deadline and read(0.2):
            pass
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
        report = {"transcript": buffer.decode("utf-8", "replace"), "status": code}
        if missing is not None:
            report["missing"] = missing
        print(json.dumps(report))
        """#
}
