internal import KetlogCrypto

/// Reads age v1 files with a list of identities, tried in order.
///
/// Decryption streams with one chunk of look-ahead. As in age, plaintext of chunks that
/// authenticated reaches the output before a later chunk fails; callers that restore data
/// must treat the output as garbage when this throws.
public struct AgeDecryptor: Sendable {
    /// How the input's armor is recognised.
    public enum Armor: Sendable, Hashable {
        /// Armored when the first non-whitespace byte is `-`, binary otherwise (what `age -d` does).
        case detect
        /// The input must be armored.
        case required
        /// The input must be binary.
        case forbidden
    }

    /// Identities tried in order for each file.
    public let identities: [AgeIdentity]
    /// How armor is recognised.
    public let armor: Armor

    public init(identities: [AgeIdentity], armor: Armor = .detect) {
        self.identities = identities
        self.armor = armor
    }

    /// Decrypts `input` into `output`.
    public func decrypt(from input: any AgeInput, to output: any AgeOutput) throws {
        try AgeError.mappingCrypto {
            var reader = BufferedReader(input: input, capacity: PayloadStream.bufferSize)
            if try isArmored(reader) {
                reader = BufferedReader(input: ArmorReader(reader: reader), capacity: PayloadStream.bufferSize)
            }
            let header = try AgeHeader.parse(from: reader)
            let fileKey = try unwrapFileKey(header.stanzas)
            try header.verifyMAC(fileKey: fileKey)
            guard try reader.fill(atLeast: PayloadStream.nonceLength) >= PayloadStream.nonceLength else {
                throw AgeError.missingPayloadNonce
            }
            var stream = try PayloadStream(fileKey: fileKey, nonce: Array(reader.bytes[0..<PayloadStream.nonceLength]))
            reader.consume(PayloadStream.nonceLength)
            let buffer = OutputBuffer(sink: output, capacity: PayloadStream.bufferSize)
            do {
                try stream.decrypt(from: reader, to: buffer)
            } catch {
                try? buffer.flush()
                throw error
            }
            try buffer.flush()
        }
    }

    /// Decrypts from one file descriptor to another (neither is closed).
    public func decrypt(inputFileDescriptor: Int32, outputFileDescriptor: Int32) throws {
        try decrypt(from: AgeFileDescriptor(inputFileDescriptor),
                    to: AgeFileDescriptor(outputFileDescriptor))
    }

    /// Decrypts a byte array in memory.
    public func decrypt(_ file: [UInt8]) throws -> [UInt8] {
        let output = AgeMemoryOutput()
        try decrypt(from: AgeMemoryInput(file), to: output)
        return output.bytes
    }

    private func isArmored(_ reader: BufferedReader) throws -> Bool {
        switch armor {
        case .required: return true
        case .forbidden: return false
        case .detect:
            try reader.fill(atLeast: 1024)
            let first = reader.bytes.first { !(0x09...0x0D).contains($0) && $0 != 0x20 }
            return first == UInt8(ascii: "-")
        }
    }

    /// The file key from the first identity that matches a stanza. An scrypt stanza must be
    /// alone, whatever identities are offered, so passphrase files cannot be mixed with keys.
    private func unwrapFileKey(_ stanzas: [Stanza]) throws -> SecureBytes {
        if stanzas.contains(where: { $0.type == "scrypt" }), stanzas.count != 1 { throw AgeError.scryptNotAlone }
        for identity in identities {
            if let fileKey = try identity.unwrap(stanzas) { return fileKey }
        }
        throw AgeError.noMatchingIdentity
    }
}
