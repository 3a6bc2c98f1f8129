import Foundation
import KetlogFiles

/// Where the agent of one store listens, and the checks a client makes before it talks:
/// `$XDG_RUNTIME_DIR/ketlog/<store id>.sock`, else `/tmp/ketlog-<uid>/<store id>.sock`. The
/// directory must be a real directory owned by this uid with no group or other permission
/// (0700); the socket must be a socket owned by this uid, mode 0600.
public struct AgentSocket: Sendable, Equatable {
    public let directory: String
    public let path: String
    /// Left by an agent that ended because its user's keys changed; the next command says so once.
    public let endedMarker: String

    /// The socket of the store with id `storeIDHex`.
    public init(storeIDHex: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            self.init(directory: (runtime.hasSuffix("/") ? String(runtime.dropLast()) : runtime) + "/ketlog", storeIDHex: storeIDHex)
        } else {
            self.init(directory: "/tmp/ketlog-\(getuid())", storeIDHex: storeIDHex)
        }
    }

    /// The socket of `storeIDHex` in `directory` (the agent is told its directory).
    init(directory: String, storeIDHex: String) {
        self.directory = directory
        path = directory + "/" + storeIDHex + ".sock"
        endedMarker = directory + "/" + storeIDHex + ".ended"
    }

    /// Makes the directory (0700) when it is missing, then checks it.
    public func prepareDirectory() throws {
        do {
            // `$XDG_RUNTIME_DIR` itself, when missing, is made 0700 too, as a runtime directory is.
            try Directories.makePrivate(directory)
        } catch {
            throw AgentError.startFailed(detail: "cannot make \(directory)")
        }
        try checkDirectory()
    }

    /// Refuses a directory that is a symbolic link, not a directory, someone else's, or open to
    /// group or others.
    public func checkDirectory() throws {
        var info = stat()
        guard lstat(directory, &info) == 0 else { throw AgentError.startFailed(detail: "\(directory): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid(), info.st_mode & 0o077 == 0 else {
            throw AgentError.unsafeSocket(path: directory, what: "directory", owner: info.st_uid, mode: info.st_mode & 0o7777)
        }
    }

    /// Whether a socket is there, after checking the directory and it: a socket of this uid, mode
    /// 0600 (no group or other bit). False when nothing is at the path (or it cannot be seen), so
    /// an empty directory someone planted in /tmp changes nothing; anything at the path is checked.
    public func checkSocket() throws -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        try checkDirectory()
        guard info.st_mode & S_IFMT == S_IFSOCK, info.st_uid == getuid(), info.st_mode & 0o077 == 0 else {
            throw AgentError.unsafeSocket(path: path, what: "socket", owner: info.st_uid, mode: info.st_mode & 0o7777)
        }
        return true
    }

    /// The user named in the ended-marker, removing it: the next command says so once.
    public func takeEndedMarker() -> String? {
        guard (try? checkDirectory()) != nil, let data = FileManager.default.contents(atPath: endedMarker) else { return nil }
        unlink(endedMarker)
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix("keys-changed ") else { return nil }
        return String(text.dropFirst("keys-changed ".count).prefix { $0 != "\n" })
    }

    /// Written by the agent as it ends because `user`'s keys changed (names a user, holds no secret).
    func markKeysChanged(user: String) {
        unlink(endedMarker)
        let fd = open(endedMarker, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let text = Array("keys-changed \(user)\n".utf8)
        _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// Clears a marker (a new `unlock`, or `lock`).
    public func clearEndedMarker() { unlink(endedMarker) }

    /// A `sockaddr_un` for `path`, or nil when the path is too long for one.
    func address() -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        return address
    }
}
