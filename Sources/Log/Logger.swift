#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Severity of a log line, ordered from chatty to severe.
public enum LogLevel: Int, Comparable, Sendable, CaseIterable {
    case debug, info, warn, error

    /// Parses `debug`, `info`, `warn` or `error`.
    public init?(name: String) {
        guard let level = LogLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    /// The lowercase name printed in `level=`.
    public var name: String { ["debug", "info", "warn", "error"][rawValue] }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where log lines go; the executable installs one with `LoggingSystem.bootstrap`.
public protocol LogHandler: Sendable {
    /// Writes one record; called on any thread.
    func log(level: LogLevel, label: String, message: String, metadata: [(String, String)])
}

/// Process-wide handler and threshold (swift-log's bootstrap, reduced).
public enum LoggingSystem {
    private static let state = Mutex<(handler: (any LogHandler)?, level: LogLevel)>((nil, .info))

    /// Installs the handler and the minimum level; lines below it are dropped cheaply.
    public static func bootstrap(_ handler: any LogHandler, level: LogLevel) {
        state.withLock { $0 = (handler, level) }
    }

    static var current: (handler: (any LogHandler)?, level: LogLevel) { state.withLock { $0 } }
}

/// A leveled, structured logger: a label plus key/value metadata. Cheap to copy.
public struct Logger: Sendable {
    /// Names the component, printed as `component=`.
    public var label: String

    /// A logger for one component.
    public init(label: String) {
        self.label = label
    }

    /// True when lines at `level` are written (check before building costly metadata).
    public func isEnabled(_ level: LogLevel) -> Bool { level >= LoggingSystem.current.level }

    /// Logs at `level`; never pass tokens, passwords or keys in the message or metadata.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        let current = LoggingSystem.current
        guard level >= current.level, let handler = current.handler else { return }
        handler.log(level: level, label: label, message: message(), metadata: metadata())
    }

    public func debug(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        log(.debug, message(), metadata())
    }

    public func info(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        log(.info, message(), metadata())
    }

    public func warn(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        log(.warn, message(), metadata())
    }

    public func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        log(.error, message(), metadata())
    }
}

/// Writes logfmt lines to stderr: `ts=… level=info component=store msg="…" key=value`.
public struct StderrLogHandler: LogHandler {
    public init() {}

    public func log(level: LogLevel, label: String, message: String, metadata: [(String, String)]) {
        var line = "ts=\(Self.timestamp()) level=\(level.name) component=\(label) msg=\(Self.quoted(message))"
        for (key, value) in metadata { line += " \(key)=\(Self.quoted(value))" }
        line += "\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            _ = Glibc.write(2, buffer.baseAddress, buffer.count)
        }
    }

    /// Quotes values holding spaces, quotes or `=`.
    static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.utf8.contains(where: { $0 == 32 || $0 == 34 || $0 == 61 || $0 < 32 }) else { return value }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// UTC time as `2026-11-29T12:00:00.123Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}
