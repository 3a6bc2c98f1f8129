import Foundation
import KetlogModel

/// Writes one CSV file of our own import format straight from bytes: RFC 4180 quoting for a
/// field holding a comma, quote or line break, numbers formatted without Foundation, and the
/// file created 0600 because it holds (synthetic, but realistically shaped) clinical data.
struct CSVBuffer {
    private var bytes: [UInt8] = []
    private var atLineStart = true
    private let descriptor: Int32
    private let path: String

    /// A header row of `header`'s import columns.
    init(path: String, header: [Field]) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw SynthError.io(path) }
        guard fchmod(descriptor, 0o600) == 0 else { throw SynthError.io(path) }
        bytes.reserveCapacity(1 << 20)
        for field in header { text(field.column) }
        try endRow()
    }

    private mutating func separator() {
        if !atLineStart { bytes.append(UInt8(ascii: ",")) }
        atLineStart = false
    }

    /// A text field, quoted when it must be.
    mutating func text(_ value: String) {
        separator()
        let utf8 = value.utf8
        if utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            bytes.append(UInt8(ascii: "\""))
            for byte in utf8 {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func empty() { separator() }

    mutating func int(_ value: Int) {
        separator()
        appendDigits(value)
    }

    /// A non-negative number with exactly `decimals` decimals (trailing zeros kept; the importer
    /// accepts plain decimals).
    mutating func fixed(_ value: Double, decimals: Int) {
        separator()
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        appendDigits(scaled / scale)
        guard decimals > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var fraction = scaled % scale
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: decimals)
        for index in stride(from: decimals - 1, through: 0, by: -1) {
            digits[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        bytes.append(contentsOf: digits)
    }

    /// `YYYY-MM-DD` as bytes, like `ClinicalDate.description` for the four-digit years written
    /// here, without building a String per row of a cohort of millions.
    mutating func date(_ day: ClinicalDate) {
        separator()
        appendDigits(day.year)
        bytes.append(UInt8(ascii: "-"))
        appendTwo(day.month)
        bytes.append(UInt8(ascii: "-"))
        appendTwo(day.day)
    }

    mutating func time(hour: Int, minute: Int) {
        separator()
        appendTwo(hour)
        bytes.append(UInt8(ascii: ":"))
        appendTwo(minute)
    }

    private mutating func appendTwo(_ value: Int) {
        bytes.append(UInt8(ascii: "0") + UInt8(value / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private mutating func appendDigits(_ value: Int) {
        precondition(value >= 0, "only non-negative numbers are generated")
        if value >= 10 { appendDigits(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    mutating func endRow() throws {
        bytes.append(10)
        atLineStart = true
        if bytes.count >= 1 << 20 { try flush() }
    }

    private mutating func flush() throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            guard written > 0 else { throw SynthError.io(path) }
            offset += written
        }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    mutating func close() throws {
        try flush()
        guard Foundation.close(descriptor) == 0 else { throw SynthError.io(path) }
    }
}
