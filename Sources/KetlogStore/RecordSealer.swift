import Foundation
import KetlogCrypto
import KetlogModel

/// One record sealed for a row id the writer reserved, ready to insert.
struct SealedRecord: Sendable {
    let kind: RecordKind
    let id: Int64
    let patientID: Int64
    let blob: Data
    /// A patient's blind index (patients only).
    let codeIndex: Data?
}

/// Seals versions of records with a cipher context of its own, so that an import can seal one
/// chunk of rows on a worker thread while the store's thread inserts the previous one. Use one
/// sealer from one thread at a time.
final class RecordSealer: @unchecked Sendable {
    private let keys: KeyRing
    private let context: AEADKey
    private let nonces = NoncePool()
    /// The last stamp sealed and its encoding.
    private var encodedStamp: (stamp: VersionStamp, writer: ByteWriter)?

    init(keys: KeyRing) throws {
        self.keys = keys
        context = try keys.makeSealContext()
    }

    /// The stamp and the body in the record encoding, sealed for one version of one record.
    /// `patientID` is the owner (the record's own id for a patient).
    func seal<Body: RecordBody>(_ body: Body, stamp: VersionStamp, id: Int64, version: Int64, patientID: Int64) throws -> Data {
        var writer: ByteWriter
        if let encodedStamp, encodedStamp.stamp == stamp {
            writer = encodedStamp.writer  // every version an import writes has the same stamp
        } else {
            writer = ByteWriter(capacity: 256)
            stamp.encode(into: &writer)
            encodedStamp = (stamp, writer)
        }
        body.encode(into: &writer)
        return try keys.seal(writer.bytes, table: Body.kind.versionTable, id: id, version: version, patientID: patientID,
                             context: context, nonces: nonces)
    }

    /// `body` sealed as the first version of row `id`; `patientID` nil for a patient.
    func sealFirst<Body: RecordBody>(_ body: Body, stamp: VersionStamp, id: Int64, patientID: Int64?) throws -> SealedRecord {
        let owner = patientID ?? id
        let blob = try seal(body, stamp: stamp, id: id, version: 1, patientID: owner)
        let codeIndex = try (body as? Patient).map { Data(try keys.patientCodeIndex($0.code)) }
        return SealedRecord(kind: Body.kind, id: id, patientID: owner, blob: blob, codeIndex: codeIndex)
    }
}
