import Foundation

/// A calendar date as a count of days since 1970-01-01 (proleptic Gregorian, UTC). The
/// conversions go through the C library's `timegm`/`gmtime_r` rather than a date algorithm of
/// our own (ketlog-synth depends only on Foundation, so it cannot share KetlogReports' one).
struct CivilDay: Comparable, Hashable {
    static let secondsPerDay = 86_400

    var number: Int

    init(number: Int) { self.number = number }

    /// Parses strict `YYYY-MM-DD` of a day that exists; nil otherwise.
    init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
        guard components == (y, m, d) else { return nil }
    }

    init(year: Int, month: Int, day: Int) {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        // Midnight UTC is an exact multiple of a day, so the division is exact for days before 1970 too.
        number = Int(timegm(&parts)) / Self.secondsPerDay
    }

    var components: (year: Int, month: Int, day: Int) {
        var seconds = time_t(number * Self.secondsPerDay)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }

    func adding(_ days: Int) -> CivilDay { CivilDay(number: number + days) }

    static func < (a: CivilDay, b: CivilDay) -> Bool { a.number < b.number }
}
