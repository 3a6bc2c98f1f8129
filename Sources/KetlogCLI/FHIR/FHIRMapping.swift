import Foundation
import KetlogCrypto
import KetlogModel
import KetlogReports
import KetlogStore

/// Each record kind as FHIR R4 resources: one small function per kind.
///
/// Ids are deterministic — `<store id in hex>-<short record id>` (`…-ses-12`), a practitioner's
/// from a hash of the name, a Provenance's from the record and version it explains — so a second
/// export of the same store gives the same ids, and a receiver updates rather than duplicates.
/// Every reference is relative (`Patient/<id>`) to a resource of the same bundle.
struct FHIRMapping {
    /// The store id in hex.
    let store: String
    /// The clinic's time zone: session times are local clock times, and a FHIR dateTime with a
    /// time needs an offset.
    var timeZone = TimeZone.current

    func id(_ kind: RecordKind, _ id: Int64) -> String { "\(store)-\(kind.shortID(id))" }

    /// A reference to the Patient resource of row `patientID`.
    func subject(_ patientID: Int64) -> JSONValue {
        .object(["reference": .string("Patient/\(id(.patient, patientID))")])
    }

    /// The record id a resource was made from, as an identifier.
    func recordIdentifier(_ kind: RecordKind, _ id: Int64) -> JSONValue {
        .object(["system": .string(FHIRCodes.recordSystem(store: store)), "value": .string(kind.shortID(id))])
    }

    private func version<Body>(_ record: Versioned<Body>) -> (id: Int64, lastUpdated: Date) {
        (record.version, record.stamp.date)
    }

    // MARK: Patient

    func patient(_ record: Versioned<Patient>) -> FHIRResource {
        let patient = record.body
        var members: FHIRObject = [
            "identifier": .objects([
                ["use": .string("usual"), "system": .string(FHIRCodes.patientCodeSystem(store: store)), "value": .string(patient.code)],
                ["system": .string(FHIRCodes.recordSystem(store: store)), "value": .string(record.shortID)],
            ]),
        ]
        if let name = patient.name { members["name"] = .objects([["text": .string(name)]]) }
        // ketlog's sexes are FHIR's administrative genders, spelled the same.
        if let sex = patient.sex { members["gender"] = .string(sex.rawValue) }
        if let birthDate = patient.birthDate { members["birthDate"] = .string(birthDate.description) }
        return FHIRResource("Patient", id: id(.patient, record.id), version: version(record), members)
    }

    // MARK: Practitioner (the performer of a session)

    /// The practitioner or counselor of a session, by name: the same name gives the same id.
    func practitioner(named name: String) throws -> FHIRResource {
        let digest = try SHA256.hash(Array(name.utf8))
        let hex = digest.prefix(8).map { String(format: "%02x", $0) }.joined()
        return FHIRResource("Practitioner", id: "\(store)-prac-\(hex)", ["name": .objects([["text": .string(name)]])])
    }

    // MARK: Session → MedicationAdministration

    func medicationAdministration(_ record: Versioned<KetamineSession>) throws -> FHIRResource {
        let session = record.body
        var performers: [FHIRObject] = [["actor": try performer(session.practitioner)]]
        if let counselor = session.counselor {
            performers.append(["function": .object(["text": .string("counselor")]), "actor": try performer(counselor)])
        }
        var dosage: FHIRObject = [:]
        var text: [String] = []
        if let perKg = session.doseMgPerKg { text.append("\(ClinicalNumber.format(perKg)) mg/kg") }
        if let weight = session.weightKg { text.append("weight \(ClinicalNumber.format(weight)) kg") }
        if let minutes = session.durationMin { text.append("over \(minutes) min") }
        if !text.isEmpty { dosage["text"] = .string(text.joined(separator: ", ")) }
        dosage["route"] = .object(FHIRCodes.route(session.route).concept)
        dosage["dose"] = .object(FHIRCodes.quantity(session.doseMg, "mg"))
        if let minutes = session.durationMin, minutes > 0 {
            dosage["rateQuantity"] = .object(FHIRCodes.quantity(session.doseMg / Double(minutes), "mg/min"))
        }
        var notes: [FHIRObject] = session.notes.map { [["text": .string($0)]] } ?? []
        notes += session.adverseEvents.map { ["text": .string("Adverse event: \($0)")] }
        if session.unusualDoseAllowed { notes.append(["text": .string("Dose outside the usual band, allowed and recorded (--allow-unusual-dose).")]) }

        var members: FHIRObject = [
            "identifier": .array([recordIdentifier(.session, record.id)]),
            "status": .string("completed"),
            "medicationCodeableConcept": .object(FHIRCodes.ketamine.concept),
            "subject": subject(record.patientID),
            "effectiveDateTime": .string(dateTime(session.date, session.time)),
            "performer": .objects(performers),
        ]
        if !notes.isEmpty { members["note"] = .objects(notes) }
        members["dosage"] = .object(dosage)
        return FHIRResource("MedicationAdministration", id: id(.session, record.id), version: version(record), members)
    }

    /// A reference to the Practitioner named `name`, with the name for a reader of the reference.
    private func performer(_ name: String) throws -> JSONValue {
        .object(["reference": .string(try practitioner(named: name).reference), "display": .string(name)])
    }

    /// The practitioners a session names, for the bundle to hold.
    func practitioners(of session: KetamineSession) throws -> [FHIRResource] {
        try ([session.practitioner] + (session.counselor.map { [$0] } ?? [])).map(practitioner(named:))
    }

    // MARK: Score → Observation

    func observation(_ record: Versioned<Score>) -> FHIRResource {
        let score = record.body
        var components: [FHIRObject] = [
            ["code": .object(FHIRCodes.craving.concept), "valueInteger": .int(score.craving)],
            ["code": .object(FHIRCodes.useDays.concept), "valueInteger": .int(score.useDays)],
            ["code": .object(FHIRCodes.windowDays.concept), "valueQuantity": .object(FHIRCodes.quantity(Double(score.windowDays), "d"))],
        ]
        if let substance = score.substance {
            let coding = Coding(system: FHIRCodes.substanceSystem, code: substance.rawValue, display: nil)
            components.append(["code": .object(FHIRCodes.scoreSubstance.concept), "valueCodeableConcept": .object(coding.concept)])
        }
        return FHIRResource("Observation", id: id(.score, record.id), version: version(record), [
            "identifier": .array([recordIdentifier(.score, record.id)]),
            "status": .string(record.version > 1 ? "amended" : "final"),
            "category": .objects([FHIRCodes.survey.concept]),
            "code": .object(FHIRCodes.score.concept),
            "subject": subject(record.patientID),
            "effectiveDateTime": .string(score.date.description),
            "component": .objects(components),
        ])
    }

    // MARK: Vitals → Observations (one per measurement, as the FHIR vital-signs profiles have them)

    /// The observations of one vitals record: the blood pressure panel, heart rate, SpO2,
    /// respiratory rate, MOAA/S and CADSS, each only when measured; each part of the session's
    /// MedicationAdministration and dated at the session, with the moment as an extension.
    func observations(_ record: Versioned<Vitals>, session: KetamineSession) -> [FHIRResource] {
        let vitals = record.body
        let measured = vitals.measurements
        let base = id(.vitals, record.id)
        func observation(_ suffix: String, _ category: Coding, _ code: Coding, _ value: FHIRObject) -> FHIRResource {
            var members: FHIRObject = [
                "extension": .objects([["url": .string(FHIRCodes.vitalsMomentExtension), "valueString": .string(vitals.at.text)]]),
                "identifier": .array([recordIdentifier(.vitals, record.id)]),
                "partOf": .array([.object(["reference": .string("MedicationAdministration/\(id(.session, vitals.sessionID))")])]),
                "status": .string(record.version > 1 ? "amended" : "final"),
                "category": .objects([category.concept]),
                "code": .object(code.concept),
                "subject": subject(record.patientID),
                "effectiveDateTime": .string(dateTime(session.date, session.time)),
            ]
            for (key, member) in value.members { members[key] = member }
            if let note = vitals.note { members["note"] = .objects([["text": .string(note)]]) }
            return FHIRResource("Observation", id: "\(base)-\(suffix)", version: version(record), members)
        }
        func quantity(_ value: Int, _ unit: String) -> FHIRObject { ["valueQuantity": .object(FHIRCodes.quantity(Double(value), unit))] }
        var resources: [FHIRResource] = []
        if let systolic = measured.systolic, let diastolic = measured.diastolic {
            resources.append(observation("bp", FHIRCodes.vitalSigns, FHIRCodes.bloodPressurePanel, ["component": .objects([
                ["code": .object(FHIRCodes.systolic.concept), "valueQuantity": .object(FHIRCodes.quantity(Double(systolic), FHIRCodes.millimetresOfMercury))],
                ["code": .object(FHIRCodes.diastolic.concept), "valueQuantity": .object(FHIRCodes.quantity(Double(diastolic), FHIRCodes.millimetresOfMercury))],
            ])]))
        }
        if let rate = measured.heartRate { resources.append(observation("hr", FHIRCodes.vitalSigns, FHIRCodes.heartRate, quantity(rate, FHIRCodes.perMinute))) }
        if let spo2 = measured.spo2 { resources.append(observation("spo2", FHIRCodes.vitalSigns, FHIRCodes.oxygenSaturation, quantity(spo2, FHIRCodes.percent))) }
        if let rate = measured.respiratoryRate {
            resources.append(observation("rr", FHIRCodes.vitalSigns, FHIRCodes.respiratoryRate, quantity(rate, FHIRCodes.perMinute)))
        }
        if let moaas = measured.moaas { resources.append(observation("moaas", FHIRCodes.survey, FHIRCodes.moaas, ["valueInteger": .int(moaas)])) }
        if let cadss = measured.cadss { resources.append(observation("cadss", FHIRCodes.survey, FHIRCodes.cadss, ["valueInteger": .int(cadss)])) }
        return resources
    }

    // MARK: Drug screen → Observation

    func observation(_ record: Versioned<DrugScreen>) -> FHIRResource {
        let screen = record.body
        var members: FHIRObject = [
            "identifier": .array([recordIdentifier(.screen, record.id)]),
            "status": .string(record.version > 1 ? "amended" : "final"),
            "category": .objects([FHIRCodes.laboratory.concept]),
            "code": .object(FHIRCodes.screen(screen.substance).concept),
            "subject": subject(record.patientID),
            "effectiveDateTime": .string(screen.date.description),
            "valueCodeableConcept": .object(FHIRCodes.screenResult(screen.result).concept),
        ]
        if let method = screen.method { members["method"] = .object(FHIRCodes.screenMethod(method)) }
        return FHIRResource("Observation", id: id(.screen, record.id), version: version(record), members)
    }

    // MARK: Day record → Observation

    func observation(_ record: Versioned<UseDay>) -> FHIRResource {
        let day = record.body
        var components: [FHIRObject] = []
        if let substance = day.substance {
            let coding = Coding(system: FHIRCodes.substanceSystem, code: substance.rawValue, display: nil)
            components.append(["code": .object(FHIRCodes.useDaySubstance.concept), "valueCodeableConcept": .object(coding.concept)])
        }
        if let amount = day.amount { components.append(["code": .object(FHIRCodes.useDayAmount.concept), "valueString": .string(amount)]) }
        var members: FHIRObject = [
            "identifier": .array([recordIdentifier(.day, record.id)]),
            "status": .string(record.version > 1 ? "amended" : "final"),
            "category": .objects([FHIRCodes.socialHistory.concept]),
            "code": .object(FHIRCodes.useDay.concept),
            "subject": subject(record.patientID),
            "effectiveDateTime": .string(day.date.description),
            "valueBoolean": .bool(day.used),
        ]
        if !components.isEmpty { members["component"] = .objects(components) }
        return FHIRResource("Observation", id: id(.day, record.id), version: version(record), members)
    }

    // MARK: Provenance of an amended record

    /// Who amended `resource` (made from `record`) last, when and why; nil for a record never amended.
    func provenance<Body>(of resource: FHIRResource, _ record: Versioned<Body>) -> FHIRResource? {
        provenance(of: [resource], record)
    }

    /// The same for a record written as several resources (vitals): one Provenance naming each.
    func provenance<Body>(of resources: [FHIRResource], _ record: Versioned<Body>) -> FHIRResource? {
        guard record.version > 1, !resources.isEmpty else { return nil }
        let user: FHIRObject = ["system": .string(FHIRCodes.userSystem(store: store)), "value": .string(record.stamp.user)]
        var members: FHIRObject = [
            "target": .array(resources.map(\.referenceValue)),
            "recorded": .string(Timestamp.iso(record.stamp.date)),
            "activity": .object(Coding(system: FHIRCodes.dataOperation, code: "UPDATE", display: "revise").concept),
            // The acting ketlog user, by identifier: a user account is not a resource of the bundle.
            "agent": .objects([[
                "type": .object(Coding(system: FHIRCodes.provenanceParticipantType, code: "author", display: "Author").concept),
                "who": .object(["identifier": .object(user), "display": .string(record.stamp.user)]),
            ]]),
        ]
        if let reason = record.stamp.reason { members["reason"] = .objects([["text": .string(reason)]]) }
        // Named by the record and version (`…-vit-3-v2` for all of a vitals record's resources).
        return FHIRResource("Provenance", id: "\(store)-\(record.shortID)-v\(record.version)", version: version(record), members)
    }

    // MARK: Dates

    /// A FHIR dateTime: the date alone, or with the clinic's local time and its UTC offset.
    func dateTime(_ date: ClinicalDate, _ time: ClockTime?) -> String {
        guard let time else { return date.description }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: time.minutes / 60, minute: time.minutes % 60)
        let offset = calendar.date(from: components).map { timeZone.secondsFromGMT(for: $0) } ?? 0
        let zone = (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60)
        return "\(date.description)T\(time.description):00\(zone)"
    }
}
