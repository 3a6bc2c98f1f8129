import Foundation

/// One file of the C2SP CCTV age corpus: `key: value` lines, a blank line, then the age file.
struct CCTVVector {
    let name: String
    let expect: String
    let payloadSHA256: String?
    let identities: [String]
    let passphrases: [String]
    let armored: Bool
    let file: [UInt8]

    init(name: String, contents: [UInt8]) throws {
        self.name = name
        var fields: [(String, String)] = []
        var offset = 0
        while true {
            guard let newline = contents[offset...].firstIndex(of: UInt8(ascii: "\n")) else {
                throw CocoaError(.fileReadCorruptFile)
            }
            let line = String(decoding: contents[offset..<newline], as: UTF8.self)
            offset = newline + 1
            if line.isEmpty { break }
            guard let separator = line.range(of: ": ") else { throw CocoaError(.fileReadCorruptFile) }
            fields.append((String(line[..<separator.lowerBound]), String(line[separator.upperBound...])))
        }
        func values(_ key: String) -> [String] { fields.filter { $0.0 == key }.map(\.1) }
        guard let expect = values("expect").first else { throw CocoaError(.fileReadCorruptFile) }
        self.expect = expect
        payloadSHA256 = values("payload").first
        identities = values("identity")
        passphrases = values("passphrase")
        armored = values("armored").first == "yes"
        let body = Array(contents[offset...])
        switch values("compressed").first {
        case nil: file = body
        case "zlib": file = try Zlib.inflate(body)
        case let other?: throw CocoaError(.fileReadCorruptFile, userInfo: ["compression": other])
        }
    }
}
