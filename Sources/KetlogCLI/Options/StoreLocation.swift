import Foundation

/// Where the store is: `--store`, else `KETLOG_STORE`, else
/// `${XDG_DATA_HOME:-$HOME/.local/share}/ketlog/ketlog.db`.
enum StoreLocation {
    static func resolve(_ flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let value = environment["KETLOG_STORE"], !value.isEmpty { return value }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return dataHome + "/ketlog/ketlog.db"
    }
}
