import Foundation

/// `--edit-notes`: `$VISUAL`, else `$EDITOR`, else `vi`, on a 0600 temporary file in a 0700
/// directory that is removed afterwards (the notes are clinical).
enum Editor {
    static func edit(_ initial: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ketlog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("notes.txt")
        guard FileManager.default.createFile(atPath: file.path, contents: Data(initial.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CLIError.io(path: file.path, detail: "cannot create the notes file")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "editor", file.path]
        process.environment = ChildEnvironment.scrubbed
        do { try process.run() } catch { throw CLIError.toolFailed(what: "the editor", status: -1) }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CLIError.toolFailed(what: "the editor", status: process.terminationStatus) }
        let text = try TextFile.read(file.path)
        // Overwrite before removal: the directory goes, but not every file system forgets at once.
        try? Data(repeating: 0, count: text.utf8.count).write(to: file)
        return text
    }
}
