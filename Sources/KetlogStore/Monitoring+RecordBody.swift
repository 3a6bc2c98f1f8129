import KetlogModel

extension Vitals: RecordBody {
    public static let kind = RecordKind.vitals

    /// The session (its existence, liveness and patient) is checked by the store before this.
    public static func validate(_ draft: VitalsDraft, owner: Patient?, today: ClinicalDate) throws -> Vitals {
        try draft.validated()
    }

    public func encode(into writer: inout ByteWriter) {
        writer.i64(sessionID)
        writer.string(at.text)
        let m = measurements
        for value in [m.systolic, m.diastolic, m.heartRate, m.spo2, m.respiratoryRate, m.moaas, m.cadss] {
            writer.optionalInt(value.map(Int64.init))
        }
        writer.optionalString(note)
    }

    public init(from reader: inout ByteReader) throws {
        let sessionID = try reader.i64()
        let at = try ByteReader.parse(VitalsMoment(parsing: try reader.string()))
        var values: [Int?] = []
        for _ in 0..<7 { values.append(try reader.optionalInt().map { Int($0) }) }
        let measurements = VitalsMeasurements(systolic: values[0], diastolic: values[1], heartRate: values[2], spo2: values[3],
                                              respiratoryRate: values[4], moaas: values[5], cadss: values[6])
        self.init(sessionID: sessionID, at: at, measurements: measurements, note: try reader.optionalString())
    }
}

extension DrugScreen: RecordBody {
    public static let kind = RecordKind.screen

    public func encode(into writer: inout ByteWriter) {
        writer.string(date.description)
        writer.string(substance.rawValue)
        writer.string(result.rawValue)
        writer.optionalString(method?.rawValue)
    }

    public init(from reader: inout ByteReader) throws {
        let date = try ByteReader.parse(ClinicalDate(iso: try reader.string()))
        let substance = try ByteReader.parse(Substance(rawValue: try reader.string()))
        let result = try ByteReader.parse(ScreenResult(rawValue: try reader.string()))
        let method = try reader.optionalString().map { try ByteReader.parse(ScreenMethod(rawValue: $0)) }
        self.init(date: date, substance: substance, result: result, method: method)
    }
}

extension UseDay: RecordBody {
    public static let kind = RecordKind.day

    public func encode(into writer: inout ByteWriter) {
        writer.string(date.description)
        writer.bool(used)
        writer.optionalString(substance?.rawValue)
        writer.optionalString(amount)
    }

    public init(from reader: inout ByteReader) throws {
        let date = try ByteReader.parse(ClinicalDate(iso: try reader.string()))
        let used = try reader.bool()
        let substance = try reader.optionalString().map { try ByteReader.parse(Substance(rawValue: $0)) }
        self.init(date: date, used: used, substance: substance, amount: try reader.optionalString())
    }
}
