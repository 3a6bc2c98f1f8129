import KetlogModel

/// An ISO 8601 week: Monday to Sunday, numbered 1...52 or 53 within its week-numbering year.
///
/// Week 1 is the week holding the year's first Thursday, so 2026-12-31 lies in 2026-W53 and
/// 2024-12-30 in 2025-W01. The text form is `YYYY-Www`.
public struct ISOWeek: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Week-numbering year (can differ from the calendar year of some of its days).
    public let year: Int
    /// Week number, 1...52 or 53.
    public let week: Int

    /// Creates a week, or nil when the year has no such week (e.g. 2025-W53).
    public init?(year: Int, week: Int) {
        guard (1...9998).contains(year), (1...ISOWeek.weeksInYear(year)).contains(week) else { return nil }
        self.year = year
        self.week = week
    }

    init(uncheckedYear year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    /// Parses `YYYY-Www` (e.g. `2026-W07`); the week must exist in that year.
    public init?(iso text: String) {
        let chars = Array(text)
        let digitsAt = [0, 1, 2, 3, 6, 7]
        guard chars.count == 8, chars[4] == "-", chars[5] == "W" || chars[5] == "w",
              digitsAt.allSatisfy({ chars[$0].isASCII && chars[$0].isNumber }),
              let y = Int(String(chars[0..<4])), let w = Int(String(chars[6..<8]))
        else { return nil }
        self.init(year: y, week: w)
    }

    /// The week's Monday.
    public var monday: ClinicalDate {
        // 4 January is always in week 1.
        let january4 = ClinicalDate(year: year, month: 1, day: 4)!
        return january4.adding(days: 1 - january4.isoWeekday + 7 * (week - 1))
    }

    /// The week's Sunday.
    public var sunday: ClinicalDate { monday.adding(days: 6) }

    /// Whether `date` lies in this week (Monday through Sunday).
    public func contains(_ date: ClinicalDate) -> Bool {
        date >= monday && date <= sunday
    }

    /// The week before this one.
    public var previous: ISOWeek { monday.adding(days: -7).isoWeek }

    /// `YYYY-Www`.
    public var description: String {
        let w = week < 10 ? "0\(week)" : "\(week)"
        return "\(year)-W\(w)"
    }

    /// 53 when 1 January is a Thursday, or a Wednesday in a leap year; otherwise 52.
    public static func weeksInYear(_ year: Int) -> Int {
        guard let january1 = ClinicalDate(year: year, month: 1, day: 1) else { return 52 }
        let weekday = january1.isoWeekday
        return weekday == 4 || (weekday == 3 && ClinicalDate.isLeapYear(year)) ? 53 : 52
    }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool {
        (lhs.year, lhs.week) < (rhs.year, rhs.week)
    }
}

extension ClinicalDate {
    /// The ISO 8601 week this date belongs to (which may be numbered in the next or previous year).
    public var isoWeek: ISOWeek {
        // The week's Thursday decides the week-numbering year.
        let thursday = adding(days: 4 - isoWeekday)
        let firstThursdayOrdinal = thursday.dayOfYear
        return ISOWeek(uncheckedYear: thursday.year, week: (firstThursdayOrdinal - 1) / 7 + 1)
    }
}
