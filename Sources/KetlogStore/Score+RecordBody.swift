import KetlogModel

extension Score: RecordBody {
    public static let kind = RecordKind.score

    public func encode(into writer: inout ByteWriter) {
        writer.string(date.description)
        writer.i64(Int64(craving))
        writer.i64(Int64(useDays))
        writer.i64(Int64(windowDays))
        writer.optionalString(substance?.rawValue)
    }

    public init(from reader: inout ByteReader) throws {
        let date = try ByteReader.parse(ClinicalDate(iso: try reader.string()))
        let craving = Int(try reader.i64())
        let useDays = Int(try reader.i64())
        let windowDays = Int(try reader.i64())
        let substance = try reader.optionalString().map { try ByteReader.parse(Substance(rawValue: $0)) }
        self.init(date: date, craving: craving, useDays: useDays, windowDays: windowDays, substance: substance)
    }
}
