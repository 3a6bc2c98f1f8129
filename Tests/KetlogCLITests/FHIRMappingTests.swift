@testable import KetlogCLI
import Foundation
import KetlogModel
import KetlogReports
import XCTest

/// The FHIR mapping's pieces that the end-to-end test (ExportFHIRCommandTests) cannot vary:
/// time zones, every route's code, id syntax, and the one-line JSON of an NDJSON file.
final class FHIRMappingTests: XCTestCase {
    private let store = "00112233445566778899aabbccddeeff"

    func testASessionTimeCarriesTheClinicsOffsetOnThatDate() throws {
        let date = try XCTUnwrap(ClinicalDate(iso: "2026-07-01")), winter = try XCTUnwrap(ClinicalDate(iso: "2026-01-15"))
        let time = try XCTUnwrap(ClockTime("09:05"))
        func mapping(_ zone: String) throws -> FHIRMapping {
            FHIRMapping(store: store, timeZone: try XCTUnwrap(TimeZone(identifier: zone)))
        }
        XCTAssertEqual(try mapping("America/New_York").dateTime(date, time), "2026-07-01T09:05:00-04:00")
        XCTAssertEqual(try mapping("America/New_York").dateTime(winter, time), "2026-01-15T09:05:00-05:00")
        XCTAssertEqual(try mapping("Asia/Kolkata").dateTime(date, time), "2026-07-01T09:05:00+05:30")
        XCTAssertEqual(try mapping("UTC").dateTime(date, time), "2026-07-01T09:05:00+00:00")
        XCTAssertEqual(try mapping("Asia/Kolkata").dateTime(date, nil), "2026-07-01", "a date alone has no zone")
    }

    func testEveryRouteHasItsSNOMEDCode() {
        let codes = Dictionary(uniqueKeysWithValues: Route.allCases.map { ($0, FHIRCodes.route($0)) })
        XCTAssertEqual(codes.mapValues(\.code), [.iv: "47625008", .im: "78421000", .intranasal: "46713006", .oral: "26643006",
                                                 .sublingual: "37839007", .subcutaneous: "34206005"])
        XCTAssertTrue(codes.values.allSatisfy { $0.system == "http://snomed.info/sct" })
    }

    func testIdsAreValidFHIRIdsAndTheSameForTheSameRecordOrName() throws {
        let mapping = FHIRMapping(store: store)
        let lee = try mapping.practitioner(named: "Dr Lee"), again = try mapping.practitioner(named: "Dr Lee")
        let park = try mapping.practitioner(named: "Dr Park")
        XCTAssertEqual(lee.id, again.id)
        XCTAssertNotEqual(lee.id, park.id)
        let ids = [lee.id, mapping.id(.session, Int64(Int32.max)), mapping.id(.patient, 1), mapping.id(.score, 12)]
        for id in ids {
            XCTAssertNotNil(id.range(of: "^[A-Za-z0-9\\-.]{1,64}$", options: .regularExpression), "not a FHIR id: \(id)")
        }
        XCTAssertEqual(mapping.id(.session, 12), "\(store)-ses-12")
    }

    func testEveryResourceCarriesThePart2Labels() throws {
        let json = try FHIRMapping(store: store).practitioner(named: "Dr Lee").json.compactEncoded()
        XCTAssertTrue(json.contains(#""security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"42CFRPart2""#), json)
        XCTAssertTrue(json.contains(#"{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R""#), json)
    }

    func testCompactJSONIsOneLineAndTheSameValueAsThePrettyOne() throws {
        let value = JSONValue.object([("note", .string("two\nlines")), ("list", .array([.int(1), .number(0.5), .null, .bool(true)])),
                                      ("empty", .object([])), ("none", .array([]))])
        let compact = value.compactEncoded()
        XCTAssertEqual(compact, #"{"note":"two\nlines","list":[1,0.5,null,true],"empty":{},"none":[]}"#)
        let parse = { (text: String) in try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary }
        XCTAssertEqual(try parse(compact), try parse(value.encoded()))
    }
}
