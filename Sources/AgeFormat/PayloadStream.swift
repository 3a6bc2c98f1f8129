internal import KetlogCrypto

/// The age STREAM payload: 64 KiB plaintext chunks sealed with ChaCha20-Poly1305 under
/// HKDF(file key, salt: 16-byte nonce, info: "payload"), each with the 12-byte nonce
/// 11-byte big-endian counter ‖ last-chunk flag.
///
/// One `AEADKey` (one OpenSSL context) is reused for every chunk, and chunks are sealed or
/// opened straight between the read and write buffers.
struct PayloadStream {
    static let chunkSize = 64 * 1024
    static let sealedChunkSize = chunkSize + AEADKey.tagLength
    static let nonceLength = 16
    /// Read and write buffers hold 16 chunks, so system calls move about 1 MiB at a time.
    static let bufferSize = 16 * sealedChunkSize + 64 * 1024

    private let key: AEADKey
    private var nonce = [UInt8](repeating: 0, count: AEADKey.nonceLength)
    private var isFirstChunk = true

    /// A stream keyed by `fileKey` and the payload nonce.
    init(fileKey: SecureBytes, nonce: [UInt8]) throws {
        let payloadKey = try HKDF.sha256(key: fileKey, salt: nonce, info: Array("payload".utf8), length: 32)
        key = try AEADKey(.chacha20Poly1305, key: payloadKey)
    }

    private mutating func setLast(_ last: Bool) {
        nonce[AEADKey.nonceLength - 1] = last ? 1 : 0
    }

    private mutating func advance() throws {
        isFirstChunk = false
        for index in stride(from: AEADKey.nonceLength - 2, through: 0, by: -1) {
            nonce[index] &+= 1
            if nonce[index] != 0 { return }
        }
        throw AgeError.invalidParameter  // 2^88 chunks: cannot happen with real files
    }

    private static var noAAD: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }

    /// Seals everything `reader` yields into `output`, marking the chunk at end of input last.
    mutating func encrypt(from reader: BufferedReader, to output: OutputBuffer) throws {
        while true {
            let available = try reader.fill(atLeast: Self.chunkSize + 1)
            let last = available <= Self.chunkSize
            let count = last ? available : Self.chunkSize
            setLast(last)
            try output.append(count: count + AEADKey.tagLength) { destination in
                try nonce.withUnsafeBytes { nonceBytes in
                    try key.seal(nonce: nonceBytes, plaintext: UnsafeRawBufferPointer(rebasing: reader.bytes[0..<count]),
                                 aad: Self.noAAD, into: destination)
                }
            }
            reader.consume(count)
            if last { return }
            try advance()
        }
    }

    /// Opens the payload from `reader` into `output`. Plaintext of chunks that authenticated
    /// is appended before any error is thrown, as age does.
    mutating func decrypt(from reader: BufferedReader, to output: OutputBuffer) throws {
        while true {
            let available = try reader.fill(atLeast: Self.sealedChunkSize + 1)
            guard available > 0 else { throw AgeError.truncatedPayload }
            if available > Self.sealedChunkSize {
                // A full chunk with more data after it: it must not be marked last. If it is,
                // release it anyway and report the bytes after it.
                if try open(Self.sealedChunkSize, last: false, from: reader, to: output) {
                    try advance()
                    continue
                }
                guard try open(Self.sealedChunkSize, last: true, from: reader, to: output) else {
                    throw AgeError.payloadAuthenticationFailure
                }
                throw AgeError.trailingData
            }
            // End of input: this must be the last chunk.
            guard available >= AEADKey.tagLength else { throw AgeError.truncatedPayload }
            guard available > AEADKey.tagLength || isFirstChunk else { throw AgeError.emptyFinalChunk }
            if try open(available, last: true, from: reader, to: output) { return }
            if available == Self.sealedChunkSize, try open(available, last: false, from: reader, to: output) {
                throw AgeError.truncatedPayload  // a full chunk not marked last, then nothing
            }
            throw AgeError.payloadAuthenticationFailure
        }
    }

    /// Opens the next `count` sealed bytes with the given last flag; on success consumes them,
    /// appends the plaintext and returns true; on a bad tag leaves everything as it was.
    private mutating func open(_ count: Int, last: Bool, from reader: BufferedReader, to output: OutputBuffer) throws -> Bool {
        setLast(last)
        do {
            try output.append(count: count - AEADKey.tagLength) { destination in
                try nonce.withUnsafeBytes { nonceBytes in
                    try key.open(nonce: nonceBytes, sealed: UnsafeRawBufferPointer(rebasing: reader.bytes[0..<count]),
                                 aad: Self.noAAD, into: destination)
                }
            }
        } catch CryptoError.authenticationFailure {
            return false
        }
        reader.consume(count)
        return true
    }
}
