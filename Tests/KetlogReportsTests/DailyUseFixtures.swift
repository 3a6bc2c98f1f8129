import KetlogModel
import KetlogReports

/// Datasets with day records, screens and vitals for the daily-use endpoint and weekly safety tests.
extension Fixtures {
    /// A small deterministic generator, so the random-looking calendars are the same on every run.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// 16 cocaine patients, one iv session each at T0 = 2026-03-02 + i (odd i 0.50 mg/kg, even 0.25),
    /// reported on 2026-05-01 with the default window of 28 days. Patients 1…10 have generated
    /// calendars (about 12 % of days missing, the rest used or abstinent with a per-patient tendency,
    /// some alcohol days mixed in); then one case each:
    /// - D-11: day 5 recorded abstinent and a positive cocaine screen the same day (→ use);
    ///   abstinent every other day.
    /// - D-12: day 3 has two contradictory records (used and abstinent → use); days 1…28 abstinent
    ///   otherwise. Day 9's record was voided: the loader drops it, so it is simply absent (missing).
    /// - D-13: alcohol used on days 1…5 and abstinent-from-cocaine records every day (another
    ///   substance: under `--substance cocaine` the alcohol days do not count).
    /// - D-14: no daily data in the window: records on day 0 and day 29 only and a negative screen on day 10.
    /// - D-15: no day records at all.
    /// - D-16: only alcohol records (with `--substance cocaine`: no daily data), and records without a
    ///   substance on days 20…28 (abstinent), which count under any substance.
    /// A positive alcohol screen on D-01's day 2 counts only without `--substance cocaine`.
    static var dailyCohort: ReportDataset {
        var patients: [ReportPatient] = []
        var sessions: [ReportSession] = []
        var days: [ReportDay] = []
        var screens: [ReportScreen] = []
        var generator = Generator(state: 20_260_302)
        var dayID: Int64 = 1
        func day(_ patient: Int64, _ date: ClinicalDate, _ used: Bool, _ substance: Substance? = .cocaine) {
            days.append(ReportDay(id: dayID, patientID: patient, date: date, substance: substance, used: used))
            dayID += 1
        }
        for i in 1...16 {
            let id = Int64(i)
            let start = date("2026-03-02").adding(days: i)
            patients.append(ReportPatient(id: id, code: String(format: "D-%02d", i),
                                          substances: i == 16 ? ["cocaine", "alcohol"] : ["cocaine"]))
            let perKg = i % 2 == 1 ? 0.5 : 0.25
            sessions.append(ReportSession(id: id, patientID: id, date: start, route: "iv", doseMgPerKg: perKg,
                                          doseMg: perKg * 70, practitioner: "Dr Okafor"))
            if i <= 10 {
                let useTendency = generator.next(45)
                for offset in 1...30 {
                    let roll = generator.next(100)
                    if roll < 12 { continue }
                    // Later days are more often abstinent, so some patients stay abstinent to the end.
                    let used = generator.next(100) < useTendency - offset
                    day(id, start.adding(days: offset), used, generator.next(10) == 0 ? nil : .cocaine)
                    if generator.next(12) == 0 { day(id, start.adding(days: offset), true, .alcohol) }
                }
            }
            switch i {
            case 11:
                for offset in 1...28 { day(id, start.adding(days: offset), false) }
                screens.append(ReportScreen(id: 1, patientID: id, date: start.adding(days: 5), substance: .cocaine,
                                            result: .positive, method: .urine))
            case 12:
                for offset in 1...28 where offset != 9 { day(id, start.adding(days: offset), false) }
                day(id, start.adding(days: 3), true)
            case 13:
                for offset in 1...28 { day(id, start.adding(days: offset), false) }
                for offset in 1...5 { day(id, start.adding(days: offset), true, .alcohol) }
            case 14:
                day(id, start, true)
                day(id, start.adding(days: 29), true)
                screens.append(ReportScreen(id: 2, patientID: id, date: start.adding(days: 10), substance: .cocaine,
                                            result: .negative, method: .saliva))
            case 16:
                for offset in 2...12 { day(id, start.adding(days: offset), offset % 4 == 0, .alcohol) }
                for offset in 20...28 { day(id, start.adding(days: offset), false, nil) }
            default: break
            }
        }
        screens.append(ReportScreen(id: 3, patientID: 1, date: date("2026-03-03").adding(days: 2), substance: .alcohol,
                                    result: .positive, method: .breath))
        screens.append(ReportScreen(id: 4, patientID: 11, date: date("2026-03-13").adding(days: 9), substance: .cocaine,
                                    result: .invalid, method: .urine))
        return ReportDataset(patients: patients, sessions: sessions, scores: [], days: days, screens: screens,
                             audit: audit, today: date("2026-05-01"))
    }

    /// `dailyCohort` (today 2026-05-01) plus five patients started recently, whose 28-day windows
    /// end on or after today; no record is dated after today (the store refuses future dates):
    /// - D-17: T0 2026-04-21 (10 days observed): used on day 4, abstinent on days 1…3 and 5…10.
    /// - D-18: T0 2026-04-16 (15 days observed): abstinent on every day 1…15, never used.
    /// - D-19: T0 2026-04-25 (6 days observed): abstinent on days 1, 2, 4, 5; days 3 and 6 missing.
    /// - D-20: T0 today: no day of the window observed yet.
    /// - D-21: T0 2026-04-03, so T0 + 28 is today: the window is just complete (day 28 is today).
    /// D-17, D-19 and D-21 are at 0.50 mg/kg, D-18 and D-20 at 0.25.
    static var dailyCohortLive: ReportDataset {
        var dataset = dailyCohort
        var dayID: Int64 = 10_000
        func add(_ i: Int64, start: String, perKg: Double, abstinent: [Int], used: [Int] = []) {
            let start = date(start)
            dataset.patients.append(ReportPatient(id: i, code: "D-\(i)", substances: ["cocaine"]))
            dataset.sessions.append(ReportSession(id: i, patientID: i, date: start, route: "iv", doseMgPerKg: perKg,
                                                  doseMg: perKg * 70, practitioner: "Dr Okafor"))
            for (days, flag) in [(abstinent, false), (used, true)] {
                for day in days {
                    dataset.days.append(ReportDay(id: dayID, patientID: i, date: start.adding(days: day), substance: .cocaine,
                                                  used: flag))
                    dayID += 1
                }
            }
        }
        add(17, start: "2026-04-21", perKg: 0.5, abstinent: [1, 2, 3] + Array(5...10), used: [4])
        add(18, start: "2026-04-16", perKg: 0.25, abstinent: Array(1...15))
        add(19, start: "2026-04-25", perKg: 0.5, abstinent: [1, 2, 4, 5])
        add(20, start: "2026-05-01", perKg: 0.25, abstinent: [])
        add(21, start: "2026-04-03", perKg: 0.5, abstinent: Array(1...28).filter { $0 != 20 }, used: [20])
        return dataset
    }

    /// `dailyCohort` plus what the patient report shows for D-01 (a generated calendar with use,
    /// abstinent and missing days and a positive alcohol screen on day 2): a second, intranasal
    /// session with lot, monitoring minutes and a co-medication, and vitals during both sessions.
    static var dailyPatient: ReportDataset {
        var dataset = dailyCohort
        dataset.sessions[0].lot = "KX-2291"
        dataset.sessions[0].monitoringMin = 95
        dataset.sessions[0].readyMin = 80
        dataset.sessions.append(ReportSession(id: 40, patientID: 1, date: date("2026-03-10"), route: "intranasal",
                                              doseMgPerKg: nil, doseMg: 56, practitioner: "Dr Haddad", lot: "ES-0413",
                                              monitoringMin: 110, readyMin: 100, comedications: [.benzodiazepine]))
        dataset.vitals = [
            ReportVitals(id: 1, sessionID: 1, patientID: 1, at: .pre, systolic: 132, diastolic: 84, heartRate: 72, spo2: 98),
            ReportVitals(id: 2, sessionID: 1, patientID: 1, at: .minutes(40), systolic: 151, diastolic: 92, heartRate: 88,
                         spo2: 97, respiratoryRate: 14, moaas: 4, cadss: 18),
            ReportVitals(id: 3, sessionID: 1, patientID: 1, at: .discharge, systolic: 128, diastolic: 80, heartRate: 70,
                         moaas: 5, cadss: 2),
            ReportVitals(id: 4, sessionID: 40, patientID: 1, at: .pre, systolic: 162, diastolic: 96, heartRate: 80, spo2: 99),
            ReportVitals(id: 5, sessionID: 40, patientID: 1, at: .minutes(40), systolic: 170, diastolic: 102, spo2: 91,
                         moaas: 3, cadss: 31),
        ]
        return dataset
    }

    /// 2026-W12 (16–22 March 2026), reported on Monday 23 March: one session per threshold case,
    /// each vitals value on a boundary (one just inside, one just outside), plus screens.
    /// Sessions (ses-N, patient S-N): see `WeeklySafetyTests` for the expected alert of each.
    static var weeklySafety: ReportDataset {
        let monday = date("2026-03-16")
        var patients: [ReportPatient] = []
        var sessions: [ReportSession] = []
        var vitals: [ReportVitals] = []
        var vitalsID: Int64 = 1
        func session(_ id: Int64, route: String = "iv", monitoring: Int? = nil, day: Int = 1,
                     _ measurements: [(VitalsMoment, Int?, Int?, Int?, Int?, Int?)]) {
            patients.append(ReportPatient(id: id, code: String(format: "S-%02d", id), substances: ["opioids"]))
            sessions.append(ReportSession(id: id, patientID: id, date: monday.adding(days: day), route: route,
                                          doseMgPerKg: route == "intranasal" ? nil : 0.5, doseMg: 56, practitioner: "Dr Haddad",
                                          monitoringMin: monitoring))
            for (at, systolic, diastolic, hr, spo2, moaas) in measurements {
                vitals.append(ReportVitals(id: vitalsID, sessionID: id, patientID: id, at: at, systolic: systolic,
                                           diastolic: diastolic, heartRate: hr, spo2: spo2, moaas: moaas))
                vitalsID += 1
            }
        }
        session(1, [(.pre, 159, 99, 70, 96, 5), (.minutes(40), 179, 109, 50, 92, 2), (.discharge, 120, 80, 120, 95, 5)])
        session(2, [(.pre, 160, 80, 70, 96, 5)])
        session(3, [(.pre, 130, 100, 70, 96, 5)])
        session(4, [(.minutes(40), 180, 90, 70, 96, 4)])
        session(5, [(.discharge, 140, 110, 70, 96, 5)])
        session(6, [(.pre, 185, 112, 70, 96, 5)])
        session(7, [(.minutes(30), nil, nil, nil, 91, nil)])
        session(8, [(.minutes(30), nil, nil, 49, nil, nil), (.minutes(60), nil, nil, 121, nil, nil)])
        session(9, [(.minutes(30), nil, nil, nil, nil, 1), (.minutes(60), nil, nil, nil, nil, 0)])
        session(10, route: "intranasal", monitoring: 120, [(.pre, 120, 80, 70, 97, 5)])
        session(11, route: "intranasal", monitoring: 119, [(.pre, 120, 80, 70, 97, 5)])
        session(12, route: "intranasal", monitoring: nil, [(.pre, 120, 80, 70, 97, 5)])
        session(13, route: "iv", monitoring: 60, [(.pre, 120, 80, 70, 97, 5)])
        session(14, [])
        // Outside the week: alarming values that must not be reported.
        session(15, day: -3, [(.pre, 200, 120, 30, 80, 0)])
        session(16, day: 7, [])
        let screens = [
            ReportScreen(id: 1, patientID: 1, date: monday, substance: .opioids, result: .positive, method: .urine),
            ReportScreen(id: 2, patientID: 2, date: monday.adding(days: 6), substance: .cocaine, result: .positive, method: nil),
            ReportScreen(id: 3, patientID: 3, date: monday.adding(days: 2), substance: .opioids, result: .negative, method: .urine),
            ReportScreen(id: 4, patientID: 4, date: monday.adding(days: 3), substance: .opioids, result: .invalid, method: .saliva),
            ReportScreen(id: 5, patientID: 5, date: monday.adding(days: -1), substance: .opioids, result: .positive, method: .urine),
            ReportScreen(id: 6, patientID: 6, date: monday.adding(days: 7), substance: .opioids, result: .positive, method: .urine),
        ]
        return ReportDataset(patients: patients, sessions: sessions, scores: [], screens: screens, vitals: vitals,
                             audit: audit, today: date("2026-03-23"))
    }

    /// The shape of the 2019 trial (Dakwar et al.): two dose groups, 27 patients at 0.50 mg/kg of whom
    /// 13 are abstinent on every day 15…28, and 28 at 0.10 mg/kg of whom 3 are. Every patient has a
    /// record on every day 1…28; the others use on one day in 15…28 (and everyone uses on day 1…3).
    static var trialShape: ReportDataset {
        var patients: [ReportPatient] = []
        var sessions: [ReportSession] = []
        var days: [ReportDay] = []
        for i in 1...55 {
            let id = Int64(i)
            let ketamine = i <= 27
            let abstinentAtEnd = ketamine ? i <= 13 : i - 27 <= 3
            let start = date("2026-01-05").adding(days: i % 7)
            patients.append(ReportPatient(id: id, code: String(format: "T-%02d", i), substances: ["cocaine"]))
            sessions.append(ReportSession(id: id, patientID: id, date: start, route: "iv", doseMgPerKg: ketamine ? 0.5 : 0.1,
                                          doseMg: ketamine ? 35 : 7, practitioner: "Dr Lindqvist"))
            let useDay = 15 + i % 14
            for offset in 1...28 {
                let used = offset == 1 + i % 3 || (!abstinentAtEnd && offset == useDay)
                days.append(ReportDay(id: Int64(i * 100 + offset), patientID: id, date: start.adding(days: offset),
                                      substance: .cocaine, used: used))
            }
        }
        return ReportDataset(patients: patients, sessions: sessions, scores: [], days: days, audit: audit,
                             today: date("2026-04-01"))
    }
}
