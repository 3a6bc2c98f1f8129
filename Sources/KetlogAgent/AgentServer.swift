import Foundation
import KetlogCrypto
import KetlogStore

/// The agent process's loop (`ketlog agent-serve`, started by `ketlog unlock`): it holds one
/// user's private keys for one store and answers requests on its Unix socket, one message at a
/// time, from peers of its own uid only (`SO_PEERCRED`).
///
/// It ends at its lifetime, after `idle` seconds without a request, on `lock`, and when the
/// user's key slot in the store no longer has the digest it had at the start (rekey, passwd,
/// remove); then it leaves the ended-marker so that the next command says why. It removes its
/// socket as it ends.
///
/// When it reads the slot: every two seconds; after each command's connection closes (commands
/// keep it open until they exit, after their store is closed); and once on each connection,
/// before answering anything secret (right after answering `hello`, which holds only public
/// keys and times, or before the first request if that is not `hello`). That last read is
/// skipped when nothing can have been written to the store since a read found the slot
/// unchanged (`slotUnchangedSinceLastRead`), which is the usual case for a command that follows
/// another: its first answers wait for no read.
///
/// Not before every answer: each read opens a connection to the store (SQLite parses the schema
/// anew), 1.5–2.5 ms, and a command asks three times (hello, unwrap, sign). Keys that change in
/// the middle of one command are caught by the next command or the two-second check, as a change
/// between the last answer and the command's commit always was.
public final class AgentServer {
    /// Why the loop ended.
    public enum End: Sendable, Equatable {
        case expired, idle, locked, failed(String)
        /// `told`: a client asked and was answered so; else the next one learns it from the marker.
        case keysChanged(told: Bool)
    }

    private let setup: AgentSetup
    private let keys: UserKeys
    private let slotDigest: [UInt8]
    private let started = Date()
    private var lastUse = Date()
    private var listener: Int32 = -1
    private var socketInode: ino_t = 0
    private var clients: [Int32] = []
    /// Connections whose read of the slot found it unchanged, and those whose read found a change.
    private var checked: Set<Int32> = []
    private var stale: Set<Int32> = []
    /// The store's files just before the last read that found the slot unchanged.
    private var seen: StoreFilesSeen?
    /// How often the slot is read when no request comes.
    private let checkInterval: TimeInterval = 2

    /// Reads the start-up message from `fd`, checks the keys against the store's slot, and binds
    /// the socket; answers `ready` (with this pid) or the reason it cannot start, on `fd`.
    public static func start(setupFrom fd: Int32) throws -> AgentServer {
        let setup = try AgentSetup.receive(from: fd)
        do {
            let server = try AgentServer(setup: setup)
            try AgentMessage(code: 0, fields: [Array(String(getpid()).utf8)]).send(on: fd)
            return server
        } catch {
            try? AgentMessage.failure(.refused, "\(error)").send(on: fd)
            throw error
        }
    }

    private init(setup: AgentSetup) throws {
        self.setup = setup
        keys = try UserKeys(privateBytes: setup.privateKeys)
        guard let digest = try Store.slotDigest(path: setup.storePath, user: setup.user) else {
            throw AgentError.keysChanged(user: setup.user)
        }
        slotDigest = digest
        try bind()
    }

    private func bind() throws {
        try setup.socket.prepareDirectory()
        guard var address = setup.socket.address() else { throw AgentError.startFailed(detail: "the socket path is too long") }
        // A socket left by an agent that was killed: ours (checked), no one listening.
        if (try? setup.socket.checkSocket()) == true { unlink(setup.socket.path) }
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw AgentError.startFailed(detail: String(cString: strerror(errno))) }
        let previous = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(previous)
        guard bound == 0, chmod(setup.socket.path, 0o600) == 0, listen(listener, 16) == 0 else {
            throw AgentError.startFailed(detail: "\(setup.socket.path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if lstat(setup.socket.path, &info) == 0 { socketInode = info.st_ino }
        setup.socket.clearEndedMarker()
    }

    /// Serves until an end; removes the socket.
    public func run() -> End {
        let end = loop()
        if end == .keysChanged(told: false) { setup.socket.markKeysChanged(user: setup.user) }
        var info = stat()
        // Only our own socket: a newer agent may have replaced it.
        if lstat(setup.socket.path, &info) == 0 && info.st_ino == socketInode { unlink(setup.socket.path) }
        for fd in clients + [listener] { close(fd) }
        return end
    }

    private func loop() -> End {
        let deadline = started.addingTimeInterval(TimeInterval(setup.lifetime))
        var lastCheck = Date()
        while true {
            let now = Date()
            if now >= deadline { return .expired }
            if now.timeIntervalSince(lastUse) >= TimeInterval(setup.idle) { return .idle }
            if now.timeIntervalSince(lastCheck) >= checkInterval {
                lastCheck = now
                if !slotUnchanged() { return .keysChanged(told: false) }
            }
            let wait = min(deadline.timeIntervalSince(now), lastUse.addingTimeInterval(TimeInterval(setup.idle)).timeIntervalSince(now),
                           checkInterval)
            var fds = ([listener] + clients).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(max(wait, 0.01) * 1000))
            if ready < 0 && errno != EINTR { return .failed(String(cString: strerror(errno))) }
            guard ready > 0 else { continue }
            if fds[0].revents & Int16(POLLIN) != 0 { accept() }
            for entry in fds.dropFirst() where entry.revents != 0 {
                if let end = serve(entry.fd) { return end }
            }
        }
    }

    /// Whether the user's slot is as it was at the start: read from the store every time. When it
    /// is, the store's files as they were just before the read are kept (`seen`).
    private func slotUnchanged() -> Bool {
        let before = StoreFilesSeen(path: setup.storePath)
        guard let digest = try? Store.slotDigest(path: setup.storePath, user: setup.user), ConstantTime.equal(digest, slotDigest) else {
            seen = nil
            return false
        }
        seen = before
        return true
    }

    /// The same, without a read when nothing can have been written to the store since a read
    /// found the slot unchanged: the main file is the same file with the same size, modification
    /// and change times, and the -wal held no frame then and holds none now. Every write goes
    /// through the -wal first, and a checkpoint that empties it again rewrites the main file.
    /// The agent reads the slot after each command ends (off any command's path), so the next
    /// command's first answer usually needs no read.
    private func slotUnchangedSinceLastRead() -> Bool {
        if let seen, let now = StoreFilesSeen(path: setup.storePath), now == seen { return true }
        return slotUnchanged()
    }

    /// Accepts a connection from a peer of this uid; any other is told so and closed.
    private func accept() {
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { return }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        setTimeouts(fd, seconds: 5)
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } (hidden behind _GNU_SOURCE in Swift's Glibc).
        var credentials = [UInt32](repeating: UInt32.max, count: 3)
        var length = socklen_t(12)
        let read = credentials.withUnsafeMutableBytes { getsockopt(fd, SOL_SOCKET, SO_PEERCRED, $0.baseAddress, &length) }
        let uid = credentials[1]
        guard read == 0, length == 12, uid == getuid() else {
            try? AgentMessage.failure(.refused, "peer uid \(uid) is not the agent's uid \(getuid())").send(on: fd)
            close(fd)
            return
        }
        clients.append(fd)
    }

    /// Answers one request on `fd`; returns an end when the request ends the agent.
    ///
    /// The slot is checked once per connection, before anything secret is answered: before the
    /// first request when that is not `hello`, else right after answering the `hello` (public keys
    /// and times only), while the command goes on with its own reading. A connection whose check
    /// found the change is told so at its next request; if it ends without one, the agent ends
    /// all the same.
    private func serve(_ fd: Int32) -> End? {
        let request: AgentMessage?
        do {
            request = try AgentMessage.receive(from: fd)
        } catch AgentError.versionMismatch {
            try? AgentMessage.failure(.badRequest, "protocol version \(AgentMessage.version) only").send(on: fd)
            return drop(fd)
        } catch {
            return drop(fd)
        }
        guard var request else { return drop(fd) }
        defer { for index in request.fields.indices { wipe(&request.fields[index]) } }
        let isHello = request.code == AgentMessage.Operation.hello.rawValue
        // `hello` alone (what `status` sends) does not count as use; every command's unwrap does.
        if !isHello { lastUse = Date() }
        if stale.contains(fd) || (!checked.contains(fd) && !isHello && !slotUnchangedSinceLastRead()) {
            // The one field is the user's name.
            let told = (try? AgentMessage.failure(.keysChanged, setup.user).send(on: fd)) != nil
            return .keysChanged(told: told)
        }
        if !isHello { checked.insert(fd) }
        var answer = answer(request)
        defer { for index in answer.fields.indices { wipe(&answer.fields[index]) } }
        do { try answer.send(on: fd) } catch { return drop(fd) }
        if isHello && !checked.contains(fd) {
            if slotUnchangedSinceLastRead() { checked.insert(fd) } else { stale.insert(fd) }
        }
        return request.code == AgentMessage.Operation.lock.rawValue ? .locked : nil
    }

    private func answer(_ request: AgentMessage) -> AgentMessage {
        let fields = request.fields
        do {
            switch AgentMessage.Operation(rawValue: request.code) {
            case .hello:
                let end = Int(started.timeIntervalSince1970) + setup.lifetime
                return AgentMessage(code: 0, fields: [Array(setup.user.utf8), keys.agreementPublic, keys.signingPublic,
                                                      Array(String(getpid()).utf8), Array(String(end).utf8),
                                                      Array(String(setup.idle).utf8)])
            case .unwrap:
                guard fields.count == 2, String(decoding: fields[1], as: UTF8.self) == setup.user else {
                    return .failure(.badRequest, "unwrap takes a wrap for \(setup.user)")
                }
                return AgentMessage(code: 0, fields: [try keys.unwrapDataKey(fields[0], userName: setup.user).unsafeArray])
            case .signAuditEntry:
                guard fields.count == 1, fields[0].starts(with: UserKeys.auditSignatureContext) else {
                    return .failure(.refused, "only audit entries are signed as entries")
                }
                return AgentMessage(code: 0, fields: [try keys.signAuditEntry(fields[0])])
            case .signNote:
                guard fields.count == 1, fields[0].starts(with: Array(UserKeys.checkpointPrefix.utf8)) else {
                    return .failure(.refused, "only ketlog checkpoints are signed as notes")
                }
                return AgentMessage(code: 0, fields: [try keys.signNote(String(decoding: fields[0], as: UTF8.self))])
            case .lock:
                return AgentMessage(code: 0)
            case nil:
                return .failure(.badRequest, "unknown operation \(request.code)")
            }
        } catch {
            return .failure(.refused, "the request failed")
        }
    }

    /// Closes a connection; ends the agent if that connection's read of the slot found a change
    /// it was never told of.
    @discardableResult
    private func drop(_ fd: Int32) -> End? {
        close(fd)
        clients.removeAll { $0 == fd }
        checked.remove(fd)
        if stale.remove(fd) != nil { return .keysChanged(told: false) }
        // A command ended: read the slot now, while no command waits for an answer.
        return slotUnchanged() ? nil : .keysChanged(told: false)
    }
}

/// What a stat of the store's files shows (see `AgentServer.slotUnchangedSinceLastRead`); nil
/// when the main file is missing or the -wal holds any frame (then there is nothing to compare).
struct StoreFilesSeen: Equatable {
    let device: UInt64, inode: UInt64, size: Int64
    let modified: timespec, changed: timespec

    init?(path: String) {
        var main = stat(), wal = stat()
        guard stat(path, &main) == 0 else { return nil }
        if stat(path + "-wal", &wal) == 0 {
            guard wal.st_size == 0 else { return nil }
        } else if errno != ENOENT {
            return nil
        }
        (device, inode, size) = (UInt64(main.st_dev), UInt64(main.st_ino), Int64(main.st_size))
        (modified, changed) = (main.st_mtim, main.st_ctim)
    }

    static func == (a: StoreFilesSeen, b: StoreFilesSeen) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size
            && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
            && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
    }
}
