import Foundation
import KetlogModel

/// `ketlog-synth --patients N --seed S --out DIR [--today YYYY-MM-DD] [--monitoring]`: writes a
/// deterministic synthetic cohort as DIR/patients.csv, sessions.csv and scores.csv (0600), ready
/// for `ketlog import FILE --kind patients|sessions|scores` in that order. `--monitoring` adds
/// the sessions' monitoring columns and vitals.csv, screens.csv and days.csv (import them after
/// the sessions); every other value is the same with or without it. Without `--today`, today
/// is `KETLOG_TODAY` when set, else the local date, as for ketlog.
@main
struct SynthMain {
    static let usage = "usage: ketlog-synth --patients N --seed S --out DIR [--today YYYY-MM-DD] [--monitoring]"

    static func main() {
        do {
            try run(Array(CommandLine.arguments.dropFirst()))
        } catch let error as SynthError {
            FileHandle.standardError.write(Data("ketlog-synth: error: \(error)\n".utf8))
            if case .usage = error { FileHandle.standardError.write(Data("\(usage)\n".utf8)) }
            exit(error.exitCode)
        } catch {
            FileHandle.standardError.write(Data("ketlog-synth: error: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ arguments: [String]) throws {
        var options: [String: String] = [:]
        var monitoring = false
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            if flag == "--help" || flag == "-h" {
                print(usage)
                return
            }
            if flag == "--monitoring" {
                monitoring = true
                index += 1
                continue
            }
            guard ["--patients", "--seed", "--out", "--today"].contains(flag), index + 1 < arguments.count else {
                throw SynthError.usage("unexpected argument '\(flag)'")
            }
            options[flag] = arguments[index + 1]
            index += 2
        }
        guard let patients = options["--patients"].flatMap({ Int($0) }), (1...10_000_000).contains(patients) else {
            throw SynthError.usage("--patients must be a whole number from 1 to 10000000")
        }
        guard let seed = options["--seed"].flatMap({ UInt64($0) }) else {
            throw SynthError.usage("--seed must be a non-negative whole number")
        }
        guard let out = options["--out"], !out.isEmpty else { throw SynthError.usage("--out DIR is required") }
        // Without --today, today is ketlog's (`KETLOG_TODAY` or the local calendar), so a cohort
        // made for a store never lies in that store's future.
        let today: ClinicalDate
        if let text = options["--today"] {
            guard let day = ClinicalDate(iso: text) else { throw SynthError.usage("--today must be YYYY-MM-DD") }
            today = day
        } else {
            today = ClinicalDate.today()
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw SynthError.io(out)
        }
        var generator = CohortGenerator(seed: seed, patients: patients, today: today)
        generator.monitoring = monitoring
        let counts = try generator.write(to: out)
        let extra = monitoring ? ", \(counts.vitals) vitals, \(counts.screens) screens, \(counts.days) days" : ""
        FileHandle.standardError.write(Data(
            "ketlog-synth: wrote \(counts.patients) patients, \(counts.sessions) sessions, \(counts.scores) scores\(extra) to \(out)\n".utf8))
    }
}
