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
    let (out, err) = try OutputCollector.run(process)
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    let timedOut = process.isRunning
    if timedOut { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return ProcessOutcome(status: timedOut ? -1 : process.terminationStatus, stdout: out.finish(), stderr: err.finish())
}

/// Collects a pipe's bytes as they arrive (so a chatty child never blocks on a full pipe).
///
/// A thread reads until end of file with blocking reads. Not a `readabilityHandler`: that
/// is a Dispatch source on the descriptor, and when the descriptor is closed while a child
/// forked at that moment still holds it, libdispatch on Linux can get an event for the freed
/// source and crash the test process (seen once in CI, under the hostile-clients test).
final class OutputCollector: @unchecked Sendable {  // safe because: `data` is guarded by `lock`
    let pipe = Pipe()
    private var data = Data()
    private let lock = NSLock()
    private let ended = DispatchSemaphore(value: 0)

    init() {
        let handle = pipe.fileHandleForReading  // kept open by the thread until the end
        Thread.detachNewThread { [self] in  // holds the collector until the child's end closes
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }  // end of file (or an error: nothing more will come)
                lock.lock()
                data.append(contentsOf: buffer[..<count])
                lock.unlock()
            }
            ended.signal()
        }
    }

    /// What arrived so far.
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(data: data, encoding: .utf8) ?? ""
    }

    /// Waits for the end of the output (the child exited; at most 10 s more, in case a child
    /// spawned meanwhile inherited the pipe) and returns what arrived.
    func finish() -> String {
        _ = ended.wait(timeout: .now() + 10)
        return text
    }

    /// Starts `process` with its stdout and stderr collected. When it cannot start, the
    /// collectors' pipes are closed, so their threads end.
    static func run(_ process: Process) throws -> (stdout: OutputCollector, stderr: OutputCollector) {
        let collectors = (stdout: OutputCollector(), stderr: OutputCollector())
        process.standardOutput = collectors.stdout.pipe
        process.standardError = collectors.stderr.pipe
        do { try process.run() } catch {
            for collector in [collectors.stdout, collectors.stderr] { try? collector.pipe.fileHandleForWriting.close() }
            throw error
        }
        return collectors
    }
}
