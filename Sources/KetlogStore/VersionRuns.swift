import KetlogModel

/// A set of record versions kept as runs of consecutive ids per kind and version, listed in one
/// canonical order: kinds as `RecordKind.allCases`, versions ascending, ids ascending, adjacent
/// runs merged. A `store.rekey` entry names every version in the store in this order, and
/// `audit verify` rebuilds the same list from the entries before it: two sets are equal exactly
/// when their lists are.
struct VersionRuns: Sendable {
    private var runs: [RecordKind: [Int64: [ClosedRange<Int64>]]] = [:]

    /// Adds one version. Ids of one kind and version arriving in ascending order extend the last run.
    mutating func add(_ kind: RecordKind, id: Int64, version: Int64) {
        // Mutated in place (no copy of the list per version added).
        Self.extend(&runs[kind, default: [:]][version, default: []], with: id)
    }

    private static func extend(_ list: inout [ClosedRange<Int64>], with id: Int64) {
        if let last = list.last, last.upperBound + 1 == id {
            list[list.count - 1] = last.lowerBound...id
        } else {
            list.append(id...id)
        }
    }

    /// Adds the versions an audit entry names.
    mutating func add(_ range: AuditEntry.RecordRange) {
        guard range.firstID <= range.lastID else { return }
        runs[range.kind, default: [:]][range.version, default: []].append(range.firstID...range.lastID)
    }

    /// The canonical list. Overlapping runs are kept apart (not merged), so a version named twice
    /// makes the list differ from one that names it once.
    var ranges: [AuditEntry.RecordRange] {
        var result: [AuditEntry.RecordRange] = []
        for kind in RecordKind.allCases {
            guard let byVersion = runs[kind] else { continue }
            for version in byVersion.keys.sorted() {
                var merged: [ClosedRange<Int64>] = []
                for run in byVersion[version]!.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                    if let last = merged.last, last.upperBound + 1 == run.lowerBound {
                        merged[merged.count - 1] = last.lowerBound...run.upperBound
                    } else {
                        merged.append(run)
                    }
                }
                result += merged.map { AuditEntry.RecordRange(kind: kind, firstID: $0.lowerBound, lastID: $0.upperBound, version: version) }
            }
        }
        return result
    }
}
