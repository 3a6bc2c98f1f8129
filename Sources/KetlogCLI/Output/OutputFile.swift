import Foundation

/// A file ketlog writes with clinical content: created 0600 beside its final name and renamed
/// into place when complete, so a reader never sees half a file. Refuses an existing file
/// unless `overwrite`.
final class OutputFile {
    let path: String
    private let temporaryPath: String
    let stream: OutputStream

    init(path: String, overwrite: Bool) throws {
        if !overwrite && FileManager.default.fileExists(atPath: path) { throw CLIError.refusesOverwrite(path: path) }
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError.io(path: path, detail: String(cString: strerror(errno))) }
        close(fd)
        guard let stream = OutputStream(toFileAtPath: temporaryPath, append: true) else {
            unlink(temporaryPath)
            throw CLIError.io(path: path, detail: "cannot write")
        }
        self.stream = stream
        stream.open()
    }

    /// Renames the finished file into place.
    func commit() throws {
        stream.close()
        guard rename(temporaryPath, path) == 0 else {
            let detail = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw CLIError.io(path: path, detail: detail)
        }
    }

    /// Removes the unfinished file.
    func discard() {
        stream.close()
        unlink(temporaryPath)
    }

    /// A memory stream whose contents `flushToStandardOutput` writes to stdout at the end.
    static func memory() -> OutputStream {
        let stream = OutputStream(toMemory: ())
        stream.open()
        return stream
    }

    static func flushToStandardOutput(_ stream: OutputStream) {
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        stream.close()
        FileHandle.standardOutput.write(data)
    }
}

extension OutputStream {
    /// Writes all of `text`, or throws.
    func write(text: String) throws {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeMutableBufferPointer { write($0.baseAddress!, maxLength: $0.count) }
            guard written > 0 else { throw CLIError.io(path: "output", detail: "write failed") }
            offset += written
        }
        bytes.removeAll()
    }
}
