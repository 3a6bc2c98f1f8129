import Foundation
import XCTest

/// The foundation's promises, checked on the built binary: exit codes, stderr shape, files.
final class InitUserStatusCommandTests: XCTestCase {
    private let adminPass = "correct horse battery"
    private let nursePass = "nurse staple 42"
    private var ketlog: KetlogProcess!
    private var store: String!

    override func setUpWithError() throws {
        ketlog = try KetlogProcess()
        ketlog.secrets = [adminPass, nursePass, "wrong horse", "fresh nurse pass", "reset by admin"]
        store = ketlog.path("clinic/ketlog.db")
    }

    override func tearDown() { ketlog = nil }

    /// `init` of a store with admin alice at work factor 10, through KETLOG_PASSWORD.
    private func initStore() throws {
        let result = try ketlog.run(["init", "--store", store, "--admin", "alice", "--kdf-work-factor", "10"],
                                    environment: ["KETLOG_PASSWORD": adminPass])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    private func asAdmin(_ extra: [String: String] = [:]) -> [String: String] {
        ["KETLOG_USER": "alice", "KETLOG_PASSWORD": adminPass].merging(extra) { $1 }
    }

    /// alice (admin) and nurse (clinician).
    private func initStoreWithNurse() throws {
        try initStore()
        let added = try ketlog.run(["user", "add", "nurse", "--role", "clinician", "--store", store],
                                   environment: asAdmin(["KETLOG_NEW_PASSWORD": nursePass]))
        XCTAssertEqual(added.status, 0, added.stderr)
    }

    // MARK: init

    func testInitMakesA0600StoreAndASecondInitExits73LeavingItByteIdentical() throws {
        let first = try ketlog.run(["init", "--store", store, "--admin", "alice", "--kdf-work-factor", "10"],
                                   environment: ["KETLOG_PASSWORD": adminPass])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stderr, "")
        XCTAssertTrue(first.stdout.contains(store), first.stdout)
        XCTAssertEqual(try ketlog.mode(store), 0o600)
        XCTAssertEqual(try ketlog.mode(ketlog.path("clinic")), 0o700)

        let before = try ketlog.snapshot(store)
        let second = try ketlog.run(["init", "--store", store, "--admin", "mallory", "--kdf-work-factor", "10"],
                                    environment: ["KETLOG_PASSWORD": "wrong horse"])
        XCTAssertEqual(second.status, 73)
        XCTAssertEqual(second.stderrLines.count, 1, second.stderr)
        XCTAssertEqual(try ketlog.snapshot(store), before)
        XCTAssertEqual(second.stdout, "")
    }

    func testInitRejectsAWorkFactorOutOfRange() throws {
        for factor in ["9", "23", "many"] {
            let result = try ketlog.run(["init", "--store", store, "--kdf-work-factor", factor],
                                        environment: ["KETLOG_PASSWORD": adminPass])
            XCTAssertEqual(result.status, 64, "\(factor): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: store))
        }
    }

    func testInitNamesTheFirstAdminAfterUSERByDefault() throws {
        let result = try ketlog.run(["init", "--store", store, "--kdf-work-factor", "10"],
                                    environment: ["KETLOG_PASSWORD": adminPass, "USER": "dr.lee"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try ketlog.run(["user", "list", "--store", store]).stdout, "dr.lee\tadmin\n")
    }

    // MARK: passphrases

    func testAWrongPassphraseExits77WithOneLineAndWritesNothing() throws {
        try initStore()
        let before = try ketlog.snapshot(store)
        let result = try ketlog.run(["user", "add", "bob", "--role", "clinician", "--store", store],
                                    environment: ["KETLOG_PASSWORD": "wrong horse", "KETLOG_NEW_PASSWORD": nursePass])
        XCTAssertEqual(result.status, 77)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("ketlog: error: "), result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(try ketlog.snapshot(store), before, "the store file (and its -wal) must not change")
        XCTAssertEqual(try ketlog.run(["user", "list", "--store", store]).stdout, "alice\tadmin\n")
    }

    func testTheRightPassphraseWorksFromEachSource() throws {
        try initStore()
        let passFile = try ketlog.file("admin.pass", adminPass + "\n")
        let script = try ketlog.file("print-pass.sh", "#!/bin/sh\nprintf '%s\\n' '\(adminPass)'\n")
        let sources: [(String, [String], [String: String])] = [
            ("--password-file", ["--password-file", passFile], [:]),
            ("--password-command", ["--password-command", "sh \(script)"], [:]),
            ("KETLOG_PASSWORD", [], ["KETLOG_PASSWORD": adminPass]),
            ("KETLOG_PASSWORD_FILE", [], ["KETLOG_PASSWORD_FILE": passFile]),
            ("KETLOG_PASSWORD_COMMAND", [], ["KETLOG_PASSWORD_COMMAND": "cat '\(passFile)'"]),
        ]
        for (index, (source, flags, environment)) in sources.enumerated() {
            let name = "user\(index)"
            let result = try ketlog.run(["user", "add", name, "--role", "clinician", "--store", store] + flags,
                                        environment: environment.merging(["KETLOG_USER": "alice", "KETLOG_NEW_PASSWORD": nursePass]) { $1 })
            XCTAssertEqual(result.status, 0, "\(source): \(result.stderr)")
            XCTAssertEqual(result.stdout, "added \(name) (clinician)\n", source)
        }
        XCTAssertEqual(try ketlog.run(["user", "list", "--store", store]).stdout.split(separator: "\n").count, 6)
    }

    func testTheFirstSourceThatIsSetWins() throws {
        try initStore()
        let right = try ketlog.file("right.pass", adminPass)
        let wrong = try ketlog.file("wrong.pass", "wrong horse")
        let cases: [(String, [String], [String: String], Int32)] = [
            ("--password-file before KETLOG_PASSWORD", ["--password-file", right], ["KETLOG_PASSWORD": "wrong horse"], 0),
            ("--password-file is not second-guessed", ["--password-file", wrong], ["KETLOG_PASSWORD": adminPass], 77),
            ("--password-command before KETLOG_PASSWORD", ["--password-command", "cat \(right)"], ["KETLOG_PASSWORD": "wrong horse"], 0),
            ("KETLOG_PASSWORD before KETLOG_PASSWORD_FILE", [], ["KETLOG_PASSWORD": adminPass, "KETLOG_PASSWORD_FILE": wrong], 0),
            ("KETLOG_PASSWORD_FILE before KETLOG_PASSWORD_COMMAND", [],
             ["KETLOG_PASSWORD_FILE": right, "KETLOG_PASSWORD_COMMAND": "cat \(wrong)"], 0),
        ]
        for (index, (label, flags, environment, expected)) in cases.enumerated() {
            let result = try ketlog.run(["user", "add", "u\(index)", "--role", "clinician", "--store", store] + flags,
                                        environment: environment.merging(["KETLOG_USER": "alice", "KETLOG_NEW_PASSWORD": nursePass]) { $1 })
            XCTAssertEqual(result.status, expected, "\(label): \(result.stderr)")
        }
    }

    func testAFailingPasswordCommandIsReportedWithoutItsOutput() throws {
        try initStore()
        let result = try ketlog.run(["user", "remove", "nobody", "--store", store,
                                     "--password-command", "echo '\(adminPass)'; exit 3"])
        XCTAssertEqual(result.status, 77)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
    }

    func testThePasswordCommandDoesNotSeePassphraseVariables() throws {
        try initStore()
        // The command prints KETLOG_NEW_PASSWORD, which ketlog must have removed from its environment;
        // an empty line then makes the passphrase empty, which is refused.
        let result = try ketlog.run(["user", "add", "bob", "--role", "clinician", "--store", store,
                                     "--password-command", "printf '%s\\n' \"$KETLOG_NEW_PASSWORD\""],
                                    environment: ["KETLOG_NEW_PASSWORD": adminPass])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(try ketlog.run(["user", "list", "--store", store]).stdout, "alice\tadmin\n")
    }

    func testThePassphraseIsNeverACommandLineValue() throws {
        try initStore()
        let result = try ketlog.run(["user", "remove", "nobody", "--store", store, "--password", adminPass])
        XCTAssertEqual(result.status, 64)
    }

    func testWithNoTerminalAndNoSourceTheErrorIsClear() throws {
        try initStore()
        let before = try ketlog.snapshot(store)
        let result = try ketlog.run(["user", "add", "bob", "--role", "clinician", "--store", store])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("no terminal"), result.stderr)
        XCTAssertTrue(result.stderr.contains("KETLOG_PASSWORD"), result.stderr)
        XCTAssertEqual(try ketlog.snapshot(store), before)

        let initResult = try ketlog.run(["init", "--store", ketlog.path("other.db"), "--kdf-work-factor", "10"])
        XCTAssertEqual(initResult.status, 64, initResult.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ketlog.path("other.db")))
    }

    // MARK: the terminal prompt

    func testThePromptOnATerminalUnlocksWithoutEchoing() throws {
        try initStore()
        let session = try PseudoTerminal.run(ketlog, ["user", "add", "bob", "--role", "clinician", "--store", store],
                                             environment: ["KETLOG_NEW_PASSWORD": nursePass],
                                             dialogue: [("Passphrase for alice: ", adminPass)])
        XCTAssertNil(session.error, session.transcript)
        XCTAssertEqual(session.status, 0, session.transcript)
        XCTAssertTrue(session.transcript.contains("added bob (clinician)"), session.transcript)
        XCTAssertFalse(session.transcript.contains(adminPass), "the passphrase was echoed: \(session.transcript)")
    }

    func testAWrongPassphraseAtThePromptExits77() throws {
        try initStore()
        let session = try PseudoTerminal.run(ketlog, ["user", "remove", "nobody", "--store", store],
                                             dialogue: [("Passphrase for alice: ", "wrong horse")])
        XCTAssertEqual(session.status, 77, session.transcript)
        XCTAssertTrue(session.transcript.contains("ketlog: error: wrong passphrase"), session.transcript)
        XCTAssertFalse(session.transcript.contains("wrong horse"), session.transcript)
    }

    func testInitAsksTwiceOnATerminal() throws {
        let session = try PseudoTerminal.run(ketlog, ["init", "--store", store, "--admin", "alice", "--kdf-work-factor", "10"],
                                             dialogue: [("New passphrase for alice: ", adminPass), ("Repeat it: ", adminPass)])
        XCTAssertNil(session.error, session.transcript)
        XCTAssertEqual(session.status, 0, session.transcript)
        XCTAssertFalse(session.transcript.contains(adminPass), session.transcript)
        // The passphrase typed at the prompt is the one the store now takes.
        let result = try ketlog.run(["user", "add", "bob", "--role", "clinician", "--store", store],
                                    environment: ["KETLOG_PASSWORD": adminPass, "KETLOG_NEW_PASSWORD": nursePass])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testInitRefusesTwoDifferentEntriesAndCreatesNothing() throws {
        let session = try PseudoTerminal.run(ketlog, ["init", "--store", store, "--admin", "alice", "--kdf-work-factor", "10"],
                                             dialogue: [("New passphrase for alice: ", adminPass), ("Repeat it: ", nursePass)])
        XCTAssertEqual(session.status, 64, session.transcript)
        XCTAssertTrue(session.transcript.contains("ketlog: error: the two passphrases differ"), session.transcript)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store))
    }

    func testANewPassphraseIsAskedTwiceOnATerminal() throws {
        try initStore()
        let session = try PseudoTerminal.run(ketlog, ["user", "add", "nurse", "--role", "clinician", "--store", store],
                                             environment: ["KETLOG_PASSWORD": adminPass],
                                             dialogue: [("New passphrase for nurse: ", nursePass), ("Repeat it: ", nursePass)])
        XCTAssertEqual(session.status, 0, session.transcript)
        XCTAssertFalse(session.transcript.contains(nursePass), session.transcript)
        let nurse = try ketlog.run(["user", "passwd", "--store", store, "--user", "nurse"],
                                   environment: ["KETLOG_PASSWORD": nursePass, "KETLOG_NEW_PASSWORD": "fresh nurse pass"])
        XCTAssertEqual(nurse.status, 0, nurse.stderr)
    }

    // MARK: users

    func testUserAddPasswdRemove() throws {
        try initStoreWithNurse()
        XCTAssertEqual(try ketlog.run(["user", "list", "--store", store]).stdout, "alice\tadmin\nnurse\tclinician\n")

        // The nurse changes their own passphrase; the old one stops working.
        let newFile = try ketlog.file("nurse.new", "fresh nurse pass\n")
        let passwd = try ketlog.run(["user", "passwd", "--store", store, "--user", "nurse", "--new-password-file", newFile],
                                    environment: ["KETLOG_PASSWORD": nursePass])
        XCTAssertEqual(passwd.status, 0, passwd.stderr)
        let old = try ketlog.run(["user", "passwd", "--store", store, "--user", "nurse"],
                                 environment: ["KETLOG_PASSWORD": nursePass, "KETLOG_NEW_PASSWORD": "x"])
        XCTAssertEqual(old.status, 77, old.stderr)

        // The admin resets it.
        let reset = try ketlog.run(["user", "passwd", "nurse", "--store", store],
                                   environment: asAdmin(["KETLOG_NEW_PASSWORD": "reset by admin"]))
        XCTAssertEqual(reset.status, 0, reset.stderr)
        XCTAssertEqual(try ketlog.run(["user", "passwd", "--store", store, "--user", "nurse"],
                                      environment: ["KETLOG_PASSWORD": "fresh nurse pass", "KETLOG_NEW_PASSWORD": "x"]).status, 77)

        // Removed: the passphrase opens nothing any more.
        let removed = try ketlog.run(["user", "remove", "nurse", "--store", store], environment: asAdmin())
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertEqual(removed.stdout, "removed nurse\n")
        XCTAssertEqual(try ketlog.run(["user", "list", "--store", store]).stdout, "alice\tadmin\n")
        for user in ["nurse", "alice"] {
            let result = try ketlog.run(["user", "remove", "nobody", "--store", store, "--user", user],
                                        environment: ["KETLOG_PASSWORD": "reset by admin"])
            XCTAssertEqual(result.status, 77, "\(user): \(result.stderr)")
        }
    }

    func testAClinicianCannotManageUsers() throws {
        try initStoreWithNurse()
        let before = try ketlog.snapshot(store)
        let attempts: [[String]] = [
            ["user", "add", "mallory", "--role", "admin"],
            ["user", "remove", "alice"],
            ["user", "passwd", "alice"],
        ]
        for attempt in attempts {
            let result = try ketlog.run(attempt + ["--store", store, "--user", "nurse"],
                                        environment: ["KETLOG_PASSWORD": nursePass, "KETLOG_NEW_PASSWORD": "x"])
            XCTAssertEqual(result.status, 77, "\(attempt): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains("admin"), result.stderr)
        }
        XCTAssertEqual(try ketlog.snapshot(store), before)
    }

    func testTheLastAdminCannotBeRemoved() throws {
        try initStoreWithNurse()
        let result = try ketlog.run(["user", "remove", "alice", "--store", store], environment: asAdmin())
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("last admin"), result.stderr)
        XCTAssertEqual(try ketlog.run(["user", "list", "--store", store]).stdout, "alice\tadmin\nnurse\tclinician\n")
    }

    func testWhoActs() throws {
        try initStoreWithNurse()
        func passwd(_ environment: [String: String], _ flags: [String] = []) throws -> RunResult {
            try ketlog.run(["user", "passwd", "--store", store] + flags,
                           environment: environment.merging(["KETLOG_NEW_PASSWORD": "x"]) { $1 })
        }
        // $USER with a slot acts…
        XCTAssertEqual(try passwd(["USER": "nurse", "KETLOG_PASSWORD": nursePass]).stdout, "changed the passphrase of nurse\n")
        // …KETLOG_USER beats it, and --user beats both.
        XCTAssertEqual(try passwd(["USER": "nurse", "KETLOG_USER": "alice", "KETLOG_PASSWORD": adminPass]).status, 0)
        XCTAssertEqual(try passwd(["USER": "nurse", "KETLOG_USER": "nurse", "KETLOG_PASSWORD": "x"], ["--user", "alice"]).status, 0)
        // Several users and nothing chosen.
        let ambiguous = try passwd(["USER": "clinic-it", "KETLOG_PASSWORD": "x"])
        XCTAssertEqual(ambiguous.status, 64, ambiguous.stderr)
        XCTAssertTrue(ambiguous.stderr.contains("--user"), ambiguous.stderr)
    }

    // MARK: status, help, usage

    func testStatusNeedsNoPassphrase() throws {
        try initStoreWithNurse()
        let text = try ketlog.run(["status", "--store", store])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("store:    \(store!)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("format:   3"), text.stdout)
        XCTAssertTrue(text.stdout.contains("alice (admin), nurse (clinician)"), text.stdout)
        XCTAssertNotNil(text.stdout.range(of: #"audit:    2 entries, head [0-9a-f]{16}"#, options: .regularExpression), text.stdout)

        let json = try ketlog.run(["status", "--format", "json"], environment: ["KETLOG_STORE": store])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["format_version"] as? Int, 3)
        XCTAssertEqual(object["audit_entries"] as? Int, 2)
        XCTAssertEqual((object["users"] as? [[String: String]])?.map { $0["name"] ?? "" }, ["alice", "nurse"])
    }

    func testTheStoreDefaultsToXDGDataHome() throws {
        let dataHome = ketlog.path("xdg")
        let created = try ketlog.run(["init", "--admin", "alice", "--kdf-work-factor", "10"],
                                     environment: ["KETLOG_PASSWORD": adminPass, "XDG_DATA_HOME": dataHome])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dataHome + "/ketlog/ketlog.db"))
        XCTAssertEqual(try ketlog.run(["status"], environment: ["XDG_DATA_HOME": dataHome]).status, 0)
        // Without XDG_DATA_HOME: $HOME/.local/share.
        XCTAssertEqual(try ketlog.run(["status"]).status, 66)
    }

    func testAMissingStoreExits66() throws {
        let result = try ketlog.run(["status", "--store", ketlog.path("nowhere.db")])
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("ketlog init"), result.stderr)
    }

    func testHelpExitsZeroWithExamples() throws {
        for command in [["--help"], ["init", "--help"], ["user", "add", "--help"], ["status", "--help"]] {
            let result = try ketlog.run(command)
            XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("Example"), "\(command): \(result.stdout)")
            XCTAssertEqual(result.stderr, "")
        }
    }

    func testUsageErrorsExit64WithAnErrorLine() throws {
        for arguments in [["--no-such-flag"], ["user", "add"], ["user", "add", "bob", "--role", "janitor"], ["frobnicate"]] {
            let result = try ketlog.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderrLines.first?.hasPrefix("ketlog: error: ") ?? false, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "")
        }
    }
}
