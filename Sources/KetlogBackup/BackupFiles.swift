import AgeFormat
import Foundation
import KetlogFiles

/// An input that reports how many bytes have been read so far (for progress bars).
final class CountingInput: AgeInput {
    private let inner: any AgeInput
    private let progress: (Int64) -> Void
    private var total: Int64 = 0

    init(_ inner: any AgeInput, progress: @escaping (Int64) -> Void) {
        self.inner = inner
        self.progress = progress
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try inner.read(into: buffer)
        total += Int64(count)
        progress(total)
        return count
    }
}

/// An input that ends after `length` bytes (the store's pages, not anything past them).
final class BoundedInput: AgeInput {
    private let inner: any AgeInput
    private var left: Int64

    init(_ inner: any AgeInput, length: Int64) {
        self.inner = inner
        left = length
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard left > 0 else { return 0 }
        let limit = Int(min(Int64(buffer.count), left))
        let count = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<limit]))
        left -= Int64(count)
        return count
    }
}

/// The backup file as age output: writes through the descriptor and, every `stride` bytes, asks
/// the kernel to start writing what came before to disk (`POSIX_FADV_DONTNEED` starts writeback
/// of dirty pages and drops the clean ones), so that the `fsync` before the rename finds little
/// left to write instead of the whole file, and the backup does not crowd the page cache.
final class WritebackOutput: AgeOutput {
    static let stride: Int64 = 8 << 20
    private let inner: AgeFileDescriptor
    private let fd: Int32
    private var written: Int64 = 0
    private var flushed: Int64 = 0

    init(_ fd: Int32) {
        self.fd = fd
        inner = AgeFileDescriptor(fd)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try inner.write(bytes)
        written += Int64(bytes.count)
        if written - flushed >= Self.stride {
            // Advice only: a kernel that ignores it leaves the work to the fsync.
            _ = posix_fadvise(fd, off_t(flushed), off_t(written - flushed), POSIX_FADV_DONTNEED)
            flushed = written
        }
    }
}

/// Opening files with the modes ketlog promises.
enum BackupFiles {
    /// Creates a new file 0600 (must not exist) and returns its descriptor.
    static func createExclusive(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw BackupError.exists(path: path) }
            throw BackupError.io(path: path, detail: String(cString: strerror(errno)))
        }
        return fd
    }

    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw BackupError.io(path: path, detail: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        return fd
    }

    static func size(_ fd: Int32) -> Int64 {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int64(info.st_size) : 0
    }

    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// A fresh private directory (0700, removed on SIGINT/SIGTERM/SIGHUP) for a decrypted
    /// snapshot; remove it with `removeTree`.
    static func privateDirectory(near path: String? = nil) throws -> String {
        let base = path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? NSTemporaryDirectory()
        do { return try Directories.makeTemporary(in: base, prefix: ".ketlog-backup-") } catch {
            throw BackupError.io(path: base, detail: "cannot create a private directory")
        }
    }

    static func removeTree(_ path: String) {
        Directories.removeTemporary(path)
    }

    static func fsync(_ fd: Int32, path: String) throws {
        guard Foundation.fsync(fd) == 0 else { throw BackupError.io(path: path, detail: String(cString: strerror(errno))) }
    }
}
