import Foundation
import KetlogCrypto

/// One record sealed for a row id reserved in a `RecordBatch`, ready to insert.
public struct SealedRecord: Sendable {
    public let kind: RecordKind
    public let id: Int64
    public let patientID: Int64
    let blob: Data
    /// A patient's blind index (patients only).
    let codeIndex: Data?
}

/// Seals first versions of records for a batch, on a thread of its own: it has its own cipher
/// context, so an import can encode and encrypt one chunk of rows while the store's thread
/// inserts the previous one. Use one sealer from one thread at a time.
public final class RecordSealer: @unchecked Sendable {
    private let store: UnlockedStore
    private let stamp: VersionStamp
    private let context: AEADKey

    init(store: UnlockedStore, stamp: VersionStamp) throws {
        self.store = store
        self.stamp = stamp
        context = try store.keys.makeSealContext()
    }

    /// Seals `body` as version 1 of row `id`; `patientID` is the owner (nil for a patient, whose
    /// own id it is).
    public func seal<Body: RecordBody>(_ body: Body, id: Int64, patientID: Int64?) throws -> SealedRecord {
        let owner = patientID ?? id
        let blob = try store.sealBody(body, stamp: stamp, id: id, version: 1, patientID: owner, context: context)
        var codeIndex: Data?
        if let patient = body as? Patient { codeIndex = Data(try store.keys.patientCodeIndex(patient.code)) }
        return SealedRecord(kind: Body.kind, id: id, patientID: owner, blob: blob, codeIndex: codeIndex)
    }
}
