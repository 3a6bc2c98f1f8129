// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way: ketlog → KetlogCLI → KetlogBackup → KetlogStore → KetlogCrypto →
// COpenSSL; AgeFormat depends only on KetlogCrypto. KetlogModel (the clinic's vocabulary and
// rules) depends on nothing, and KetlogReports only on KetlogModel.
/// Linker flags for a release `ketlog` with the Swift runtime and Foundation inside.
let staticRuntime = ["-static-stdlib", "-Xlinker", "--start-group"]
    + ["Foundation", "CoreFoundation", "FoundationInternationalization", "FoundationEssentials", "_FoundationICU",
       "_FoundationCShims", "_FoundationCollections", "swiftSynchronization", "swiftDispatch", "dispatch",
       "BlocksRuntime", "swiftCore"].map { "-l" + $0 }
    + ["-Xlinker", "--end-group", "-lstdc++"]

let package = Package(
    name: "ketlog",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ketlog", targets: ["ketlog"]),
        .executable(name: "ketlog-fuzz", targets: ["ketlog-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    ],
    targets: [
        // The clinic's vocabulary and rules: dates, routes, dose bands, drafts and their validation.
        .target(name: "KetlogModel"),
        // The only C: OpenSSL 3 libcrypto.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // Every primitive ketlog uses, over OpenSSL EVP.
        .target(name: "KetlogCrypto", dependencies: ["COpenSSL"]),
        // The age v1 file format: header, recipients, STREAM payload, armor.
        .target(name: "AgeFormat", dependencies: ["KetlogCrypto"]),
        // Turns Schema/*.sql into Swift source so the migrations are compiled into the binary, with
        // the schema they create (applied in SQLite at build time) for the check on every open.
        .executableTarget(name: "EmbedSchema", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")],
                          path: "Sources/EmbedSchema"),
        .plugin(name: "EmbedSchemaPlugin", capability: .buildTool(), dependencies: ["EmbedSchema"],
                path: "Sources/EmbedSchemaPlugin"),
        // Files with clinical content: created O_EXCL|O_NOFOLLOW 0600, written through their
        // descriptor, renamed into place; 0700 directories; temporary files removed on signals.
        .target(name: "KetlogFiles"),
        // The encrypted store: GRDB database, migrations, key slots, users, records, audit chain.
        .target(
            name: "KetlogStore",
            dependencies: ["KetlogModel", "KetlogCrypto", "KetlogFiles", .product(name: "GRDB", package: "GRDB.swift")],
            plugins: ["EmbedSchemaPlugin"]
        ),
        // The unlock agent: its Unix socket, protocol, server loop and client (Glibc only).
        .target(name: "KetlogAgent", dependencies: ["KetlogStore", "KetlogCrypto", "KetlogFiles"]),
        // Report values (pure), statistics, one renderer per format, SVG charts.
        .target(name: "KetlogReports", dependencies: ["KetlogModel"]),
        // Consistent snapshots of the store inside age files: export, verify, restore.
        .target(name: "KetlogBackup", dependencies: ["AgeFormat", "KetlogStore", "KetlogCrypto", "KetlogFiles"]),
        // One file per command, option groups, error presentation, exit codes.
        .target(
            name: "KetlogCLI",
            dependencies: [
                "KetlogModel", "KetlogStore", "KetlogCrypto", "KetlogReports", "KetlogBackup", "AgeFormat", "KetlogFiles",
                "KetlogAgent", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Release on Linux: the Swift runtime and Foundation linked in, so that the dynamic loader
        // binds five libraries, not twenty (BENCHMARKS.md, "Start-up profile"). The static
        // archives do not name what they need, so Foundation's own libraries are listed, as a group.
        .executableTarget(name: "ketlog", dependencies: ["KetlogCLI"],
                          linkerSettings: [.unsafeFlags(staticRuntime, .when(platforms: [.linux], configuration: .release))]),
        // Seeded synthetic cohorts in the import format, for Scripts/demo and Scripts/bench.
        .executableTarget(name: "ketlog-synth", dependencies: ["KetlogModel"], path: "Sources/KetlogSynth"),
        // Fuzzing harnesses (age, armor, CSV and JSON import). A normal build replays a corpus;
        // `-Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING` makes a libFuzzer binary (RELIABILITY.md).
        .executableTarget(name: "ketlog-fuzz", dependencies: ["KetlogCLI", "AgeFormat"], path: "Sources/KetlogFuzz"),

        .testTarget(name: "KetlogModelTests", dependencies: ["KetlogModel"]),
        .testTarget(name: "KetlogCryptoTests", dependencies: ["KetlogCrypto"], resources: [.copy("Vectors")]),
        // The C2SP CCTV age vectors are vendored in Vectors/age-cctv and read from the source tree.
        .testTarget(name: "AgeFormatTests", dependencies: ["AgeFormat", "KetlogCrypto"], exclude: ["Vectors"]),
        // GRDB here plays the attacker: a second, raw connection that edits the file.
        .testTarget(name: "KetlogStoreTests",
                    dependencies: ["KetlogModel", "KetlogStore", "KetlogCrypto", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "KetlogReportsTests", dependencies: ["KetlogReports", "KetlogModel"], resources: [.copy("Golden")]),
        .testTarget(name: "KetlogBackupTests", dependencies: ["KetlogBackup", "KetlogStore", "AgeFormat"]),
        // CSV.swift, which the importer read files with before its own byte reader, is the oracle
        // that reader is checked against (CSVByteReaderTests).
        .testTarget(name: "KetlogCLITests", dependencies: ["KetlogCLI", "KetlogModel", "KetlogStore", "KetlogCrypto", "KetlogReports",
                                                       .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                                       .product(name: "CSV", package: "CSV.swift")]),
        // Fixtures are read from the source tree (#filePath), next to the tests that use them.
        // The insider forger (InsiderAttackTests) uses the store and GRDB directly, as a user with the file would.
        .testTarget(name: "KetlogEndToEndTests",
                    dependencies: ["KetlogCLI", "KetlogStore", "KetlogCrypto", "KetlogModel", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Fixtures", "BadInput"]),
    ],
    swiftLanguageModes: [.v6]
)
