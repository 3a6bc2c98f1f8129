/// Every field of every clinical record, by the name the import and export files use.
///
/// Rules fail naming a `Field`; the command line shows it as the option that set it
/// (`--weight-kg`) and an import as its column (`weight_kg`). The raw value is that column.
public enum Field: String, CaseIterable, Sendable {
    // Patient
    case code, name
    case birthDate = "birth_date"
    case sex, substances, notes
    // Session
    case patient, date, time, route
    case doseMgPerKg = "dose_mg_per_kg"
    case weightKg = "weight_kg"
    case doseMg = "dose_mg"
    /// The dose as a whole (which of mg or mg/kg, and whether it lies in the route's band).
    case dose
    case durationMin = "duration_min"
    case practitioner, counselor
    case adverseEvents = "adverse_events"
    // Session monitoring (DESIGN "Monitoring")
    case lot
    case monitoringMin = "monitoring_min"
    case readyMin = "ready_min"
    case comedications
    // Score
    case craving
    case useDays = "use_days"
    case windowDays = "window_days"
    case substance
    // Vitals: the session they were taken at, when, and the measurements
    case session
    case sessionDate = "session_date"
    case sessionTime = "session_time"
    case at
    /// Blood pressure as typed, `SYS/DIA` (`--bp`); the file has the two columns below.
    case bp
    case bpSystolic = "bp_systolic"
    case bpDiastolic = "bp_diastolic"
    case heartRate = "heart_rate"
    case spo2
    case respiratoryRate = "respiratory_rate"
    case moaas, cadss, note
    /// The measurements of a vitals record as a whole (at least one is required).
    case measurements
    // Drug screen
    case result, method
    // Daily use: `to` ends a range of days (`day add --to`)
    case used, amount, to
    // Every amendment and void
    case reason
    // A disclosure: who receives the data, and why
    case purpose

    /// The column of an import or export file, and the JSON key.
    public var column: String { rawValue }
}
