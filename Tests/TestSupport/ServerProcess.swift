import Foundation

/// A real `achievement-server` process for integration tests: started on 127.0.0.1:0 (or
/// given listen addresses) with a temporary data dir, stopped by `terminate` or `kill`.
public final class ServerProcess: @unchecked Sendable {  // safe because: used from one test at a time
    /// The bound addresses from the `ready` line.
    public private(set) var addresses: [String] = []
    /// The whole `ready` line.
    public private(set) var readyLine = ""
    public let dataDir: String
    private let process = Process()
    private let stdout: OutputCollector
    private let stderr: OutputCollector

    /// Path of the built binary next to the test bundle (`.build/<config>/achievement-server`).
    public static var binaryPath: String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("achievement-server").path
    }

    /// Starts the server and waits (up to `timeout` s) for its `ready` line.
    /// `defaultListen`: add `--listen 127.0.0.1:0` when `arguments` has no `--listen`
    /// (false to test `ACHIEVEMENT_LISTEN`).
    /// - Throws: when the binary is missing, exits early, or is not ready in time.
    public init(arguments: [String] = [], dataDir: String? = nil, environment: [String: String] = [:], timeout: Double = 90,
                defaultListen: Bool = true) throws {
        // Tests write to sockets the server may have closed: EPIPE, not a dead test process.
        signal(SIGPIPE, SIG_IGN)
        self.dataDir = dataDir ?? TemporaryDirectory.make()
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        var args = arguments
        if defaultListen && !args.contains("--listen") { args += ["--listen", "127.0.0.1:0"] }
        if !args.contains("--data-dir") { args += ["--data-dir", self.dataDir] }
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        (stdout, stderr) = try OutputCollector.run(process)
        try waitForReady(timeout: timeout)
    }

    /// Polls stdout for the `ready` line (never blocks past `timeout`, even on a hung server).
    private func waitForReady(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = stdout.text
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ready ") }) {
                readyLine = String(line)
                let listen = line.split(separator: " ").first { $0.hasPrefix("listen=") }?.dropFirst(7) ?? ""
                addresses = listen.split(separator: ",").map(String.init)
                return
            }
            if !process.isRunning {
                Thread.sleep(forTimeInterval: 0.05)  // let the last stderr bytes arrive
                throw TestFailure("server exited early (\(process.terminationStatus)): \(logs)")
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        throw TestFailure("server not ready within \(timeout) s: \(logs)")
    }

    /// The first bound address, e.g. `127.0.0.1:40123`.
    public var address: String { addresses.first ?? "" }

    /// What the server wrote to stderr so far.
    public var logs: String { stderr.text }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// True until the process exits.
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (e.g. SIGTERM) without waiting.
    public func send(signal: Int32) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
    }

    /// Sends SIGTERM and waits for exit; returns the exit status.
    @discardableResult
    public func terminate(timeout: Double = 30) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        return waitForExit(timeout: timeout)
    }

    /// Sends SIGKILL (a crash) and waits for the process to be gone.
    public func crash() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        _ = waitForExit(timeout: 10)
    }

    /// Waits for exit; returns the status (or -1 on timeout, after a SIGKILL).
    public func waitForExit(timeout: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// A failure inside test support, with a message.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Temporary directories under /tmp, removed by `remove`, and at the latest when the test
/// process exits (servers' data dirs outlive the `ServerProcess` that made them, for restarts).
public enum TemporaryDirectory {
    private static let made = NSLock()
    nonisolated(unsafe) private static var paths: [String] = []  // safe because: guarded by `made`
    private static let cleanup: Void = { atexit { TemporaryDirectory.removeAll() } }()

    /// Creates a fresh empty directory and returns its path.
    public static func make(prefix: String = "achievement-test") -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        made.lock()
        _ = cleanup
        paths.append(path)
        made.unlock()
        return path
    }

    /// Removes every directory `make` created (at exit).
    private static func removeAll() {
        made.lock()
        let all = paths
        paths.removeAll()
        made.unlock()
        for path in all { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Removes `path` and everything under it.
    public static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
