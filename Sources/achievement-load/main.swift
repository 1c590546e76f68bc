import Client
import LoadGen
import Posix

#if canImport(Glibc)
import Glibc
#endif

signal(SIGPIPE, SIG_IGN)
let (plan, jsonPath) = parsePlan(Array(CommandLine.arguments.dropFirst()))
let mode = plan.rate.map { "open loop at \(Int($0)) calls/s" } ?? "closed loop"
print("achievement-load: \(plan.target), \(plan.connections) connections x \(plan.pipeline) in flight, \(mode)")

/// Writes `report` to `--json FILE` when asked, or exits 1.
func writeJSON(_ report: LoadReport) {
    guard let jsonPath else { return }
    do {
        let fd = try FileDescriptor.open(jsonPath, O_WRONLY | O_CREAT | O_TRUNC)
        defer { fd.close() }
        try fd.writeAll(Array(report.json.utf8))
    } catch {
        printError("achievement-load: cannot write \(jsonPath): \(error)")
        exit(1)
    }
}

let report: LoadReport
do {
    report = try LoadRun.run(plan) { elapsed, calls in
        printError("[\(Int(elapsed.rounded()))s] \(calls) calls measured")
    }
} catch {
    printError("achievement-load: \(error.description)")
    writeJSON(.notStarted(error))  // well-formed, with the failure under its status
    exit(1)
}
print(report.table)
writeJSON(report)
exit(report.errors.isEmpty ? 0 : 3)
