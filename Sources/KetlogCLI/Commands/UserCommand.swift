import ArgumentParser
import Foundation
import KetlogStore

/// `ketlog user …`: key slots and roles.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users: each has a key slot opened by their own passphrase.",
        subcommands: [Add.self, List.self, Passwd.self, RoleChange.self, Remove.self]
    )
}

extension UserCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a user (admin only).",
            discussion: """
                The new user's passphrase comes from --new-password-file, KETLOG_NEW_PASSWORD, or a
                prompt asked twice; the acting admin's from the usual sources. The new user gets key
                pairs of their own; the addition is an audit entry signed by the admin.
                Roles: admin (users and everything), clinician (records), reporter (reads only:
                reports, audit, backup export — what a cron job's passphrase file should carry).

                Examples:
                  ketlog user add nurse.kim --role clinician
                  ketlog user add weekly.cron --role reporter --new-password-file /root/cron-pass
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The new user's name (letters, digits, '.', '_', '-').") var name: String
        @Option(help: "admin, clinician or reporter.") var role: Role
        @Option(help: ArgumentHelp("Read the new user's passphrase from this file.", valueName: "file"))
        var newPasswordFile: String?
        @Option(help: ArgumentHelp("scrypt work factor for the new slot, \(Store.workFactorRange.lowerBound)–"
                                   + "\(Store.workFactorRange.upperBound) (default: the acting user's).", valueName: "n"))
        var kdfWorkFactor: Int?

        func run() throws {
            let store = try global.unlocked()
            guard store.role == .admin else { throw StoreError.permissionDenied(action: "user add", role: store.role) }
            let new = try PassphraseReader().new(file: newPasswordFile, prompt: "New passphrase for \(name): ")
            try store.addUser(name, role: role, passphrase: new, workFactor: kdfWorkFactor)
            Output.line("added \(name) (\(role.rawValue))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users and roles (no passphrase needed).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: text, json or csv.") var format: RecordFormat = .text

        func run() throws {
            let store = try global.openStore()
            let users = try store.users()
            switch format {
            case .text: for user in users { Output.line("\(user.name)\t\(user.role.rawValue)") }
            case .csv:
                Output.line("name,role")
                for user in users { Output.line("\(user.name),\(user.role.rawValue)") }
            case .json:
                // Each user's signed-note verifier key, for checking `audit checkpoint` notes
                // with any signed-note tool (null for a user still on a format-1 slot).
                let keys = try store.verifierKeys()
                Output.line(try JSONText.encode(users.map { user -> [String: String?] in
                    ["name": user.name, "role": user.role.rawValue, "verifier_key": keys[user.name]?.description]
                }))
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd",
            abstract: "Change your passphrase, or (admin) reset another user's.",
            discussion: """
                Only the key slot changes: your key pairs are sealed under the new passphrase, no
                record is re-encrypted. An admin's reset gives the user new key pairs.

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
            var store = try global.unlocked()
            let target = name ?? store.user
            // One's own keys are re-sealed here, so they must be here: the passphrase, as passwd(1)
            // asks for the current one, never the agent (which then ends: the slot changed).
            if target == store.user && store.keysHeldElsewhere { store = try global.unlock(agent: false) }
            if target != store.user && store.role != .admin {
                throw StoreError.permissionDenied(action: "user passwd for another user", role: store.role)
            }
            let new = try PassphraseReader().new(file: newPasswordFile, prompt: "New passphrase for \(target): ")
            try store.changePassphrase(of: target, to: new)
            Output.line("changed the passphrase of \(target)")
        }
    }

    struct RoleChange: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "role",
            abstract: "Change a user's role (admin only; the last admin cannot be demoted).",
            discussion: """
                Example:
                  ketlog user role nurse.kim reporter
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user.") var name: String
        @Argument(help: "admin, clinician or reporter.") var role: Role

        func run() throws {
            try global.unlocked().setRole(of: name, to: role)
            Output.line("\(name) is now \(role.rawValue)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a user's key slot (admin only; the last admin stays).",
            discussion: """
                Without --rekey only the slot goes: the removed user can no longer unlock, but a
                copy of the data key they kept would still open the store's file. With --rekey the
                removal and a rekey (see `ketlog rekey --help`) are one transaction: everything is
                re-sealed under a new key wrapped to the remaining users, so their old key opens
                nothing the store holds afterwards. Backups made before still open with it.

                Examples:
                  ketlog user remove locum.kim
                  ketlog user remove locum.kim --rekey
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user to remove.") var name: String
        @Flag(help: "Also re-encrypt the store under a new data key, in the same transaction.") var rekey = false

        func run() throws {
            let store = try global.unlocked()
            defer { try? store.store.close() }
            guard rekey else {
                try store.removeUser(name)
                Output.line("removed \(name)")
                return
            }
            let name = self.name
            let result = try RekeyRun.run { progress in try store.removeUser(name, rekey: true, progress: progress) }
            Output.line("removed \(name)")
            if let result { Output.line(RekeyRun.summary(result)) }
        }
    }
}

extension Role: ExpressibleByArgument {}
