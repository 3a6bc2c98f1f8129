import KetlogModel
import KetlogReports

/// Every code system, code and URI the FHIR export writes, in one place.
///
/// ketlog's own systems live under `https://ketlog.invalid/fhir/` (`.invalid` is reserved by
/// RFC 2606 and names no server): codes that no standard terminology holds, such as "use days
/// in a window of 28", and the base of the bundle's `fullUrl`s, so that a relative reference
/// (`Patient/<id>`) resolves to an entry of the same bundle.
enum FHIRCodes {
    static let ketlogBase = "https://ketlog.invalid/fhir"
    /// `Bundle.entry.fullUrl` is `<base>/<ResourceType>/<id>`.
    static let fullUrlBase = ketlogBase
    /// `Patient.identifier.system` for the clinic's patient codes: one namespace per store.
    static func patientCodeSystem(store: String) -> String { "\(ketlogBase)/store/\(store)/patient-code" }
    /// `identifier.system` of a ketlog user (the agent of a Provenance).
    static func userSystem(store: String) -> String { "\(ketlogBase)/store/\(store)/user" }
    /// `identifier.system` of the record id a resource was made from (`ses-12`).
    static func recordSystem(store: String) -> String { "\(ketlogBase)/store/\(store)/record" }

    // MARK: Terminologies

    static let snomed = "http://snomed.info/sct"
    static let loinc = "http://loinc.org"
    static let rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"
    static let ucum = "http://unitsofmeasure.org"
    static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    static let dataOperation = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
    static let provenanceParticipantType = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"

    // MARK: 42 CFR Part 2 security labels (on every resource's meta.security)

    static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    static let confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
    static let part2 = Coding(system: actCode, code: "42CFRPart2", display: "42 CFR Part2")
    static let restricted = Coding(system: confidentiality, code: "R", display: "restricted")

    // MARK: Sessions (MedicationAdministration)

    /// RxNorm ingredient ketamine.
    static let ketamine = Coding(system: rxnorm, code: "6130", display: "ketamine")

    /// The route in SNOMED CT.
    static func route(_ route: Route) -> Coding {
        switch route {
        case .iv: return Coding(system: snomed, code: "47625008", display: "Intravenous route")
        case .im: return Coding(system: snomed, code: "78421000", display: "Intramuscular route")
        case .intranasal: return Coding(system: snomed, code: "46713006", display: "Nasal route")
        case .oral: return Coding(system: snomed, code: "26643006", display: "Oral route")
        case .sublingual: return Coding(system: snomed, code: "37839007", display: "Sublingual route")
        case .subcutaneous: return Coding(system: snomed, code: "34206005", display: "Subcutaneous route")
        }
    }

    // MARK: Scores (Observation, ketlog code system: LOINC has no "use days of 28")

    static let scoreSystem = "\(ketlogBase)/CodeSystem/score"
    static let score = Coding(system: scoreSystem, code: "score", display: "Patient-reported craving and use days")
    static let craving = Coding(system: scoreSystem, code: "craving", display: "Craving, 0 to 10")
    static let useDays = Coding(system: scoreSystem, code: "use-days", display: "Days of use in the window")
    static let windowDays = Coding(system: scoreSystem, code: "window-days", display: "Window of the use-day count")
    static let scoreSubstance = Coding(system: scoreSystem, code: "substance", display: "Substance the score is about")
    static let substanceSystem = "\(ketlogBase)/CodeSystem/substance"

    static let survey = Coding(system: observationCategory, code: "survey", display: "Survey")
    static let vitalSigns = Coding(system: observationCategory, code: "vital-signs", display: "Vital Signs")
    static let laboratory = Coding(system: observationCategory, code: "laboratory", display: "Laboratory")

    // MARK: Vitals (Observation; LOINC), for the vitals record kind

    static let bloodPressurePanel = Coding(system: loinc, code: "85354-9", display: "Blood pressure panel with all children optional")
    static let systolic = Coding(system: loinc, code: "8480-6", display: "Systolic blood pressure")
    static let diastolic = Coding(system: loinc, code: "8462-4", display: "Diastolic blood pressure")
    static let heartRate = Coding(system: loinc, code: "8867-4", display: "Heart rate")
    static let oxygenSaturation = Coding(system: loinc, code: "59408-5", display: "Oxygen saturation in Arterial blood by Pulse oximetry")
    static let respiratoryRate = Coding(system: loinc, code: "9279-1", display: "Respiratory rate")
    /// UCUM units of the vitals: mm[Hg], /min, %.
    static let millimetresOfMercury = "mm[Hg]"
    static let perMinute = "/min"
    static let percent = "%"

    // MARK: Sedation and dissociation (Observation; no LOINC code for either scale)

    static let assessmentSystem = "\(ketlogBase)/CodeSystem/assessment"
    static let moaas = Coding(system: assessmentSystem, code: "moaas",
                              display: "Modified Observer's Assessment of Alertness/Sedation (5 awake to 0 unresponsive)")
    static let cadss = Coding(system: assessmentSystem, code: "cadss",
                              display: "Clinician-Administered Dissociative States Scale, total (0 to 92)")
    /// The extension naming when in a session a measurement was taken: `pre`, minutes after
    /// the first dose, or `discharge`.
    static let vitalsMomentExtension = "\(ketlogBase)/StructureDefinition/vitals-moment"

    // MARK: Drug screens (Observation, laboratory)

    static let screenSystem = "\(ketlogBase)/CodeSystem/drug-screen"
    /// The screen's code: the substance screened for, in ketlog's substance vocabulary.
    static func screen(_ substance: Substance) -> Coding {
        Coding(system: screenSystem, code: substance.rawValue, display: "\(substance.rawValue) screen")
    }
    /// The result in SNOMED CT.
    static func screenResult(_ result: ScreenResult) -> Coding {
        switch result {
        case .positive: return Coding(system: snomed, code: "10828004", display: "Positive")
        case .negative: return Coding(system: snomed, code: "260385009", display: "Negative")
        case .invalid: return Coding(system: snomed, code: "125154007", display: "Specimen unsatisfactory for evaluation")
        }
    }
    /// The specimen, as the Observation's method text.
    static func screenMethod(_ method: ScreenMethod) -> FHIRObject { ["text": .string("\(method.rawValue) screen")] }

    // MARK: Daily use (Observation; the Timeline Followback calendar)

    static let dailyUseSystem = "\(ketlogBase)/CodeSystem/daily-use"
    static let useDay = Coding(system: dailyUseSystem, code: "use-day", display: "Substance used on the day (Timeline Followback)")
    static let useDaySubstance = Coding(system: dailyUseSystem, code: "substance", display: "Substance the day is about")
    static let useDayAmount = Coding(system: dailyUseSystem, code: "amount", display: "Amount used, as recorded")
    static let socialHistory = Coding(system: observationCategory, code: "social-history", display: "Social History")

    /// A UCUM quantity.
    static func quantity(_ value: Double, _ unit: String) -> FHIRObject {
        ["value": .number(value), "unit": .string(unit), "system": .string(ucum), "code": .string(unit)]
    }
}

/// One coding: system, code and display.
struct Coding {
    let system: String
    let code: String
    let display: String?

    var json: FHIRObject {
        var coding: FHIRObject = ["system": .string(system), "code": .string(code)]
        if let display { coding["display"] = .string(display) }
        return coding
    }

    /// A CodeableConcept holding this coding.
    var concept: FHIRObject { ["coding": .objects([json])] }
}
