import Foundation

/// Directories ketlog makes: 0700 from the start (`mkdir(path, 0700)`), never made wider and
/// narrowed afterwards.
public enum Directories {
    /// Makes `path` and any missing parents with mode 0700. Existing ones are left as they are.
    public static func makePrivate(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 { return }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if parent != path && !parent.isEmpty && parent != "/" { try makePrivate(parent) }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw FileError.io(path: path, detail: String(cString: strerror(errno)))
        }
    }

    /// A fresh private directory `BASE/PREFIXxxxxxx` (mkdtemp: 0700), registered with
    /// `TemporaryFiles` until `removeTemporary`.
    public static func makeTemporary(in base: String, prefix: String) throws -> String {
        var template = Array((base + "/" + prefix + "XXXXXX").utf8CString)
        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw FileError.io(path: base, detail: String(cString: strerror(errno)))
        }
        let path = String(cString: created)
        TemporaryFiles.registerDirectory(path)
        return path
    }

    /// Removes a temporary directory made by `makeTemporary` and everything in it.
    public static func removeTemporary(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        TemporaryFiles.unregister(path)
    }

    /// The directory holding `path` when group or others may write it (a store there could have
    /// its -wal or -shm planted or swapped by another user).
    public static func writableByOthers(directoryOf path: String) -> String? {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var info = stat()
        guard stat(directory, &info) == 0 else { return nil }
        return info.st_mode & (S_IWGRP | S_IWOTH) != 0 ? directory : nil
    }

    /// fsyncs a directory (after a rename into it); best effort.
    public static func sync(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
