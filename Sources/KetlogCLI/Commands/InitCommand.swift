import ArgumentParser
import Foundation
import KetlogStore

/// `ketlog init`: creates the store and its first user, an admin.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new encrypted store and its first user (an admin).",
        discussion: """
            Refuses to touch an existing file. The passphrase comes from --password-file,
            --password-command, KETLOG_PASSWORD, KETLOG_PASSWORD_FILE, KETLOG_PASSWORD_COMMAND,
            or a prompt asked twice.

            Examples:
              ketlog init
              KETLOG_PASSWORD_FILE=~/.ketlog-pass ketlog init --store /srv/clinic.db --admin drlee
              ketlog init --store demo.db --kdf-work-factor 10     # fast, for demos and tests only
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Name of the first user (default: $USER).", valueName: "name"))
    var admin: String?

    @Option(help: ArgumentHelp("scrypt work factor: N = 2^value, \(Store.workFactorRange.lowerBound)–"
                               + "\(Store.workFactorRange.upperBound). Lower is faster and weaker.", valueName: "n"))
    var kdfWorkFactor: Int = Store.defaultWorkFactor

    func validate() throws {
        guard Store.workFactorRange.contains(kdfWorkFactor) else {
            throw ValidationError("--kdf-work-factor must be an integer from \(Store.workFactorRange.lowerBound) to "
                                  + "\(Store.workFactorRange.upperBound)")
        }
    }

    func run() throws {
        let path = global.storePath
        if FileManager.default.fileExists(atPath: path) { throw StoreError.storeExists(path: path) }
        let name = admin ?? ProcessInfo.processInfo.environment["USER"] ?? "admin"
        let passphrase = try PassphraseReader().current(file: global.passwordFile, command: global.passwordCommand,
                                                        prompt: "New passphrase for \(name): ", confirm: true)
        let store = try Store.create(path: path, admin: name, passphrase: passphrase, workFactor: kdfWorkFactor)
        // The new store's first entry becomes this machine's witness when init succeeds.
        try GlobalOptions.track(store.store)
        GlobalOptions.warnIfDirectoryIsShared(path)
        Output.line("created \(store.store.path) with admin \(name) (kdf work factor \(kdfWorkFactor))")
    }
}
