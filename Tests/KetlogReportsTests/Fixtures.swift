import KetlogModel
import Foundation
import KetlogReports

/// Datasets built in code for the report tests. Each one's shape is written out so the expected
/// numbers in the tests can be checked by hand.
enum Fixtures {
    static let audit = AuditStatus(verified: true, head: "4f2a9c01d3b8e677", entries: 97)

    static func date(_ text: String) -> ClinicalDate {
        guard let date = ClinicalDate(iso: text) else { fatalError("bad fixture date \(text)") }
        return date
    }

    /// (a) Eight cocaine patients, one IV infusion each: P-0001…P-0004 at 0.41 mg/kg, P-0005…P-0008 at
    /// 0.71 mg/kg. Baselines 20,24,21,23 | 22,25,19,22 (mean 22); four-week follow-ups 4,6,3,7 | 5,8,2,5
    /// (mean 5), all with 28-day windows. T0 is 2026-01-05 + i days. Baseline scores sit on T0 itself
    /// for odd patients and 3 days before for even ones; follow-ups at T0+28, except P-0003 (T0+30)
    /// and P-0006 (T0+25). P-0001 also has check-ins at T0+7, T0+14 and T0+42 (outside the window),
    /// and P-0001's follow-up week includes one 14-day-window score converted to per-28.
    static var cocaineCohort: ReportDataset {
        let baselines = [20, 24, 21, 23, 22, 25, 19, 22]
        let followUps = [4, 6, 3, 7, 5, 8, 2, 5]
        let followUpDay = [28, 28, 30, 28, 28, 25, 28, 28]
        let weights = [70.0, 82.0, 64.0, 91.0, 58.0, 77.0, 85.0, 69.0]
        var patients: [ReportPatient] = []
        var sessions: [ReportSession] = []
        var scores: [ReportScore] = []
        var scoreID: Int64 = 1
        func score(_ patient: Int64, _ date: ClinicalDate, craving: Int, useDays: Int, window: Int = 28) {
            scores.append(ReportScore(id: scoreID, patientID: patient, date: date, craving: craving, useDays: useDays,
                                      windowDays: window, substance: "cocaine"))
            scoreID += 1
        }
        for i in 0..<8 {
            let id = Int64(i + 1)
            let start = date("2026-01-05").adding(days: i)
            let perKg = i < 4 ? 0.41 : 0.71
            patients.append(ReportPatient(id: id, code: "P-000\(i + 1)", substances: ["cocaine"]))
            sessions.append(ReportSession(id: id, patientID: id, date: start, route: "iv", doseMgPerKg: perKg,
                                          doseMg: (perKg * weights[i] * 10).rounded() / 10,
                                          practitioner: i % 2 == 0 ? "Dr Okafor" : "Dr Lindqvist"))
            score(id, start.adding(days: i % 2 == 0 ? 0 : -3), craving: 7 + i % 3, useDays: baselines[i])
            score(id, start.adding(days: followUpDay[i]), craving: 2 + i % 3, useDays: followUps[i])
        }
        // P-0001's extra check-ins: days 7 and 14 (before the window), 42 (after it); a zero run of 2.
        score(1, date("2026-01-12"), craving: 5, useDays: 6, window: 14)
        score(1, date("2026-01-19"), craving: 3, useDays: 0)
        score(1, date("2026-02-16"), craving: 2, useDays: 0)
        return ReportDataset(patients: patients, sessions: sessions, scores: scores, audit: audit,
                             today: date("2026-03-02"))
    }

    /// (b) 27 treated patients, each with a baseline on T0 and a follow-up at T0+28; patients 1…13 report
    /// 0 use days at follow-up, 14…27 report 1…5. 13/27 = 48.148…%.
    static var abstinenceCohort: ReportDataset {
        var patients: [ReportPatient] = []
        var sessions: [ReportSession] = []
        var scores: [ReportScore] = []
        for i in 1...27 {
            let id = Int64(i)
            let start = date("2026-02-02").adding(days: i % 5)
            patients.append(ReportPatient(id: id, code: String(format: "A-%03d", i), substances: [i % 3 == 0 ? "alcohol" : "opioids"]))
            sessions.append(ReportSession(id: id, patientID: id, date: start, route: i % 2 == 0 ? "im" : "intranasal",
                                          doseMgPerKg: i % 2 == 0 ? 0.5 : nil, doseMg: i % 2 == 0 ? 35 : 56,
                                          practitioner: "Dr Haddad"))
            scores.append(ReportScore(id: 2 * id, patientID: id, date: start, craving: 8, useDays: 10 + i % 15, windowDays: 28))
            scores.append(ReportScore(id: 2 * id + 1, patientID: id, date: start.adding(days: 28), craving: 3,
                                      useDays: i <= 13 ? 0 : 1 + i % 5, windowDays: 28))
        }
        return ReportDataset(patients: patients, sessions: sessions, scores: scores, audit: audit,
                             today: date("2026-04-01"))
    }

    /// (a) plus a week of activity in 2026-W07 (9–15 Feb 2026), reported on Monday 2026-02-16:
    /// P-0009 starts treatment on 10 Feb (intranasal 56 mg) and 12 Feb (iv 0.5 mg/kg); P-0002 gets a
    /// second infusion on 11 Feb; P-0009 scores craving 6 → 8 and use 10 → 12 (alert); two amendments
    /// and one void dated in the week, one amendment the week before. For the overdue check, three
    /// patients started on 20 Jan: P-0010 last scored that day, P-0011 never, P-0012 on 3 Feb (13 days).
    static var weeklyActivity: ReportDataset {
        var dataset = cocaineCohort
        dataset.today = date("2026-02-16")
        dataset.patients.append(ReportPatient(id: 9, code: "P-0009", substances: ["alcohol", "cannabis"]))
        dataset.sessions += [
            ReportSession(id: 20, patientID: 9, date: date("2026-02-10"), route: "intranasal", doseMgPerKg: nil,
                          doseMg: 56, practitioner: "Dr Haddad"),
            ReportSession(id: 21, patientID: 2, date: date("2026-02-11"), route: "iv", doseMgPerKg: 0.41, doseMg: 33.6,
                          practitioner: "Dr Lindqvist"),
            ReportSession(id: 22, patientID: 9, date: date("2026-02-12"), route: "iv", doseMgPerKg: 0.5, doseMg: 40,
                          practitioner: "Dr Haddad"),
        ]
        dataset.scores += [
            ReportScore(id: 100, patientID: 9, date: date("2026-02-09"), craving: 6, useDays: 10, windowDays: 28),
            ReportScore(id: 101, patientID: 9, date: date("2026-02-14"), craving: 8, useDays: 12, windowDays: 28),
        ]
        for (id, code) in [(10, "P-0010"), (11, "P-0011"), (12, "P-0012")] {
            dataset.patients.append(ReportPatient(id: Int64(id), code: code, substances: ["methamphetamine"]))
            dataset.sessions.append(ReportSession(id: Int64(20 + id), patientID: Int64(id), date: date("2026-01-20"),
                                                  route: "im", doseMgPerKg: 0.8, doseMg: 60, practitioner: "Dr Haddad"))
        }
        dataset.scores += [
            ReportScore(id: 110, patientID: 10, date: date("2026-01-20"), craving: 5, useDays: 9, windowDays: 28),
            ReportScore(id: 112, patientID: 12, date: date("2026-02-03"), craving: 4, useDays: 3, windowDays: 28),
        ]
        dataset.amendments = [
            ReportAmendment(date: date("2026-02-06"), kind: .amend),
            ReportAmendment(date: date("2026-02-09"), kind: .amend),
            ReportAmendment(date: date("2026-02-13"), kind: .void),
            ReportAmendment(date: date("2026-02-15"), kind: .amend),
        ]
        return dataset
    }
}
