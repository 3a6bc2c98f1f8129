/// The rules for user names: they are stored in the clear (key slots), so they must not be
/// clinical, and they appear in audit entries and file names.
enum UserName {
    static func validate(_ name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
        guard !name.isEmpty, name.count <= 64, allowed, name.first != "-" else {
            throw StoreError.invalidUserName
        }
    }
}
