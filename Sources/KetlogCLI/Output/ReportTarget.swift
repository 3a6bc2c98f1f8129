import Foundation
import KetlogReports

/// What `report … --output FILE` may replace: a new path; an existing ketlog report
/// (`ReportSignature`); anything else only with `--force`; never the store or its
/// -wal, -shm or -journal, compared by device and inode and by resolved path (a -wal that does
/// not exist yet is still the store's).
enum ReportTarget {
    static func check(_ output: String, storePath: String, force: Bool) throws {
        let target = resolved(output)
        let store = resolved(storePath)
        var outputInfo = stat()
        let exists = stat(output, &outputInfo) == 0
        for suffix in ["", "-wal", "-shm", "-journal"] {
            var storeInfo = stat()
            let sameInode = exists && stat(storePath + suffix, &storeInfo) == 0
                && storeInfo.st_dev == outputInfo.st_dev && storeInfo.st_ino == outputInfo.st_ino
            if sameInode || target == store + suffix {
                throw CLIError.refusesReplace(path: output, reason: "it is the store\(suffix.isEmpty ? "" : "'s \(suffix) file"); refusing to replace it, even with --force")
            }
        }
        var linkInfo = stat()
        guard lstat(output, &linkInfo) == 0, !force else { return }
        guard linkInfo.st_mode & S_IFMT == S_IFREG, isReport(output) else {
            throw CLIError.refusesReplace(path: output, reason: "it is not a ketlog report; refusing to replace it without --force")
        }
    }

    /// The path with its directory resolved (symlinks, `..`); the last component as given.
    private static func resolved(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        guard let real = realpath(directory, nil) else { return url.standardizedFileURL.path }
        defer { free(real) }
        return String(cString: real) + "/" + url.lastPathComponent
    }

    /// Reads the first and last bytes of a regular file (never following a symlink) and asks
    /// `ReportSignature`.
    private static func isReport(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        func bytes(at offset: Int, count: Int) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: count)
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            return got > 0 ? Array(buffer.prefix(got)) : []
        }
        let size = Int(info.st_size)
        let tailLength = min(size, ReportSignature.tailLength)
        return ReportSignature.isReport(head: bytes(at: 0, count: min(size, ReportSignature.headLength)),
                                        tail: bytes(at: size - tailLength, count: tailLength))
    }
}
