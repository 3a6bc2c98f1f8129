import Foundation
import XCTest

/// Helpers shared by the "at the edges" tests: a store with many scores, shell pipelines run
/// with the harness's environment, and looking for processes.
extension RecordsHarness {
    /// Adds patient P-0001 and imports `count` scores for it (one CSV import, so it is quick).
    func addScores(_ count: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try ok(["patient", "add", "P-0001", "--substance", "cocaine"], file: file, line: line)
        var csv = "patient,date,craving,use_days,window_days,substance\n"
        for index in 0..<count {
            csv += "P-0001,2026-\(String(format: "%02d", 1 + index % 11))-\(String(format: "%02d", 1 + index % 28)),\(index % 11),\(index % 29),28,cocaine\n"
        }
        try ok(["import", try write("scores-\(count).csv", csv), "--kind", "scores"], file: file, line: line)
    }

    /// Runs `script` with bash (`pipefail` on) and the harness environment; `KETLOG` in the
    /// script is the binary.
    func shell(_ script: String, env: [String: String] = [:]) throws -> Result {
        var environment = self.environment
        for (name, value) in env { environment[name] = value.isEmpty ? nil : value }
        environment["KETLOG"] = try Self.binary().path
        return try Self.execute("/bin/bash", ["-c", "set -o pipefail; " + script], environment: environment, scratch: directory)
    }

    /// A file's permission bits.
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// The names in `directory` (hidden ones too).
    func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Process ids whose process group is `group` (from /proc/PID/stat).
    static func processes(inGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After "pid (comm)": state, ppid, pgrp.
            return fields.count > 2 && Int32(fields[2]) == group && fields[0] != "Z"
        }
    }
}
