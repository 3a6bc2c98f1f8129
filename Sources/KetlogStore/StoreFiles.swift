import Foundation
import KetlogFiles

/// File-system rules for the store: 0700 directory, 0600 file, created exclusively.
enum StoreFiles {
    /// Creates the parent directory and missing ancestors (each 0700 by `mkdir` itself) and an
    /// empty file (0600) with O_EXCL|O_NOFOLLOW.
    static func createEmptyStoreFile(at path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do { try Directories.makePrivate(directory) } catch {
            throw StoreError.io(path: directory, detail: "cannot create the directory")
        }
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw StoreError.storeExists(path: path) }
            throw StoreError.io(path: path, detail: String(cString: strerror(errno)))
        }
        fchmod(fd, 0o600)  // in case the umask took bits away we need, or left ones we do not want
        close(fd)
    }

    /// Removes the -wal and -shm files beside a closed store (they hold nothing once it is closed
    /// and checkpointed; a stale WAL must never meet a different main file).
    static func removeCompanions(of path: String) throws {
        for suffix in ["-wal", "-shm"] where unlink(path + suffix) != 0 && errno != ENOENT {
            throw StoreError.io(path: path + suffix, detail: String(cString: strerror(errno)))
        }
    }

    /// Flushes a file or directory to disk.
    static func fsync(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard Foundation.fsync(fd) == 0 else { throw StoreError.io(path: path, detail: String(cString: strerror(errno))) }
    }

    /// Removes a store file and its SQLite companions (after a failed create).
    static func removeStoreFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            unlink(path + suffix)
        }
    }
}
