import Foundation
import KetlogFiles
import KetlogModel
import KetlogReports
import KetlogStore

/// Every live record of a store as FHIR R4 resources, and the two ways to write them: one
/// Bundle of type `collection` (`--format fhir`) or the Bulk Data layout, one
/// `<ResourceType>.ndjson` per type (`--format fhir-ndjson`). The one FHIR formatter.
///
/// Void records are left out, and so are the records of a void patient: their subject would
/// not be in the bundle.
struct FHIRExport {
    /// The resource types in the order they are written.
    static let types = ["Patient", "Practitioner", "MedicationAdministration", "Observation", "Provenance"]

    private(set) var resources: [String: [FHIRResource]] = [:]
    private var seen: Set<String> = []
    /// The patients whose data goes out, for the accounting of disclosures.
    private(set) var patients: [Int64] = []
    /// How many live records go out (a vitals record once, however many observations it makes).
    private(set) var records = 0

    init(_ store: UnlockedStore) throws {
        let mapping = FHIRMapping(store: try store.store.chainFacts().storeIDHex)
        var live: Set<Int64> = []
        try store.forEach(Patient.self) { record in
            guard !record.stamp.isVoid else { return }
            live.insert(record.id)
            patients.append(record.id)
            add(mapping.patient(record), record, mapping)
        }
        var sessions: [Int64: KetamineSession] = [:]
        try store.forEach(KetamineSession.self) { record in
            guard !record.stamp.isVoid, live.contains(record.patientID) else { return }
            sessions[record.id] = record.body
            try mapping.practitioners(of: record.body).forEach { append($0) }
            add(try mapping.medicationAdministration(record), record, mapping)
        }
        try store.forEach(Score.self) { record in
            guard !record.stamp.isVoid, live.contains(record.patientID) else { return }
            add(mapping.observation(record), record, mapping)
        }
        // Vitals of a void session are left out with it: they are part of its administration.
        try store.forEach(Vitals.self) { record in
            guard !record.stamp.isVoid, let session = sessions[record.body.sessionID] else { return }
            add(mapping.observations(record, session: session), record, mapping)
        }
        try store.forEach(DrugScreen.self) { record in
            guard !record.stamp.isVoid, live.contains(record.patientID) else { return }
            add(mapping.observation(record), record, mapping)
        }
        try store.forEach(UseDay.self) { record in
            guard !record.stamp.isVoid, live.contains(record.patientID) else { return }
            add(mapping.observation(record), record, mapping)
        }
    }

    /// A record's resource, and the Provenance of its last amendment if it was amended.
    private mutating func add<Body>(_ resource: FHIRResource, _ record: Versioned<Body>, _ mapping: FHIRMapping) {
        add([resource], record, mapping)
    }

    /// A record written as several resources (vitals: one per measurement), and one Provenance.
    private mutating func add<Body>(_ resources: [FHIRResource], _ record: Versioned<Body>, _ mapping: FHIRMapping) {
        records += 1
        resources.forEach { append($0) }
        if let provenance = mapping.provenance(of: resources, record) { append(provenance) }
    }

    /// Adds a resource once (a practitioner is named by many sessions).
    private mutating func append(_ resource: FHIRResource) {
        guard seen.insert(resource.reference).inserted else { return }
        resources[resource.type, default: []].append(resource)
    }

    /// Every resource, grouped by type in `types` order.
    var all: [FHIRResource] { Self.types.flatMap { resources[$0] ?? [] } }

    // MARK: Writing

    /// The Bundle, streamed one entry at a time; `advance` is called after each.
    func writeBundle(to stream: OutputStream, timestamp: Date, advance: () -> Void) throws {
        let head: FHIRObject = [
            "resourceType": .string("Bundle"),
            "meta": .object(FHIRResource.meta(nil)),
            "type": .string("collection"),
            "timestamp": .string(Timestamp.iso(timestamp)),
        ]
        // The head's members, then "entry": one object per resource, indented as array items.
        let opening = head.value.encoded().dropLast(3)
        let entries = all
        try stream.write(text: opening + (entries.isEmpty ? "\n}\n" : ",\n  \"entry\": [\n"))
        for (index, resource) in entries.enumerated() {
            let entry: FHIRObject = ["fullUrl": .string(resource.fullUrl), "resource": resource.json]
            let text = entry.value.encoded().dropLast().replacingOccurrences(of: "\n", with: "\n    ")
            try stream.write(text: "    " + text + (index + 1 < entries.count ? ",\n" : "\n  ]\n}\n"))
            advance()
        }
    }

    /// One NDJSON file per resource type in `directory` (made 0700 if missing), every file
    /// written completely before any is renamed into place; returns the files' paths.
    func writeNDJSON(to directory: String, overwrite: Bool, advance: () -> Void) throws -> [String] {
        do { try Directories.makePrivate(directory) } catch let error as FileError { throw OutputFile.cliError(error) }
        var files: [OutputFile] = []
        do {
            for type in Self.types {
                let file = try OutputFile(path: directory + "/" + type + ".ndjson", overwrite: overwrite)
                files.append(file)
                for resource in resources[type] ?? [] {
                    try file.write(resource.json.compactEncoded() + "\n")
                    advance()
                }
            }
            for file in files { try file.commit() }
            return files.map(\.path)
        } catch {
            files.forEach { $0.discard() }
            throw error
        }
    }
}
