import Foundation

/// Turns core dumps off for this process before it holds a passphrase or a key: a crash must
/// not write the key to disk, and a non-dumpable process cannot be ptrace-attached by other
/// processes of the same user.
enum CoreDumps {
    static func disable() {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
        // prctl(2) is variadic in C, which Swift cannot call; its kernel ABI takes five
        // word-sized integers, so call it through a pointer of that fixed type.
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(nil, "prctl") else { return }  // RTLD_DEFAULT
        _ = unsafeBitCast(symbol, to: Prctl.self)(4 /* PR_SET_DUMPABLE */, 0, 0, 0, 0)
    }
}
