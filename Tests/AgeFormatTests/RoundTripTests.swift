import AgeFormat
import KetlogCrypto
import XCTest

/// Encrypt → decrypt inside AgeFormat, and the error paths a damaged or foreign file takes.
final class RoundTripTests: XCTestCase {
    static func pattern(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8 &+ Int(seed)) }
    }

    private func expectError(_ expected: AgeError, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { XCTAssertEqual($0 as? AgeError, expected, file: file, line: line) }
    }

    func testX25519RoundTripAcrossChunkBoundaries() throws {
        let identity = try AgeIdentity.generateX25519()
        for armor in [false, true] {
            let encryptor = try AgeEncryptor(recipients: [identity.recipient()], armor: armor)
            for size in [0, 1, 65535, 65536, 65537, 2 * 65536, 200 * 1024] {
                let plaintext = Self.pattern(size)
                let file = try encryptor.encrypt(plaintext)
                XCTAssertEqual(try AgeDecryptor(identities: [identity]).decrypt(file), plaintext, "size \(size) armor \(armor)")
                let chunks = max(1, (size + 65535) / 65536)
                if !armor {
                    // header + 16-byte nonce + one 16-byte tag per chunk (an empty payload is one chunk)
                    let headerLength = file.count - 16 - size - 16 * chunks
                    // the MAC line is "--- " + 43 base64 characters + LF
                    XCTAssertEqual(Array(file[(headerLength - 48)..<(headerLength - 44)]), Array("--- ".utf8), "size \(size)")
                }
            }
        }
    }

    func testArmorIsCanonical() throws {
        let identity = try AgeIdentity.generateX25519()
        let file = try AgeEncryptor(recipients: [identity.recipient()], armor: true).encrypt(Self.pattern(1000))
        let lines = String(decoding: file, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "-----BEGIN AGE ENCRYPTED FILE-----")
        XCTAssertEqual(lines.dropLast().last, "-----END AGE ENCRYPTED FILE-----")
        XCTAssertEqual(lines.last, "")
        let body = lines.dropFirst().dropLast(2)
        XCTAssertTrue(body.dropLast().allSatisfy { $0.count == 64 })
        XCTAssertTrue((1...64).contains(body.last!.count))
        expectError(.malformedHeader) { _ = try AgeDecryptor(identities: [identity], armor: .forbidden).decrypt(file) }
        expectError(.malformedArmor) { _ = try AgeDecryptor(identities: [identity], armor: .required).decrypt(Array("x".utf8) + file) }
        expectError(.malformedArmor) { _ = try AgeDecryptor(identities: [identity]).decrypt(file + Array("x".utf8)) }
    }

    func testScryptRoundTripAndLimits() throws {
        let passphrase = SecureBytes(Array("correct horse battery staple".utf8))
        let file = try AgeEncryptor(recipients: [.scrypt(passphrase: passphrase, workFactor: 10)]).encrypt(Self.pattern(5000))
        XCTAssertTrue(String(decoding: file.prefix(100), as: UTF8.self).contains("\n-> scrypt "))
        XCTAssertEqual(try AgeDecryptor(identities: [.scrypt(passphrase: passphrase)]).decrypt(file), Self.pattern(5000))
        expectError(.noMatchingIdentity) {
            _ = try AgeDecryptor(identities: [.scrypt(passphrase: SecureBytes(Array("wrong".utf8)))]).decrypt(file)
        }
        expectError(.workFactorTooLarge) {
            _ = try AgeDecryptor(identities: [.scrypt(passphrase: passphrase, maxWorkFactor: 9)]).decrypt(file)
        }
        // An X25519 identity does not match a passphrase file.
        expectError(.noMatchingIdentity) { _ = try AgeDecryptor(identities: [AgeIdentity.generateX25519()]).decrypt(file) }
    }

    func testEncryptorRefusesBadRecipientSets() throws {
        let passphrase = SecureBytes(Array("pw".utf8))
        let other = try AgeIdentity.generateX25519().recipient()
        expectError(.scryptNotAlone) { _ = try AgeEncryptor(recipients: [.scrypt(passphrase: passphrase, workFactor: 10), other]) }
        expectError(.invalidParameter) { _ = try AgeEncryptor(recipients: []) }
        expectError(.invalidParameter) { _ = try AgeEncryptor(recipients: [.scrypt(passphrase: passphrase, workFactor: 23)]) }
        expectError(.invalidParameter) { _ = try AgeEncryptor(recipients: [.x25519(publicKey: [1, 2, 3])]) }
        XCTAssertEqual(AgeRecipient.scrypt(passphrase: passphrase).workFactorForTest, 18)
    }

    func testMultipleRecipientsAndIdentityOrder() throws {
        let alice = try AgeIdentity.generateX25519(), bob = try AgeIdentity.generateX25519(), eve = try AgeIdentity.generateX25519()
        let file = try AgeEncryptor(recipients: [alice.recipient(), bob.recipient()]).encrypt(Self.pattern(70_000))
        XCTAssertEqual(try AgeDecryptor(identities: [eve, bob]).decrypt(file), Self.pattern(70_000))
        expectError(.noMatchingIdentity) { _ = try AgeDecryptor(identities: [eve]).decrypt(file) }
        expectError(.noMatchingIdentity) { _ = try AgeDecryptor(identities: []).decrypt(file) }
    }

    func testDamagedFilesFailWithTheRightError() throws {
        let identity = try AgeIdentity.generateX25519()
        let plaintext = Self.pattern(3 * 65536 + 100)
        let file = try AgeEncryptor(recipients: [identity.recipient()]).encrypt(plaintext)
        let decryptor = AgeDecryptor(identities: [identity])
        let payloadStart = file.count - plaintext.count - 4 * 16
        expectError(.truncatedPayload) { _ = try decryptor.decrypt(Array(file.dropLast(100 + 16))) }
        expectError(.payloadAuthenticationFailure) { _ = try decryptor.decrypt(Array(file.dropLast(1))) }
        // Bytes after a short last chunk make it fail to authenticate; after a full last chunk
        // they are reported as trailing data.
        expectError(.payloadAuthenticationFailure) { _ = try decryptor.decrypt(file + [0]) }
        let fullChunkFile = try AgeEncryptor(recipients: [identity.recipient()]).encrypt(Self.pattern(65536))
        expectError(.trailingData) { _ = try decryptor.decrypt(fullChunkFile + [0]) }
        XCTAssertEqual(try decryptor.decrypt(fullChunkFile), Self.pattern(65536))
        var flipped = file
        flipped[file.count - 50] ^= 1
        // The first three chunks authenticate and are released before the last one fails.
        let output = AgeMemoryOutput()
        XCTAssertThrowsError(try decryptor.decrypt(from: AgeMemoryInput(flipped), to: output)) {
            XCTAssertEqual($0 as? AgeError, .payloadAuthenticationFailure)
        }
        XCTAssertEqual(output.bytes, Array(plaintext.prefix(3 * 65536)))
        var badNonce = file
        badNonce[payloadStart - 1] ^= 1
        expectError(.payloadAuthenticationFailure) { _ = try decryptor.decrypt(badNonce) }
        expectError(.missingPayloadNonce) { _ = try decryptor.decrypt(Array(file.prefix(payloadStart - 10))) }
        var badMAC = file
        badMAC[payloadStart - 16 - 2] ^= 1  // inside the base64 MAC (canonical either way for mid characters)
        XCTAssertThrowsError(try decryptor.decrypt(badMAC)) {
            XCTAssert([.headerMACMismatch, .malformedHeader].contains($0 as? AgeError), "\($0)")
        }
        var badVersion = file
        badVersion[20] = UInt8(ascii: "2")
        expectError(.unsupportedVersion) { _ = try decryptor.decrypt(badVersion) }
        expectError(.malformedHeader) { _ = try decryptor.decrypt([]) }
    }

    /// Input and output move in bounded batches whatever the file size: nothing is held whole.
    func testStreamsInBoundedBatches() throws {
        final class CountingInput: AgeInput {
            var remaining: Int
            var largestRead = 0
            init(_ count: Int) { remaining = count }
            func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
                let count = min(buffer.count, remaining)
                for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: remaining - index) }
                remaining -= count
                largestRead = max(largestRead, count)
                return count
            }
        }
        final class HashingOutput: AgeOutput {
            let hasher: SHA256
            var total = 0, largestWrite = 0
            init() throws { hasher = try SHA256() }
            func write(_ bytes: UnsafeRawBufferPointer) throws {
                try hasher.update(bytes)
                total += bytes.count
                largestWrite = max(largestWrite, bytes.count)
            }
        }
        let identity = try AgeIdentity.generateX25519()
        let size = 40 << 20
        let encrypted = AgeMemoryOutput()
        let input = CountingInput(size)
        try AgeEncryptor(recipients: [identity.recipient()]).encrypt(from: input, to: encrypted)
        XCTAssertLessThanOrEqual(input.largestRead, 2 << 20)
        let sink = try HashingOutput()
        try AgeDecryptor(identities: [identity]).decrypt(from: AgeMemoryInput(encrypted.bytes), to: sink)
        XCTAssertEqual(sink.total, size)
        XCTAssertLessThanOrEqual(sink.largestWrite, 2 << 20)
        let expected = try SHA256()
        let again = CountingInput(size)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while case let count = try buffer.withUnsafeMutableBytes({ try again.read(into: $0) }), count > 0 {
            try expected.update(buffer[..<count])
        }
        XCTAssertEqual(try sink.hasher.finalize(), try expected.finalize())
    }

    func testFileDescriptorAPI() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agefd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("plain"), sealed = directory.appendingPathComponent("sealed"),
            opened = directory.appendingPathComponent("opened")
        try Data(Self.pattern(300_000)).write(to: plain)
        let identity = try AgeIdentity.generateX25519()
        try withDescriptors(plain, sealed) { try AgeEncryptor(recipients: [identity.recipient()]).encrypt(inputFileDescriptor: $0, outputFileDescriptor: $1) }
        try withDescriptors(sealed, opened) { try AgeDecryptor(identities: [identity]).decrypt(inputFileDescriptor: $0, outputFileDescriptor: $1) }
        XCTAssertEqual(try Data(contentsOf: opened), Data(Self.pattern(300_000)))
        XCTAssertThrowsError(try AgeDecryptor(identities: [identity]).decrypt(inputFileDescriptor: -1, outputFileDescriptor: 1)) {
            XCTAssertEqual($0 as? AgeError, .io(errno: EBADF))
        }
    }

    private func withDescriptors(_ input: URL, _ output: URL, _ body: (Int32, Int32) throws -> Void) throws {
        let inputFD = open(input.path, O_RDONLY), outputFD = open(output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(inputFD); close(outputFD) }
        XCTAssert(inputFD >= 0 && outputFD >= 0)
        try body(inputFD, outputFD)
    }
}

extension AgeRecipient {
    var workFactorForTest: Int? {
        if case .scrypt(_, let workFactor) = self { return workFactor }
        return nil
    }
}
