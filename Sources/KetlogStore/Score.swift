/// A patient-reported check-in: craving 0–10 and days of use in the past `windowDays`.
public struct Score: RecordBody {
    public static let kind = RecordKind.score

    /// ISO date `YYYY-MM-DD`.
    public var date: String
    public var craving: Int
    public var useDays: Int
    public var windowDays: Int
    /// The substance the use days count, when the patient has several.
    public var substance: String?

    public init(date: String, craving: Int, useDays: Int, windowDays: Int = 28, substance: String? = nil) {
        self.date = date
        self.craving = craving
        self.useDays = useDays
        self.windowDays = windowDays
        self.substance = substance
    }

    public func encode(into writer: inout ByteWriter) {
        writer.string(date)
        writer.i64(Int64(craving))
        writer.i64(Int64(useDays))
        writer.i64(Int64(windowDays))
        writer.optionalString(substance)
    }

    public init(from reader: inout ByteReader) throws {
        date = try reader.string()
        craving = Int(try reader.i64())
        useDays = Int(try reader.i64())
        windowDays = Int(try reader.i64())
        substance = try reader.optionalString()
    }
}
