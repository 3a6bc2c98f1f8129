import AgeFormat
import Foundation

/// One-line descriptions of age errors.
enum AgeErrorText {
    static func describe(_ error: AgeError) -> String {
        switch error {
        case .unsupportedVersion: return "not an age v1 file"
        case .malformedHeader: return "the age header is damaged or the file is truncated"
        case .invalidStanza: return "a recipient stanza is malformed"
        case .scryptNotAlone: return "a passphrase stanza must be the only one"
        case .workFactorTooLarge: return "the passphrase work factor is above 22"
        case .noMatchingIdentity: return "no identity or passphrase given opens this backup"
        case .headerMACMismatch: return "the header was altered (MAC mismatch)"
        case .missingPayloadNonce, .truncatedPayload: return "the file is truncated"
        case .payloadAuthenticationFailure: return "a chunk was altered (authentication failed)"
        case .emptyFinalChunk, .trailingData: return "the payload is malformed"
        case .malformedArmor: return "the ASCII armor is malformed"
        case .invalidRecipient: return "not a valid age1… recipient"
        case .unsupportedRecipient: return "an unsupported recipient type"
        case .invalidIdentity(let line): return "a malformed identity" + (line.map { " on line \($0)" } ?? "")
        case .unsupportedIdentity(let line): return "an unsupported identity type" + (line.map { " on line \($0)" } ?? "")
        case .invalidParameter: return "an invalid parameter"
        case .io(let code): return String(cString: strerror(code))
        case .crypto: return "a cryptographic operation failed"
        }
    }
}
