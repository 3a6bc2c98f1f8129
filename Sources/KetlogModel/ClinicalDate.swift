import Foundation

/// A calendar day in the clinic's local calendar (proleptic Gregorian), without time or zone.
///
/// Reports compare days, never instants, so a date is three integers. `YYYY-MM-DD` is the only
/// text form. Day arithmetic goes through a day count since 1970-01-01 (Hinnant's civil-date
/// algorithm), so no calendar object and no clock is involved.
public struct ClinicalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `year << 9 | month << 5 | day`: four bytes, ordered like the date. A cohort holds a date
    /// per score, and a million scores must fit the memory budget.
    private let packed: UInt32

    /// Four-digit year, 1...9999.
    public var year: Int { Int(packed >> 9) }
    /// Month, 1...12.
    public var month: Int { Int((packed >> 5) & 0xF) }
    /// Day of the month, 1...28/29/30/31.
    public var day: Int { Int(packed & 0x1F) }

    /// Years outside 0...9999 (only reachable by absurd day arithmetic) are clamped, never a trap.
    private init(packing year: Int, _ month: Int, _ day: Int) {
        packed = UInt32(min(max(year, 0), 9999)) << 9 | UInt32(month) << 5 | UInt32(day)
    }

    /// Creates a date, or returns nil when the day does not exist (2026-02-29, month 13, …).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...ClinicalDate.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.init(packing: year, month, day)
    }

    /// Parses exactly `YYYY-MM-DD`; anything else (missing zero padding, times, spaces) is nil.
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Creates the date `days` days after 1970-01-01 (negative: before).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(packing: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> ClinicalDate {
        ClinicalDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Whole days from `other` to `self` (positive when `self` is later).
    public func days(since other: ClinicalDate) -> Int {
        daysSinceEpoch - other.daysSinceEpoch
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let r = (daysSinceEpoch + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// Ordinal day in the year, 1...366.
    public var dayOfYear: Int {
        days(since: ClinicalDate(year: year, month: 1, day: 1)!) + 1
    }

    /// `YYYY-MM-DD`.
    /// `YYYY-MM-DD` (the year is 0...9999), written digit by digit: every sealed record holds a
    /// date as text, so an import of a million rows writes a million of these.
    public var description: String {
        let (year, month, day) = (year, month, day)
        return String(unsafeUninitializedCapacity: 10) { out in
            func put(_ value: Int, at offset: Int, digits: Int) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    out[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, at: 0, digits: 4)
            out[4] = UInt8(ascii: "-")
            put(month, at: 5, digits: 2)
            out[7] = UInt8(ascii: "-")
            put(day, at: 8, digits: 2)
            return 10
        }
    }

    public static func < (lhs: ClinicalDate, rhs: ClinicalDate) -> Bool {
        lhs.packed < rhs.packed
    }

    /// Whether `year` has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Today in the clinic's local calendar. `KETLOG_TODAY=YYYY-MM-DD` fixes it, so that
    /// "not in the future", the weekly report's `last` week and overdue patients are
    /// reproducible; a value that is not a date is ignored.
    ///
    /// The local day comes from the C library (`TZ`, else /etc/localtime, as Foundation's
    /// `TimeZone.current`): a Foundation `Calendar` would start ICU, about 2 M instructions of a
    /// `score add` (BENCHMARKS.md, "Start-up profile").
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> ClinicalDate {
        if let value = environment["KETLOG_TODAY"], let fixed = ClinicalDate(iso: value) { return fixed }
        var now = time(nil)
        var local = tm()
        tzset()
        guard localtime_r(&now, &local) != nil,
              let date = ClinicalDate(year: Int(local.tm_year) + 1900, month: Int(local.tm_mon) + 1, day: Int(local.tm_mday))
        else { return ClinicalDate(daysSinceEpoch: Int(now / 86_400)) }
        return date
    }
}
