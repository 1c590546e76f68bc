import Foundation

/// How a short-lived run of a program ended: exit status and everything it printed.
public struct ProcessOutcome: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

extension ServerProcess {
    /// Runs the server binary with `arguments` until it exits (at most `timeout` s, then
    /// SIGKILL and status -1): for `--help`, bad flags, and starts that must fail.
    public static func runToExit(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 60) throws -> ProcessOutcome {
        try runProgram(binaryPath, arguments, environment: environment, timeout: timeout)
    }
}

/// Runs `path` with `arguments` (environment added to this process's), collecting its output.
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double) throws -> ProcessOutcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = OutputCollector()
    let err = OutputCollector()
    process.standardOutput = out.pipe
    process.standardError = err.pipe
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    let timedOut = process.isRunning
    if timedOut { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return ProcessOutcome(status: timedOut ? -1 : process.terminationStatus, stdout: out.finish(), stderr: err.finish())
}

/// Collects a pipe's bytes as they arrive (so a chatty child never blocks on a full pipe).
final class OutputCollector: @unchecked Sendable {  // safe because: `data` is guarded by `lock`
    let pipe = Pipe()
    private var data = Data()
    private let lock = NSLock()

    init() {
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self else { return }
            self.lock.lock()
            self.data.append(chunk)
            self.lock.unlock()
        }
    }

    /// Stops collecting and returns the text, with what was still in the pipe.
    func finish() -> String {
        pipe.fileHandleForReading.readabilityHandler = nil
        let rest = (try? pipe.fileHandleForReading.readToEnd()) ?? nil
        lock.lock()
        defer { lock.unlock() }
        if let rest { data.append(rest) }
        return String(data: data, encoding: .utf8) ?? ""
    }
}
