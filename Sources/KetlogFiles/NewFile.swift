import Foundation

/// A file that ketlog publishes at `path` with clinical content: created
/// `O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC`, mode 0600, under a temporary name beside `path`,
/// written only through that descriptor (never re-opened by name), fsynced, checked to still be
/// the file this descriptor made, and renamed into place. A signal before `commit` removes it
/// (`TemporaryFiles`).
///
/// In a directory others can write, someone may swap the temporary name for a symlink after it
/// was created: the data still goes to ketlog's own inode, and `commit` refuses to publish what
/// the name then points at.
public final class NewFile {
    public let path: String
    public let temporaryPath: String
    public private(set) var fd: Int32
    private var writer: DescriptorWriter

    /// The temporary file is `.NAME<temporarySuffix>` beside `path` (default `.NAME.PID.tmp`).
    public init(path: String, overwrite: Bool, temporarySuffix: String = ".\(getpid()).tmp") throws {
        var info = stat()
        if !overwrite && lstat(path, &info) == 0 { throw FileError.exists(path: path) }
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent)\(temporarySuffix)").path
        // Registered before it exists, with the signals blocked, so no signal can fall between
        // creating the file and registering it.
        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, &previous)
        TemporaryFiles.registerFile(temporaryPath)
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        let openError = errno
        if fd < 0 { TemporaryFiles.unregister(temporaryPath) }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        guard fd >= 0 else { throw FileError.io(path: path, detail: String(cString: strerror(openError))) }
        fchmod(fd, 0o600)  // whatever the umask took away or left
        self.fd = fd
        writer = DescriptorWriter(fd: fd)
    }

    deinit { if fd >= 0 { discard() } }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        do { try writer.write(bytes) } catch let error as DescriptorWriteError { throw FileError.io(path: path, detail: error.detail) }
    }

    public func write(_ text: String) throws {
        do { try writer.write(text) } catch let error as DescriptorWriteError { throw FileError.io(path: path, detail: error.detail) }
    }

    /// Flushes, fsyncs, checks that the temporary name is still this file, renames it into
    /// place and fsyncs the directory. On failure the temporary file is removed.
    public func commit() throws {
        do {
            do { try writer.flush() } catch let error as DescriptorWriteError { throw FileError.io(path: path, detail: error.detail) }
            guard fsync(fd) == 0 else { throw FileError.io(path: path, detail: String(cString: strerror(errno))) }
            var mine = stat(), named = stat()
            guard fstat(fd, &mine) == 0, lstat(temporaryPath, &named) == 0,
                  mine.st_dev == named.st_dev, mine.st_ino == named.st_ino else {
                throw FileError.replaced(path: path)
            }
            guard rename(temporaryPath, path) == 0 else { throw FileError.io(path: path, detail: String(cString: strerror(errno))) }
        } catch {
            discard()
            throw error
        }
        TemporaryFiles.unregister(temporaryPath)
        close(fd)
        fd = -1
        Directories.sync(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Removes the unfinished file (only if the name is still this descriptor's file).
    public func discard() {
        guard fd >= 0 else { return }
        var mine = stat(), named = stat()
        if fstat(fd, &mine) == 0, lstat(temporaryPath, &named) == 0, mine.st_dev == named.st_dev, mine.st_ino == named.st_ino {
            unlink(temporaryPath)
        }
        TemporaryFiles.unregister(temporaryPath)
        close(fd)
        fd = -1
    }
}
