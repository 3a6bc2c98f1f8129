@testable import KetlogCLI
import KetlogModel
import KetlogStore
import XCTest

/// Messages are written once, here: a broken rule names the option on the command line and the
/// column in an import, and never the value.
final class ErrorPresenterTests: XCTestCase {
    func testAFieldIsNamedByItsOptionOnTheCommandLineAndByItsColumnInAnImport() {
        let error = ModelError.invalid(.birthDate, .isoDate(notInFuture: true))
        XCTAssertEqual(ErrorPresenter.present(error).message, "--birth-date: must be an ISO date YYYY-MM-DD, not in the future")
        XCTAssertEqual(ErrorPresenter.present(error).status, .badData)
        XCTAssertEqual(ErrorPresenter.present(StoreError.invalidRow(line: 7, error)).message,
                       "line 7: birth_date: must be an ISO date YYYY-MM-DD, not in the future")
        let agreement = ModelError.invalid(.doseMg, .doseAgreesWithWeight)
        XCTAssertEqual(ErrorPresenter.present(agreement).message,
                       "--dose-mg: must be --dose-mg-per-kg × --weight-kg (within rounding) when all three are given")
        XCTAssertEqual(ErrorPresenter.present(StoreError.invalidRow(line: 2, agreement)).message,
                       "line 2: dose_mg: must be dose_mg_per_kg × weight_kg (within rounding) when all three are given")
    }

    func testEveryRuleHasASentence() {
        let rules: [Rule] = [.isoDate(notInFuture: false), .onOrAfterBirthDate, .clockTime, .oneOf(["a"]), .atLeastOneOf(["a"]),
                             .wholeNumber(0...10), .positiveNumber(maximum: 10, unit: "mg/kg"), .number,
                             .text(limit: 200, multiline: false), .nonEmptyText, .noSemicolon, .patientCode, .livePatient,
                             .doseAgreesWithWeight, .weightForDosePerKg, .weightForRoute(.iv), .doseGiven, .withinBand(.intranasal),
                             .requiredForRoute(.iv), .required, .above(.bpDiastolic), .atMost(.monitoringMin),
                             .atLeastOneField([.bp, .heartRate]), .bloodPressure(systolic: 50...260, diastolic: 20...160),
                             .vitalsMoment(0...720), .dayRange(maxDays: 366), .liveSession, .oneSession(ambiguous: true),
                             .oneSession(ambiguous: false)]
        for rule in rules {
            for context in [FieldContext.commandLine, .importFile] {
                let message = context.describe(.invalid(.dose, rule))
                XCTAssertFalse(message.isEmpty)
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
        XCTAssertEqual(FieldContext.importFile.describe(.invalid(.date, .required)), "date: required")
        XCTAssertEqual(FieldContext.importFile.describe(.invalid(.patient, .livePatient)), "patient: no such patient in the store")
        XCTAssertEqual(FieldContext.commandLine.describe(.invalid(.dose, .withinBand(.intranasal))),
                       "dose: must be within 28–84 mg in multiples of 28 mg for intranasal (or pass --allow-unusual-dose)")
    }

    func testEveryFieldHasAnOptionAndAColumn() {
        for field in Field.allCases {
            XCTAssertFalse(FieldContext.commandLine.name(field).isEmpty)
            XCTAssertEqual(FieldContext.importFile.name(field), field.column)
            XCTAssertFalse(field.column.contains("-"), "columns are snake_case: \(field.column)")
        }
        XCTAssertEqual(FieldContext.commandLine.name(.useDays), "--use-days")
        XCTAssertEqual(FieldContext.commandLine.name(.adverseEvents), "--adverse-event")
        XCTAssertEqual(FieldContext.commandLine.name(.heartRate), "--hr")
        XCTAssertEqual(FieldContext.commandLine.name(.comedications), "--comedication")
        XCTAssertEqual(FieldContext.importFile.describe(.invalid(.bpSystolic, .above(.bpDiastolic))), "bp_systolic: must be above bp_diastolic")
        XCTAssertEqual(FieldContext.commandLine.describe(.invalid(.bpSystolic, .above(.bpDiastolic))),
                       "--bp systolic: must be above --bp diastolic")
    }
}
