import Foundation
import XCTest

/// An attacker who can write the output directory (0777) watches it with inotify and swaps
/// every new file for a symlink to a file of their own. ketlog writes through the descriptor it
/// created, so the attacker's file receives nothing; the command either publishes a real file
/// or fails cleanly.
final class FileRacerTests: XCTestCase {
    /// Replaces each newly created file in `directory` by a symlink to `target`.
    final class SymlinkRacer: @unchecked Sendable {
        let directory: String
        let target: String
        private let fd: Int32
        private let lock = NSLock()
        private var running = true
        private var swappedNames: [String] = []
        private let finished = DispatchSemaphore(value: 0)

        var swapped: [String] { lock.withLock { swappedNames } }

        init(directory: String, target: String) throws {
            self.directory = directory
            self.target = target
            fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0, inotify_add_watch(fd, directory, UInt32(IN_CREATE)) >= 0 else {
                throw RecordsHarness.HarnessError("inotify: \(String(cString: strerror(errno)))")
            }
            Thread.detachNewThread { [self] in self.loop() }
        }

        private func loop() {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while lock.withLock({ running }) {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 20) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                var offset = 0
                while count > 0 && offset + 16 <= count {
                    let mask = buffer.withUnsafeBytes { $0.load(fromByteOffset: offset + 4, as: UInt32.self) }
                    let length = Int(buffer.withUnsafeBytes { $0.load(fromByteOffset: offset + 12, as: UInt32.self) })
                    let nameBytes = buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                    offset += 16 + length
                    guard mask & UInt32(IN_ISDIR) == 0 else { continue }
                    let name = String(decoding: nameBytes, as: UTF8.self)
                    let path = directory + "/" + name
                    var info = stat()
                    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                    if unlink(path) == 0 && symlink(target, path) == 0 { lock.withLock { swappedNames.append(name) } }
                }
            }
            finished.signal()
        }

        func stop() {
            lock.withLock { running = false }
            finished.wait()
            close(fd)
        }
    }

    func testOutputsIntoAnAttackersDirectory() throws {
        let harness = try RecordsHarness()
        try harness.ok(["patient", "add", "P-0001", "--substance", "cocaine", "--name", "Marker Clinical"])
        try harness.ok(["score", "add", "--patient", "P-0001", "--date", "2026-11-20", "--craving", "6", "--use-days", "18"])
        let drop = harness.directory.appendingPathComponent("drop").path
        try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: false)
        chmod(drop, 0o777)
        let victim = harness.directory.appendingPathComponent("attacker-owned.txt").path
        let original = "the attacker's file\n"
        try Data(original.utf8).write(to: URL(fileURLWithPath: victim))
        let racer = try SymlinkRacer(directory: drop, target: victim)
        defer { racer.stop() }

        let runs: [(String, [String], [String: String])] = [
            ("patients.csv", ["export", "--kind", "patients", "--output"], [:]),
            ("weekly.txt", ["report", "weekly", "--output"], [:]),
            ("patient.json", ["report", "patient", "P-0001", "--output"], [:]),
            ("store.age", ["backup", "export", "--passphrase", "--output"], ["KETLOG_BACKUP_PASSWORD": "backup pass"]),
        ]
        for (name, arguments, env) in runs {
            let output = drop + "/" + name
            // The racer can lose a race (on tmpfs a small file is written in microseconds); run
            // again, up to 20 times, until it has swapped this command's file at least once.
            for _ in 0..<20 {
                unlink(output)
                let result = try harness.run(arguments + [output], env: env)
                XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), original, "\(name): the attacker's file was written")
                var info = stat()
                if result.status == 0 {
                    XCTAssertEqual(lstat(output, &info), 0, name)
                    XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG, "\(name): published something that is not ketlog's file")
                    XCTAssertEqual(info.st_mode & 0o777, 0o600, name)
                } else {
                    XCTAssertEqual(result.errorLines.count, 1, "\(name): \(result.stderr)")
                    XCTAssertNotEqual(lstat(output, &info), 0, "\(name): a failed command left \(output)")
                }
                if racer.swapped.contains(where: { $0.contains(name) }) { break }
            }
        }
        // Every command must have withstood the racer's swaps; the racer must have won often
        // enough for that to mean something (it swapped the files of at least three commands).
        let swappedCommands = runs.filter { run in racer.swapped.contains { $0.contains(run.0) } }.map(\.0)
        XCTAssertGreaterThanOrEqual(swappedCommands.count, 3, "the racer seldom got to swap: \(racer.swapped)")
    }
}
