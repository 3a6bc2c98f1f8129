import Foundation
import KetlogReports

/// A JSON object whose members keep the order they were added in (FHIR's own order, so that
/// an export is byte-for-byte stable). Assigning nil leaves a member out: FHIR has no nulls.
struct FHIRObject: ExpressibleByDictionaryLiteral {
    private(set) var members: [(String, JSONValue)] = []

    init(dictionaryLiteral elements: (String, JSONValue)...) { members = elements }

    subscript(key: String) -> JSONValue? {
        get { members.first { $0.0 == key }?.1 }
        set {
            members.removeAll { $0.0 == key }
            if let newValue { members.append((key, newValue)) }
        }
    }

    var value: JSONValue { .object(members) }
}

extension JSONValue {
    /// A nested FHIR object.
    static func object(_ object: FHIRObject) -> JSONValue { object.value }
    /// A list of FHIR objects.
    static func objects(_ objects: [FHIRObject]) -> JSONValue { .array(objects.map(\.value)) }
}

/// One FHIR R4 resource of the export: its type, a deterministic id, and its members.
struct FHIRResource {
    let type: String
    let id: String
    /// `meta.versionId` and `meta.lastUpdated`, when the resource comes from a versioned record.
    var version: (id: Int64, lastUpdated: Date)?
    /// Everything after `resourceType`, `id` and `meta`.
    var members: FHIRObject

    init(_ type: String, id: String, version: (id: Int64, lastUpdated: Date)? = nil, _ members: FHIRObject) {
        (self.type, self.id, self.version, self.members) = (type, id, version, members)
    }

    /// `<ResourceType>/<id>`: relative, so it resolves against the bundle's `fullUrl` base.
    var reference: String { "\(type)/\(id)" }

    /// A Reference to this resource.
    var referenceValue: JSONValue { .object(["reference": .string(reference)]) }

    var fullUrl: String { "\(FHIRCodes.fullUrlBase)/\(reference)" }

    /// The resource as JSON, with the 42 CFR Part 2 security labels in `meta.security`.
    var json: JSONValue {
        var object: FHIRObject = ["resourceType": .string(type), "id": .string(id), "meta": .object(FHIRResource.meta(version))]
        for (key, value) in members.members { object[key] = value }
        return object.value
    }

    /// `meta` of every resource ketlog writes, the bundle included.
    static func meta(_ version: (id: Int64, lastUpdated: Date)?) -> FHIRObject {
        var meta: FHIRObject = [:]
        if let version {
            meta["versionId"] = .string(String(version.id))
            meta["lastUpdated"] = .string(Timestamp.iso(version.lastUpdated))
        }
        meta["security"] = .objects([FHIRCodes.part2.json, FHIRCodes.restricted.json])
        return meta
    }
}
