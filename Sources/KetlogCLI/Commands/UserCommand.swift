import ArgumentParser
import Foundation
import KetlogStore

/// `ketlog user …`: key slots and roles.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users: each has a key slot opened by their own passphrase.",
        subcommands: [Add.self, List.self, Passwd.self, Remove.self]
    )
}

extension UserCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user (admin only).",
            discussion: """
                The new user's passphrase comes from --new-password-file, KETLOG_NEW_PASSWORD, or a
                prompt asked twice; the acting admin's from the usual sources.

                Example:
                  ketlog user add nurse.kim --role clinician
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The new user's name (letters, digits, '.', '_', '-').") var name: String
        @Option(help: "admin or clinician.") var role: Role
        @Option(help: ArgumentHelp("Read the new user's passphrase from this file.", valueName: "file"))
        var newPasswordFile: String?
        @Option(help: ArgumentHelp("scrypt work factor for the new slot, \(Store.workFactorRange.lowerBound)–"
                                   + "\(Store.workFactorRange.upperBound) (default: the acting user's).", valueName: "n"))
        var kdfWorkFactor: Int?

        func run() throws {
            let (store, passphrase) = try global.unlock()
            guard store.role == .admin else { throw StoreError.permissionDenied(action: "user add", role: store.role) }
            let new = try PassphraseReader().new(file: newPasswordFile, prompt: "New passphrase for \(name): ")
            try store.addUser(name, role: role, passphrase: new, workFactor: kdfWorkFactor, actingPassphrase: passphrase)
            Output.line("added \(name) (\(role.rawValue))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users and roles (no passphrase needed).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let users = try global.openStore().users()
            switch format {
            case .text: for user in users { Output.line("\(user.name)\t\(user.role.rawValue)") }
            case .csv:
                Output.line("name,role")
                for user in users { Output.line("\(user.name),\(user.role.rawValue)") }
            case .json:
                Output.line(try JSONText.encode(users.map { ["name": $0.name, "role": $0.role.rawValue] }))
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change your passphrase, or (admin) reset another user's.",
            discussion: """
                Only the key slot changes: the data key is rewrapped, no record is re-encrypted.

                Examples:
                  ketlog user passwd
                  ketlog user passwd nurse.kim --new-password-file /run/secrets/kim   # admin reset
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Whose passphrase (default: the acting user).") var name: String?
        @Option(help: ArgumentHelp("Read the new passphrase from this file.", valueName: "file"))
        var newPasswordFile: String?

        func run() throws {
            let (store, passphrase) = try global.unlock()
            let target = name ?? store.user
            if target != store.user && store.role != .admin {
                throw StoreError.permissionDenied(action: "user passwd for another user", role: store.role)
            }
            let new = try PassphraseReader().new(file: newPasswordFile, prompt: "New passphrase for \(target): ")
            try store.changePassphrase(of: target, to: new, actingPassphrase: passphrase)
            Output.line("changed the passphrase of \(target)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user's key slot (admin only; the last admin stays).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user to remove.") var name: String

        func run() throws {
            let store = try global.unlocked()
            try store.removeUser(name)
            Output.line("removed \(name)")
        }
    }
}

extension Role: ExpressibleByArgument {}
