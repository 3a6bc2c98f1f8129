internal import COpenSSL

/// OpenSSL's secure heap, for a process that holds keys for a long time (the unlock agent): one
/// arena that is `mlock`ed (never swapped out), excluded from core dumps (`MADV_DONTDUMP`) and
/// fenced by guard pages. Once it is on, `SecureBytes` and OpenSSL's private-key material
/// (the X25519 and Ed25519 keys inside their `EVP_PKEY`s) are allocated in it; copies Swift
/// makes elsewhere (plain arrays) are not.
public enum SecureMemory {
    /// What `enable` achieved.
    public enum Outcome: Sendable, Equatable {
        /// The arena exists and is locked in memory.
        case locked
        /// The arena exists but `mlock` failed (RLIMIT_MEMLOCK): it may be swapped.
        case unlocked
        /// No arena: secrets stay in the ordinary heap.
        case unavailable
    }

    /// Turns the secure heap on with `size` bytes (a power of two). Call it before any key is
    /// made: earlier secrets stay where they are.
    public static func enable(size: Int = 64 * 1024) -> Outcome {
        switch CRYPTO_secure_malloc_init(size, 16) {
        case 1: return .locked
        case 2: return .unlocked
        default: return .unavailable
        }
    }

    /// Bytes of the secure heap in use (0 when it is off).
    public static var used: Int { Int(CRYPTO_secure_used()) }
}
