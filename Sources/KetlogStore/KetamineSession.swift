/// One ketamine administration with its integration-counseling notes and adverse events.
public struct KetamineSession: RecordBody {
    public static let kind = RecordKind.session

    /// ISO date `YYYY-MM-DD`.
    public var date: String
    /// `HH:MM`, 24-hour clinic time.
    public var time: String?
    /// From `Route`.
    public var route: String
    public var doseMgPerKg: Double?
    public var weightKg: Double?
    /// Total dose; computed from mg/kg × weight when not given.
    public var doseMg: Double
    public var durationMin: Int?
    public var practitioner: String
    public var counselor: String?
    public var notes: String?
    public var adverseEvents: [String]
    /// The dose lay outside the route's band and `--allow-unusual-dose` was given.
    public var unusualDoseAllowed: Bool

    public init(date: String, time: String? = nil, route: String, doseMgPerKg: Double? = nil, weightKg: Double? = nil,
                doseMg: Double, durationMin: Int? = nil, practitioner: String, counselor: String? = nil,
                notes: String? = nil, adverseEvents: [String] = [], unusualDoseAllowed: Bool = false) {
        self.date = date
        self.time = time
        self.route = route
        self.doseMgPerKg = doseMgPerKg
        self.weightKg = weightKg
        self.doseMg = doseMg
        self.durationMin = durationMin
        self.practitioner = practitioner
        self.counselor = counselor
        self.notes = notes
        self.adverseEvents = adverseEvents
        self.unusualDoseAllowed = unusualDoseAllowed
    }

    public func encode(into writer: inout ByteWriter) {
        writer.string(date)
        writer.optionalString(time)
        writer.string(route)
        writer.optionalDouble(doseMgPerKg)
        writer.optionalDouble(weightKg)
        writer.double(doseMg)
        writer.optionalInt(durationMin.map(Int64.init))
        writer.string(practitioner)
        writer.optionalString(counselor)
        writer.optionalString(notes)
        writer.strings(adverseEvents)
        writer.bool(unusualDoseAllowed)
    }

    public init(from reader: inout ByteReader) throws {
        date = try reader.string()
        time = try reader.optionalString()
        route = try reader.string()
        doseMgPerKg = try reader.optionalDouble()
        weightKg = try reader.optionalDouble()
        doseMg = try reader.double()
        durationMin = try reader.optionalInt().map { Int($0) }
        practitioner = try reader.string()
        counselor = try reader.optionalString()
        notes = try reader.optionalString()
        adverseEvents = try reader.strings()
        unusualDoseAllowed = try reader.bool()
    }
}
