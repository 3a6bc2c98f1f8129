import Foundation

/// UTC timestamps as ISO 8601 (`2026-11-27T09:14:03Z`).
enum Timestamp {
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
