import Foundation

/// A process-wide registry of temporary files and directories that hold clinical data while
/// ketlog works. SIGINT, SIGTERM and SIGHUP remove them and then end the process with the
/// signal's default action (so the shell still sees "killed by SIGINT").
///
/// The handler only calls `unlink`, `rmdir`, `signal` and `raise`, which are async-signal-safe,
/// on C strings made when the path was registered. Strings are never freed (a handler on another
/// thread might be reading one); a process registers a handful at most.
public enum TemporaryFiles {
    private static let capacity = 64
    /// Slot i holds a path, or nil; `kinds[i]` is 1 for a file and 2 for a directory.
    nonisolated(unsafe) private static let paths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        return slots
    }()
    nonisolated(unsafe) private static let kinds: UnsafeMutablePointer<UInt8> = {
        let kinds = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        kinds.initialize(repeating: 0, count: capacity)
        return kinds
    }()
    nonisolated(unsafe) private static var installed = false
    private static let lock = NSLock()

    /// Registers a file to remove if a signal ends the process.
    public static func registerFile(_ path: String) { register(path, kind: 1) }

    /// Registers an (empty by then) directory to remove after the registered files.
    public static func registerDirectory(_ path: String) { register(path, kind: 2) }

    /// Forgets a path (it was renamed into place or removed).
    public static func unregister(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        for index in 0..<capacity {
            if let slot = paths[index], String(cString: slot) == path {
                paths[index] = nil
                kinds[index] = 0
            }
        }
    }

    /// Removes every registered path now (the handler's work, for tests of the registry).
    static func removeAll() { removeRegistered() }

    private static func register(_ path: String, kind: UInt8) {
        lock.lock()
        defer { lock.unlock() }
        installHandlers()
        guard let index = (0..<capacity).first(where: { paths[$0] == nil }) else { return }
        kinds[index] = kind
        paths[index] = strdup(path)
    }

    private static func installHandlers() {
        guard !installed else { return }
        installed = true
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = TemporaryFiles.handle
            #else
            action.__sigaction_u.__sa_handler = TemporaryFiles.handle
            #endif
            sigemptyset(&action.sa_mask)
            // Keep an inherited "ignore" (nohup, or ketlog's own while an editor runs).
            var previous = sigaction()
            sigaction(signal, nil, &previous)
            #if canImport(Glibc)
            let ignored = unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #else
            let ignored = unsafeBitCast(previous.__sigaction_u.__sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #endif
            if !ignored { sigaction(signal, &action, nil) }
        }
    }

    private static let handle: @convention(c) (Int32) -> Void = { signal in
        TemporaryFiles.removeRegistered()
        Foundation.signal(signal, SIG_DFL)
        raise(signal)
    }

    private static func removeRegistered() {
        for pass in [UInt8(1), UInt8(2)] {
            for index in 0..<capacity {
                guard kinds[index] == pass, let path = paths[index] else { continue }
                if pass == 1 { unlink(path) } else { rmdir(path) }
            }
        }
    }
}
