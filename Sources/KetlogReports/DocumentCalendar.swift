import KetlogModel
/// A daily calendar in format-neutral terms: one mark per day from `start`, drawn one row per
/// 7 days (text: `#` use, `.` abstinent, blank missing, `+` positive screen; HTML: a heat map).
public struct DocumentCalendar: Sendable {
    public enum Mark: Character, Sendable {
        case use = "#"
        case abstinent = "."
        case missing = " "
        case positiveScreen = "+"

        /// What the mark means, for legends.
        var meaning: String {
            switch self {
            case .use: "use"
            case .abstinent: "abstinent"
            case .missing: "missing"
            case .positiveScreen: "positive screen"
            }
        }
    }

    public var title: String
    /// The date of the first mark.
    public var start: ClinicalDate
    /// The day number (after T0) of the first mark.
    public var firstDay: Int
    public var marks: [Mark]

    /// The legend every format prints.
    static let legend = [Mark.use, .abstinent, .missing, .positiveScreen]
        .map { "\($0 == .missing ? "blank" : String($0.rawValue)) \($0.meaning)" }.joined(separator: ", ")

    /// The marks in rows of 7, each with the date and day number it starts at.
    var weeks: [(date: ClinicalDate, day: Int, marks: ArraySlice<Mark>)] {
        stride(from: 0, to: marks.count, by: 7).map { offset in
            (start.adding(days: offset), firstDay + offset, marks[offset..<min(offset + 7, marks.count)])
        }
    }

    /// The weekday of each column (every row starts 7 days after the one above, so a column is
    /// always the same weekday): "Mon" … "Sun".
    var columnWeekdays: [String] {
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return (0..<7).map { names[start.adding(days: $0).isoWeekday - 1] }
    }

    /// Text rows under a weekday header: `2026-01-06  days 1-7    |# . . +     .|` (at most 44 columns).
    /// A short last row closes right after its last day (`|. . .|`): blank cells past the calendar's
    /// end would read as missing days.
    var textLines: [String] {
        let last = firstDay + marks.count - 1
        let dayWidth = String(last).count * 2 + 1
        let label = { (date: String, days: String) in date + "  days " + Sparkline.pad(days, dayWidth) + "  |" }
        let header = String(repeating: " ", count: label("yyyy-mm-dd", "").count)
            + columnWeekdays.map { String($0.prefix(1)) }.joined(separator: " ")
        return [title + ":", "(" + DocumentCalendar.legend + ")", header] + weeks.map { week in
            let days = "\(week.day)-\(week.day + week.marks.count - 1)"
            return label(week.date.description, days) + week.marks.map { String($0.rawValue) }.joined(separator: " ") + "|"
        }
    }
}
