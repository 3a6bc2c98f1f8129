import AgeFormat
import KetlogCrypto
import XCTest

/// Bech32 `age1…` / `AGE-SECRET-KEY-1…` strings and identity/recipient files.
final class KeyEncodingTests: XCTestCase {
    func testIdentityAndRecipientStringsRoundTrip() throws {
        let identity = try AgeIdentity.generateX25519()
        let secret = try XCTUnwrap(identity.encoded)
        XCTAssertTrue(secret.hasPrefix("AGE-SECRET-KEY-1"))
        XCTAssertEqual(secret, secret.uppercased())
        XCTAssertEqual(secret.count, 74)
        let recipient = try XCTUnwrap(identity.recipient().encoded)
        XCTAssertTrue(recipient.hasPrefix("age1"))
        XCTAssertEqual(recipient.count, 62)
        XCTAssertEqual(try AgeIdentity(parsing: secret).encoded, secret)
        XCTAssertEqual(try AgeRecipient(parsing: recipient).encoded, recipient)
    }

    func testStrictCaseAndChecksum() throws {
        let identity = try AgeIdentity.generateX25519()
        let secret = try XCTUnwrap(identity.encoded), recipient = try XCTUnwrap(identity.recipient().encoded)
        XCTAssertThrowsError(try AgeIdentity(parsing: secret.lowercased())) { XCTAssertEqual($0 as? AgeError, .invalidIdentity(line: nil)) }
        XCTAssertThrowsError(try AgeRecipient(parsing: recipient.uppercased())) { XCTAssertEqual($0 as? AgeError, .invalidRecipient) }
        let letter = try XCTUnwrap(recipient.dropFirst(4).firstIndex { $0.isLetter })
        let mixed = recipient.replacingCharacters(in: letter...letter, with: recipient[letter].uppercased())
        XCTAssertThrowsError(try AgeRecipient(parsing: mixed)) { XCTAssertEqual($0 as? AgeError, .invalidRecipient) }
        // Changing one data character breaks the checksum.
        var characters = Array(recipient)
        characters[20] = characters[20] == "q" ? "p" : "q"
        XCTAssertThrowsError(try AgeRecipient(parsing: String(characters))) { XCTAssertEqual($0 as? AgeError, .invalidRecipient) }
        XCTAssertThrowsError(try AgeRecipient(parsing: secret)) { XCTAssertEqual($0 as? AgeError, .invalidRecipient) }
        XCTAssertThrowsError(try AgeIdentity(parsing: recipient)) { XCTAssertEqual($0 as? AgeError, .invalidIdentity(line: nil)) }
        XCTAssertThrowsError(try AgeRecipient(parsing: "")) { XCTAssertEqual($0 as? AgeError, .invalidRecipient) }
    }

    func testPostQuantumKeysAreUnsupported() throws {
        let pq = "AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG"
        XCTAssertThrowsError(try AgeIdentity(parsing: pq)) { XCTAssertEqual($0 as? AgeError, .unsupportedIdentity(line: nil)) }
    }

    func testIdentityFileParsing() throws {
        let one = try AgeIdentity.generateX25519(), two = try AgeIdentity.generateX25519()
        let text = "# created: 2026-01-01\n# public key: x\n\(one.encoded!)\r\n\n\(two.encoded!)\n"
        let parsed = try AgeIdentity.parseIdentityFile(text)
        XCTAssertEqual(parsed.map(\.encoded), [one.encoded, two.encoded])
        XCTAssertThrowsError(try AgeIdentity.parseIdentityFile("# only a comment\n")) {
            XCTAssertEqual($0 as? AgeError, .invalidIdentity(line: nil))
        }
        XCTAssertThrowsError(try AgeIdentity.parseIdentityFile("# c\n\n \(one.encoded!)\n")) {
            XCTAssertEqual($0 as? AgeError, .invalidIdentity(line: 3))
        }
        let recipients = try AgeRecipient.parseRecipientsFile("# backup keys\n\(try one.recipient().encoded!)\n\n\(try two.recipient().encoded!)\n")
        XCTAssertEqual(recipients.map(\.encoded), [try one.recipient().encoded, try two.recipient().encoded])
    }
}
