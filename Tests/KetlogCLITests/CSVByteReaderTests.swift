@testable import KetlogCLI
import CSV
import Foundation
import XCTest

/// The import's RFC 4180 byte reader: quoting, line breaks, the byte order mark, ragged rows and
/// line numbers; and, over the committed fuzzing corpus, the same cells as the CSV library the
/// importer used before it.
final class CSVByteReaderTests: XCTestCase {
    /// Every row of `text` with the line it starts on.
    private func rows(_ text: String) throws -> [(line: Int, cells: [String])] {
        try rows(Array(text.utf8))
    }

    private func rows(_ bytes: [UInt8]) throws -> [(line: Int, cells: [String])] {
        var reader = CSVByteReader(bytes)
        var cells: [String] = [], rows: [(line: Int, cells: [String])] = []
        while true {
            let line = reader.line
            guard try reader.nextRow(into: &cells) else { return rows }
            rows.append((line, cells))
        }
    }

    private func cells(_ text: String) throws -> [[String]] { try rows(text).map(\.cells) }

    func testQuotedCellsHoldCommasDoubledQuotesAndLineBreaks() throws {
        XCTAssertEqual(try cells("a,\"b,c\",\"say \"\"hi\"\"\"\n"), [["a", "b,c", "say \"hi\""]])
        XCTAssertEqual(try cells("\"\",x\n"), [["", "x"]], "an empty quoted cell")
        XCTAssertEqual(try cells("\"one\ntwo\",\"three\r\nfour\"\nnext,row\n"), [["one\ntwo", "three\r\nfour"], ["next", "row"]])
        XCTAssertEqual(try cells("a\"b,c\n"), [["a\"b", "c"]], "a quote inside an unquoted cell is an ordinary character")
        XCTAssertEqual(try cells("\"é, ü\",日本\n"), [["é, ü", "日本"]])
    }

    func testRowsEndAtLFCRLFLoneCROrTheEndOfTheFile() throws {
        XCTAssertEqual(try cells("a,b\r\nc,d\re,f\ng,h"), [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        XCTAssertEqual(try cells("a,\"b\"\r\nc,\"d\"\re,\"f\""), [["a", "b"], ["c", "d"], ["e", "f"]])
        XCTAssertEqual(try cells("a,\n,b\n,"), [["a", ""], ["", "b"], ["", ""]], "empty cells at either end")
    }

    func testABlankLineIsOneEmptyCellAndTheLastLineBreakEndsTheFile() throws {
        XCTAssertEqual(try cells("a\n\nb\n"), [["a"], [""], ["b"]])
        XCTAssertEqual(try cells("a\r\n\r\n"), [["a"], [""]])
        XCTAssertEqual(try cells(""), [])
        XCTAssertEqual(try cells("\n"), [[""]])
    }

    func testRaggedRowsAreReadAsTheyAre() throws {
        XCTAssertEqual(try cells("a,b,c\n1,2\n1,2,3,4\n"), [["a", "b", "c"], ["1", "2"], ["1", "2", "3", "4"]])
    }

    func testOneLeadingByteOrderMarkIsSkipped() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        XCTAssertEqual(try rows(bom + Array("code,name\n".utf8)).map(\.cells), [["code", "name"]])
        XCTAssertEqual(try rows(bom + Array("\"code\",name\n".utf8)).map(\.cells), [["code", "name"]])
        XCTAssertEqual(try rows(bom + bom + Array("c\n".utf8)).map(\.cells), [["\u{FEFF}c"]], "only the first")
        XCTAssertEqual(try rows(bom).map(\.cells), [])
    }

    func testLinesCountRowsAndTheLineFeedsInsideCells() throws {
        let read = try rows("h1,h2\n\"x\ny\",1\n\na,b\r\nc,\"\n\n\"\nlast,row")
        XCTAssertEqual(read.map(\.line), [1, 2, 4, 5, 6, 9])
    }

    func testAQuoteThatIsNeverClosedNamesTheLineItOpenedOn() {
        XCTAssertThrowsError(try rows("h\nok\n\"open\nstill open\n")) { error in
            XCTAssertEqual(error as? CSVByteReader.Failure, .unterminatedQuote(line: 3))
        }
    }

    func testTextAfterAClosingQuoteIsRefusedNotGuessed() {
        XCTAssertThrowsError(try rows("h,i\n1,\"say \"hi\" now\"\n")) { error in
            XCTAssertEqual(error as? CSVByteReader.Failure, .textAfterQuote(line: 2))
        }
        XCTAssertThrowsError(try rows("h,i\n\"a\n\"b,c\n")) { error in
            XCTAssertEqual(error as? CSVByteReader.Failure, .textAfterQuote(line: 3), "the line the stray text is on")
        }
    }

    /// Reads every row of `csv` as the importer does (scores).
    private func importRows(_ csv: String) throws -> Int {
        let file = try ImportFile(Data(csv.utf8), fileExtension: "csv", kind: .scores)
        var count = 0
        while try file.nextRow() != nil { count += 1 }
        return count
    }

    func testTheImporterReportsTheReadersFailuresWithLineAndRow() {
        XCTAssertThrowsError(try importRows("patient,date,craving,use_days\nP-1,\"2026-01-01\"x,1,2\n")) { error in
            XCTAssertEqual(ErrorPresenter.present(error).message,
                           "line 2: row: has text after a closing quote (write a quote inside a quoted cell twice)")
        }
        XCTAssertThrowsError(try importRows("patient,\"date\"x,craving,use_days\nP-1,2026-01-01,1,2\n")) { error in
            XCTAssertEqual(ErrorPresenter.present(error).message,
                           "line 1: header: has text after a closing quote (write a quote inside a quoted cell twice)")
        }
        // A lone CR ends a row, so the quote below opens a cell on line 3 that is never closed.
        XCTAssertThrowsError(try importRows("patient,date,craving,use_days\rP-1,2026-01-01,1,2\r\"P-2\n")) { error in
            XCTAssertEqual(ErrorPresenter.present(error).message, "line 3: row: has a quote that is never closed")
        }
        XCTAssertEqual(try importRows("\u{FEFF}\"patient\",date,craving,use_days\r\nP-1,2026-01-01,1,2\r\n\r\n"), 1,
                       "a byte order mark, a quoted header cell, CR LF and a blank last line")
    }

    /// The file's UTF-8 check goes a piece at a time: a character across a piece's end is
    /// still one character, and a bad byte anywhere is still found.
    func testTheUTF8CheckHoldsAcrossItsPieces() {
        let text = Array("abcdé€😀\nxyz".utf8)
        for piece in 1...text.count + 1 {
            XCTAssertTrue(ImportFile.isUTF8(text, piece: piece), "piece \(piece)")
            XCTAssertTrue(ImportFile.isUTF8([], piece: piece))
            for bad in [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] as [[UInt8]] {
                for at in [0, 5, text.count] {
                    var broken = text
                    broken.insert(contentsOf: bad, at: at)
                    XCTAssertFalse(ImportFile.isUTF8(broken, piece: piece), "piece \(piece), \(bad) at \(at)")
                }
            }
        }
    }

    /// Every input of the committed CSV fuzzing corpus, read by this reader and by CSV.swift (the
    /// library the importer used before): the same rows, cell for cell, wherever this reader
    /// accepts the file; and it accepts exactly the files that the dialect's grammar, written as
    /// a regular expression, matches (the library read the others by guessing).
    func testTheFuzzingCorpusReadsAsTheCSVLibraryReadIt() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FuzzCorpus/csv")
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        XCTAssertGreaterThan(names.count, 100)
        var compared = 0, refused = 0
        for name in names {
            let data = try Data(contentsOf: corpus.appendingPathComponent(name))
            guard let text = String(data: data, encoding: .utf8) else { continue }  // the importer stops before reading
            let library = try? CSVReader(string: text, hasHeaderRow: false)
            var expected: [[String]] = []
            while let row = library?.next() { expected.append(row) }
            do {
                let read = try rows(Array(data)).map(\.cells)
                XCTAssertEqual(read, expected, name)
                XCTAssertTrue(Self.isWellFormed(text), name)
                compared += 1
            } catch {
                XCTAssertFalse(Self.isWellFormed(text), "\(name): \(error)")
                refused += 1
            }
        }
        XCTAssertGreaterThan(compared, names.count / 2, "\(refused) refused")
        XCTAssertGreaterThan(refused, 0, "the corpus holds malformed quoting")
    }

    /// The dialect as a grammar: a cell is quoted (`"`, anything with quotes written twice, `"`)
    /// or plain (not starting with a quote, without comma or line break); rows end at CR LF, LF
    /// or CR, the last one also at the end of the file.
    private static let grammar: NSRegularExpression = {
        let cell = #"(?:"(?:[^"]|"")*+"|[^,\r\n"][^,\r\n]*+|)"#
        let row = "\(cell)(?:,\(cell))*+"
        return try! NSRegularExpression(pattern: #"\A(?:"# + row + #"(?:\r\n|\r|\n))*+"# + row + #"\z"#)
    }()

    private static func isWellFormed(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return grammar.firstMatch(in: text, range: range)?.range == range
    }
}
