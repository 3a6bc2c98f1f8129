import KetlogModel

extension KetamineSession: RecordBody {
    public static let kind = RecordKind.session

    /// An allowed unusual dose is named in the audit entry, as `--allow-unusual-dose` was given.
    public var auditDetail: String? { unusualDoseAllowed ? "allow-unusual-dose" : nil }

    public func encode(into writer: inout ByteWriter) {
        writer.string(date.description)
        writer.optionalString(time?.description)
        writer.string(route.rawValue)
        writer.optionalDouble(doseMgPerKg)
        writer.optionalDouble(weightKg)
        writer.double(doseMg)
        writer.optionalInt(durationMin.map(Int64.init))
        writer.string(practitioner)
        writer.optionalString(counselor)
        writer.optionalString(notes)
        writer.strings(adverseEvents)
        writer.bool(unusualDoseAllowed)
        // Format 3: the monitoring fields follow as a tagged block, written only when something
        // was charted; a blob that ends here (every session written before) has none.
        guard !monitoring.isEmpty else { return }
        writer.u8(Self.monitoringTag)
        writer.optionalString(monitoring.lot)
        writer.optionalInt(monitoring.monitoringMin.map(Int64.init))
        writer.optionalInt(monitoring.readyMin.map(Int64.init))
        writer.strings(monitoring.comedications.map(\.rawValue))
    }

    /// Marks the monitoring block after the format-1 fields.
    private static let monitoringTag: UInt8 = 1

    public init(from reader: inout ByteReader) throws {
        let date = try ByteReader.parse(ClinicalDate(iso: try reader.string()))
        let time = try reader.optionalString().map { try ByteReader.parse(ClockTime($0)) }
        let route = try ByteReader.parse(Route(rawValue: try reader.string()))
        let perKg = try reader.optionalDouble()
        let weight = try reader.optionalDouble()
        let doseMg = try reader.double()
        let duration = try reader.optionalInt().map { Int($0) }
        self.init(date: date, time: time, route: route, doseMgPerKg: perKg, weightKg: weight, doseMg: doseMg,
                  durationMin: duration, practitioner: try reader.string(), counselor: try reader.optionalString(),
                  notes: try reader.optionalString(), adverseEvents: try reader.strings(),
                  unusualDoseAllowed: try reader.bool())
        if !reader.isAtEnd {
            guard try reader.u8() == Self.monitoringTag else { throw ByteReader.Malformed() }
            monitoring = SessionMonitoring(lot: try reader.optionalString(), monitoringMin: try reader.optionalInt().map { Int($0) },
                                           readyMin: try reader.optionalInt().map { Int($0) },
                                           comedications: try reader.strings().map { try ByteReader.parse(Comedication(rawValue: $0)) })
        }
    }
}
