import AgeFormat
import Foundation
import KetlogCrypto
import XCTest

/// Runs every file of the C2SP CCTV age corpus, vendored in Vectors/age-cctv beside this file
/// (with its README and LICENSE), so a clone of the repository alone passes.
final class CCTVTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/age-cctv")

    /// The package root: the folder above Tests/.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testTheCorpusIsInsideTheRepository() throws {
        let root = Self.packageRoot.standardizedFileURL.path + "/"
        XCTAssertTrue(Self.corpus.standardizedFileURL.path.hasPrefix(root), Self.corpus.path)
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
        XCTAssertTrue(names.contains("LICENSE") && names.contains("README.md"), "the vectors' licence and README travel with them")
        // Tracked by git, so a clone has them (skipped where the tree is not a git checkout).
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["-C", Self.packageRoot.path, "ls-files", "--error-unmatch", "Tests/AgeFormatTests/Vectors/age-cctv/x25519"]
        git.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        git.standardError = FileHandle(forWritingAtPath: "/dev/null")
        if (try? git.run()) != nil {
            git.waitUntilExit()
            if FileManager.default.fileExists(atPath: Self.packageRoot.appendingPathComponent(".git").path) {
                XCTAssertEqual(git.terminationStatus, 0, "the vendored vectors are not tracked by git")
            }
        }
    }

    /// The CCTV failure class an error belongs to.
    static func failureClass(_ error: Error) -> String {
        guard let error = error as? AgeError else { return "unexpected \(error)" }
        switch error {
        case .unsupportedVersion, .malformedHeader, .invalidStanza, .scryptNotAlone, .workFactorTooLarge,
             .missingPayloadNonce:
            return "header failure"
        case .noMatchingIdentity: return "no match"
        case .headerMACMismatch: return "HMAC failure"
        case .payloadAuthenticationFailure, .truncatedPayload, .emptyFinalChunk, .trailingData: return "payload failure"
        case .malformedArmor: return "armor failure"
        default: return "unexpected \(error)"
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    func testEveryVector() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        XCTAssertEqual(names.count, 145, "corpus at \(Self.corpus.path)")
        var counts: [String: Int] = [:]
        var handled = 0
        for name in names {
            let contents = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            if name == "README.md" || name == "LICENSE" {
                counts["not a vector", default: 0] += 1
                handled += 1
                continue
            }
            let vector = try CCTVVector(name: name, contents: contents)
            let isHybrid = name.hasPrefix("hybrid") || name == "armor_hybrid"
            var identities: [AgeIdentity] = []
            var unsupported = 0
            for text in vector.identities {
                do {
                    identities.append(try AgeIdentity(parsing: text))
                } catch AgeError.unsupportedIdentity {
                    unsupported += 1
                }
            }
            XCTAssert(unsupported == 0 || isHybrid, "\(name): identity not parsed")
            identities += vector.passphrases.map { .scrypt(passphrase: SecureBytes(Array($0.utf8))) }

            let decryptor = AgeDecryptor(identities: identities, armor: vector.armored ? .required : .forbidden)
            let output = AgeMemoryOutput()
            var outcome = "success"
            do {
                try decryptor.decrypt(from: AgeMemoryInput(vector.file), to: output)
            } catch {
                outcome = Self.failureClass(error)
            }
            let released = Self.hex(try SHA256.hash(output.bytes))
            handled += 1
            if isHybrid {
                // ML-KEM is out of scope: these must fail cleanly, as no match or as the header
                // failure the vector expects.
                XCTAssert(outcome == "no match" || (outcome == vector.expect && outcome != "success"),
                          "\(name): expected \(vector.expect) or no match, got \(outcome)")
                counts["hybrid (unsupported), expected \(vector.expect), got \(outcome)", default: 0] += 1
                continue
            }
            XCTAssertEqual(outcome, vector.expect, name)
            if let payload = vector.payloadSHA256 {
                XCTAssertEqual(released, payload, "\(name): released plaintext")
            } else {
                XCTAssertTrue(output.bytes.isEmpty, "\(name): plaintext released without expected payload")
            }
            counts[outcome == vector.expect ? vector.expect : "MISMATCH \(name)", default: 0] += 1
        }
        XCTAssertEqual(handled, 145)
        print("CCTV age vectors, \(handled) files:")
        for (key, count) in counts.sorted(by: { $0.key < $1.key }) { print("  \(key): \(count)") }
    }
}
