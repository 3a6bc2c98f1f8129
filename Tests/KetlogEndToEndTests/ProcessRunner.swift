import Foundation

/// The one way the end-to-end tests find the built `ketlog` and run a program: every harness
/// (KetlogProcess, RecordsHarness, BackupHarness) goes through here.
enum ProcessRunner {
    /// What one run left behind.
    struct Output {
        let stdout: String
        let stderr: String
        /// The exit status, or 128 + the signal that ended the process.
        let status: Int32
    }

    /// Something a test needs is not there (the binary, a tool), or a harness step failed.
    struct Missing: Error, CustomStringConvertible {
        let description: String
        init(description: String) { self.description = description }
        init(_ description: String) { self.description = description }
    }

    /// The built `ketlog`: `$KETLOG_BINARY`, else beside the test bundle (where `swift test` puts
    /// both, whatever the build folder), else `.build/debug/ketlog` above this file.
    static let ketlog: Result<URL, Missing> = {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["KETLOG_BINARY"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("ketlog"))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("ketlog"))
        if let root = packageRoot { candidates.append(root.appendingPathComponent(".build/debug/ketlog")) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            return .failure(Missing(description: "the ketlog binary was not found (looked at "
                                    + candidates.map(\.path).joined(separator: ", ") + "); run `swift build` first or set KETLOG_BINARY"))
        }
        return .success(found)
    }()

    /// The checkout these tests are in (the directory holding Package.swift), from this file's path.
    static let packageRoot: URL? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// The binary's path, or a failure (never a skip: CI must not pass with these tests not run).
    static func ketlogPath() throws -> String { try ketlog.get().path }

    /// Starts `program`; output goes to files in `scratch` (no pipe can fill up and block the
    /// child); `finish` waits, with a watchdog that ends a child still running after `timeout`.
    static func start(_ program: String, _ arguments: [String], environment: [String: String]?, stdin: Data? = nil,
                      scratch: URL, timeout: TimeInterval = 120) throws -> (process: Process, finish: () throws -> Output) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = scratch
        let tag = UUID().uuidString
        let outURL = scratch.appendingPathComponent(".run-\(tag).out"), errURL = scratch.appendingPathComponent(".run-\(tag).err")
        let inURL = scratch.appendingPathComponent(".run-\(tag).in")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            try stdin.write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        return (process, {
            process.waitUntilExit()
            watchdog.cancel()
            try? out.close()
            try? err.close()
            defer { for url in [outURL, errURL, inURL] { try? FileManager.default.removeItem(at: url) } }
            return Output(stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                          stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
                          status: process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus)
        })
    }

    /// Runs `program` to completion.
    static func run(_ program: String, _ arguments: [String], environment: [String: String]?, stdin: Data? = nil,
                    scratch: URL, timeout: TimeInterval = 120) throws -> Output {
        try start(program, arguments, environment: environment, stdin: stdin, scratch: scratch, timeout: timeout).finish()
    }
}
