import KetlogModel
/// The weekly report's safety thresholds, each defined once here; the report prints them.
public enum SafetyThresholds {
    /// Pre-dose blood pressure at or above 160/100 (either number).
    public static let preDoseSystolic = 160
    public static let preDoseDiastolic = 100
    /// Any blood pressure at or above 180/110 (either number).
    public static let anySystolic = 180
    public static let anyDiastolic = 110
    /// SpO2 below 92 %.
    public static let lowSpO2 = 92
    /// Heart rate below 50 or above 120.
    public static let lowHeartRate = 50
    public static let highHeartRate = 120
    /// MOAA/S at or below 1 (responds only to a painful stimulus, or not at all).
    public static let deepSedationMOAAS = 1
    /// Intranasal (esketamine REMS): monitored under 120 minutes.
    public static let intranasalMonitoringMin = 120
}

/// One safety alert from a session in the week.
public struct SafetyAlert: Sendable, Hashable {
    public enum Reason: Sendable, Hashable, CaseIterable {
        case preDoseBloodPressure
        case bloodPressure
        case lowSpO2
        case lowHeartRate
        case highHeartRate
        case deepSedation
        case shortIntranasalMonitoring
        case noVitals

        /// The reason with its threshold, as every format prints it.
        public var text: String {
            typealias T = SafetyThresholds
            return switch self {
            case .preDoseBloodPressure: "pre-dose BP >= \(T.preDoseSystolic)/\(T.preDoseDiastolic)"
            case .bloodPressure: "BP >= \(T.anySystolic)/\(T.anyDiastolic)"
            case .lowSpO2: "SpO2 < \(T.lowSpO2)%"
            case .lowHeartRate: "HR < \(T.lowHeartRate)"
            case .highHeartRate: "HR > \(T.highHeartRate)"
            case .deepSedation: "MOAA/S <= \(T.deepSedationMOAAS)"
            case .shortIntranasalMonitoring: "intranasal monitoring < \(T.intranasalMonitoringMin) min"
            case .noVitals: "no vitals recorded"
            }
        }
    }

    /// The session's short id, e.g. `ses-12`.
    public var session: String
    public var patientCode: String
    public var date: ClinicalDate
    public var reason: Reason
    /// When the measurement was taken; nil for session-level reasons.
    public var at: VitalsMoment?
    /// The measured value as text ("182/96", "88", "91%", "95 min"); nil for "no vitals".
    public var value: String?

    /// The alerts of one session: its vitals against the thresholds, its monitoring time, and
    /// whether it has vitals at all. A BP at or above the any-time threshold is reported once,
    /// as that (not also as a pre-dose alert).
    static func alerts(session: ReportSession, patientCode: String, vitals: [ReportVitals]) -> [SafetyAlert] {
        typealias T = SafetyThresholds
        func alert(_ reason: Reason, _ at: VitalsMoment?, _ value: String?) -> SafetyAlert {
            SafetyAlert(session: RecordKind.session.shortID(session.id), patientCode: patientCode, date: session.date,
                        reason: reason, at: at, value: value)
        }
        var out: [SafetyAlert] = []
        if vitals.isEmpty { out.append(alert(.noVitals, nil, nil)) }
        if session.route == Route.intranasal.rawValue, let minutes = session.monitoringMin, minutes < T.intranasalMonitoringMin {
            out.append(alert(.shortIntranasalMonitoring, nil, "\(minutes) min"))
        }
        for v in vitals.sorted(by: { ($0.at.order, $0.id) < ($1.at.order, $1.id) }) {
            let bp = [v.systolic.map(String.init) ?? "?", v.diastolic.map(String.init) ?? "?"].joined(separator: "/")
            if (v.systolic ?? 0) >= T.anySystolic || (v.diastolic ?? 0) >= T.anyDiastolic {
                out.append(alert(.bloodPressure, v.at, bp))
            } else if v.at == .pre, (v.systolic ?? 0) >= T.preDoseSystolic || (v.diastolic ?? 0) >= T.preDoseDiastolic {
                out.append(alert(.preDoseBloodPressure, v.at, bp))
            }
            if let spo2 = v.spo2, spo2 < T.lowSpO2 { out.append(alert(.lowSpO2, v.at, "\(spo2)%")) }
            if let hr = v.heartRate, hr < T.lowHeartRate { out.append(alert(.lowHeartRate, v.at, String(hr))) }
            if let hr = v.heartRate, hr > T.highHeartRate { out.append(alert(.highHeartRate, v.at, String(hr))) }
            if let moaas = v.moaas, moaas <= T.deepSedationMOAAS { out.append(alert(.deepSedation, v.at, String(moaas))) }
        }
        return out
    }

    /// Every threshold in one line, for the report's heading.
    static var thresholdsText: String {
        Reason.allCases.map(\.text).joined(separator: "; ")
    }
}
