import Foundation
import KetlogFiles

/// `--edit-notes`: `$VISUAL`, else `$EDITOR`, else `vi`, on a 0600 temporary file in a 0700
/// directory that is removed afterwards (and on SIGINT, SIGTERM or SIGHUP: the notes are
/// clinical).
///
/// The editor runs in ketlog's own process group, which is the terminal's foreground group, so
/// `vi` and `nano` can read and draw; while it runs ketlog ignores SIGINT and SIGQUIT (Ctrl-C
/// belongs to the editor, as with `git commit` or `crontab -e`).
enum Editor {
    static func edit(_ initial: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let directory: String
        do { directory = try Directories.makeTemporary(in: NSTemporaryDirectory(), prefix: "ketlog-") } catch let error as FileError {
            throw OutputFile.cliError(error)
        }
        defer { Directories.removeTemporary(directory) }
        let path = directory + "/notes.txt"
        let file: NewFile
        do {
            file = try NewFile(path: path, overwrite: false)
            try file.write(initial)
            try file.commit()
        } catch let error as FileError {
            throw OutputFile.cliError(error)
        }
        TemporaryFiles.registerFile(path)
        defer {
            // Overwrite before removal: the directory goes, but not every file system forgets at once.
            let fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
            if fd >= 0 {
                var info = stat()
                if fstat(fd, &info) == 0 && info.st_size > 0 {
                    let zeros = [UInt8](repeating: 0, count: Int(info.st_size))
                    zeros.withUnsafeBufferPointer { _ = try? DescriptorWriter.writeAll(fd, $0) }
                    fsync(fd)
                }
                close(fd)
            }
            unlink(path)
            TemporaryFiles.unregister(path)
        }
        let status = try run(editor, on: path)
        guard status == 0 else { throw CLIError.toolFailed(what: "the editor", status: status) }
        return try TextFile.read(path)
    }

    /// Runs `editor path` through `sh` in ketlog's process group and waits, ignoring SIGINT and
    /// SIGQUIT meanwhile. Returns the editor's exit status.
    private static func run(_ editor: String, on path: String) throws -> Int32 {
        var ignore = sigaction(), savedInterrupt = sigaction(), savedQuit = sigaction()
        #if canImport(Glibc)
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        #endif
        sigemptyset(&ignore.sa_mask)
        sigaction(SIGINT, &ignore, &savedInterrupt)
        sigaction(SIGQUIT, &ignore, &savedQuit)
        defer {
            sigaction(SIGINT, &savedInterrupt, nil)
            sigaction(SIGQUIT, &savedQuit, nil)
        }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawnShell("\(editor) \"$1\"", arguments: ["editor", path], newProcessGroup: false)
        } catch {
            throw CLIError.toolFailed(what: "the editor", status: -1)
        }
        return child.wait()
    }
}
