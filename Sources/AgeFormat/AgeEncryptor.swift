internal import KetlogCrypto

/// Writes age v1 files: a fresh 16-byte file key wrapped for each recipient, the header with
/// its MAC, a random payload nonce, and the STREAM payload, optionally in ASCII armor.
///
/// Encryption streams: memory use is a few MiB whatever the input size.
public struct AgeEncryptor: Sendable {
    /// Who can decrypt the files this encryptor writes.
    public let recipients: [AgeRecipient]
    /// Whether output is wrapped in `-----BEGIN AGE ENCRYPTED FILE-----` armor.
    public let armor: Bool

    /// Throws `invalidParameter` without recipients or with a work factor outside 1…22, and
    /// `scryptNotAlone` when a passphrase is combined with other recipients.
    public init(recipients: [AgeRecipient], armor: Bool = false) throws {
        guard !recipients.isEmpty else { throw AgeError.invalidParameter }
        for recipient in recipients {
            switch recipient {
            case .scrypt(_, let workFactor):
                guard recipients.count == 1 else { throw AgeError.scryptNotAlone }
                guard Scrypt.workFactorRange.contains(workFactor) else { throw AgeError.invalidParameter }
            case .x25519(let publicKey):
                guard publicKey.count == X25519.keyLength else { throw AgeError.invalidParameter }
            }
        }
        self.recipients = recipients
        self.armor = armor
    }

    /// Encrypts everything `input` yields into `output`.
    public func encrypt(from input: any AgeInput, to output: any AgeOutput) throws {
        try AgeError.mappingCrypto {
            let fileKey = try SecureBytes.random(count: AgeRecipient.fileKeyLength)
            let header = try AgeHeader.encode(stanzas: recipients.map { try $0.wrap(fileKey: fileKey) }, fileKey: fileKey)
            let nonce = try SecureRandom.bytes(PayloadStream.nonceLength)
            var stream = try PayloadStream(fileKey: fileKey, nonce: nonce)
            let armorWriter = armor ? ArmorWriter(sink: output) : nil
            let buffer = OutputBuffer(sink: armorWriter ?? output, capacity: PayloadStream.bufferSize)
            try buffer.append(header + nonce)
            try stream.encrypt(from: BufferedReader(input: input, capacity: PayloadStream.bufferSize), to: buffer)
            try buffer.flush()
            try armorWriter?.finish()
        }
    }

    /// Encrypts from one file descriptor to another (neither is closed).
    public func encrypt(inputFileDescriptor: Int32, outputFileDescriptor: Int32) throws {
        try encrypt(from: AgeFileDescriptor(inputFileDescriptor),
                    to: AgeFileDescriptor(outputFileDescriptor))
    }

    /// Encrypts a byte array in memory.
    public func encrypt(_ plaintext: [UInt8]) throws -> [UInt8] {
        let output = AgeMemoryOutput()
        try encrypt(from: AgeMemoryInput(plaintext), to: output)
        return output.bytes
    }
}
