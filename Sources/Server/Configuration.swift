import Posix
import Store

/// Every server setting of SPEC §1, parsed from flags and `ACHIEVEMENT_*` variables.
public struct ServerConfiguration: Sendable {
    public var listen: [SocketAddress] = [.tcp(host: "127.0.0.1", port: 7070)]
    public var socketMode: UInt32 = 0o660
    public var dataDir = "./data"
    /// nil: the built-in demo catalog.
    public var catalogPath: String?
    public var fsync: FsyncPolicy = .always
    public var compactionThreshold: Int64 = 64 << 20
    public var repair = false
    public var maxFrameBytes = 1 << 20
    public var maxConnections = 1024
    public var maxInFlight = 256
    /// Milliseconds.
    public var idleTimeout: Int64 = 60_000
    /// Milliseconds.
    public var drainTimeout: Int64 = 25_000
    public var logLevel = "info"

    public init() {}
}

/// A bad flag or variable: printed as one line, exit status 2.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Flag table and parser (pure: arguments and environment are passed in).
public enum ConfigurationParser {
    /// One flag: name, default shown by `--help`, meaning, and how it sets the configuration.
    struct Flag: Sendable {
        var name: String
        var defaultValue: String
        var help: String
        var isSwitch = false
        var apply: @Sendable (inout ServerConfiguration, String) throws(ConfigurationError) -> Void
    }

    static let flags: [Flag] = [
        Flag(name: "listen", defaultValue: "127.0.0.1:7070", help: "host:port or unix:/path.sock; repeatable or comma-separated") { c, v throws(ConfigurationError) in
            c.listen = try v.split(separator: ",", omittingEmptySubsequences: false).map { (part) throws(ConfigurationError) -> SocketAddress in
                guard let address = SocketAddress(parsing: String(part)) else { throw ConfigurationError("--listen: bad address '\(part)'") }
                return address
            }
        },
        Flag(name: "socket-mode", defaultValue: "0660", help: "mode of Unix socket files") { c, v throws(ConfigurationError) in
            guard let mode = UInt32(v, radix: 8), mode <= 0o777 else { throw ConfigurationError("--socket-mode: bad octal mode '\(v)'") }
            c.socketMode = mode
        },
        Flag(name: "data-dir", defaultValue: "./data", help: "log, snapshots, lock") { c, v throws(ConfigurationError) in
            guard !v.isEmpty else { throw ConfigurationError("--data-dir: empty path") }
            c.dataDir = v
        },
        Flag(name: "catalog", defaultValue: "built-in demo", help: "reference data file (JSON)") { c, v throws(ConfigurationError) in
            c.catalogPath = v.isEmpty ? nil : v
        },
        Flag(name: "fsync", defaultValue: "always", help: "always, interval:<ms>, never") { c, v throws(ConfigurationError) in
            guard let policy = FsyncPolicy(parsing: v) else { throw ConfigurationError("--fsync: expected always, interval:<ms> or never, got '\(v)'") }
            c.fsync = policy
        },
        Flag(name: "compaction-threshold", defaultValue: "64MiB", help: "snapshot when the log exceeds max(this, last snapshot)") { c, v throws(ConfigurationError) in
            c.compactionThreshold = try parseSize(v, flag: "compaction-threshold")
        },
        Flag(name: "repair", defaultValue: "off", help: "start past mid-log corruption, keeping a .broken copy", isSwitch: true) { c, v throws(ConfigurationError) in
            c.repair = try parseBool(v, flag: "repair")
        },
        Flag(name: "max-frame-bytes", defaultValue: "1MiB", help: "largest payload accepted") { c, v throws(ConfigurationError) in
            let size = try parseSize(v, flag: "max-frame-bytes")
            guard size >= 64, size <= 64 << 20 else { throw ConfigurationError("--max-frame-bytes: must be between 64 bytes and 64MiB") }
            c.maxFrameBytes = Int(size)
        },
        Flag(name: "max-connections", defaultValue: "1024", help: "more are refused") { c, v throws(ConfigurationError) in
            c.maxConnections = try parseCount(v, flag: "max-connections")
        },
        Flag(name: "max-in-flight", defaultValue: "256", help: "calls per connection before the server stops reading it") { c, v throws(ConfigurationError) in
            c.maxInFlight = try parseCount(v, flag: "max-in-flight")
        },
        Flag(name: "idle-timeout", defaultValue: "60s", help: "close connections silent (or stalled mid-frame) this long, or whose frame takes longer to arrive; 0: never") { c, v throws(ConfigurationError) in
            c.idleTimeout = try parseDuration(v, flag: "idle-timeout")
        },
        Flag(name: "drain-timeout", defaultValue: "25s", help: "on SIGTERM, how long calls in flight may take") { c, v throws(ConfigurationError) in
            c.drainTimeout = try parseDuration(v, flag: "drain-timeout")
        },
        Flag(name: "log-level", defaultValue: "info", help: "debug, info, warn, error") { c, v throws(ConfigurationError) in
            guard ["debug", "info", "warn", "error"].contains(v) else { throw ConfigurationError("--log-level: expected debug, info, warn or error, got '\(v)'") }
            c.logLevel = v
        },
    ]

    /// The `--help` text: every flag with its default and variable.
    public static var help: String {
        var text = "usage: achievement-server [flags]\n\nEach flag is also an environment variable ACHIEVEMENT_<FLAG> (empty: unset); a flag beats its variable.\n\n"
        for flag in flags {
            let variable = environmentName(flag.name)
            text += "  --\(flag.name)\(flag.isSwitch ? "" : " VALUE")\n      \(flag.help) (default: \(flag.defaultValue); env \(variable))\n"
        }
        return text
    }

    /// Parses `arguments` (without the program name) over `environment`.
    /// - Throws: `ConfigurationError` naming the first bad flag or value.
    /// A flag beats its variable: a variable is read only for flags not given, and a bad
    /// value is reported under the variable's name.
    public static func parse(arguments: [String], environment: [String: String]) throws(ConfigurationError) -> ServerConfiguration {
        let given = try parseArguments(arguments)
        var configuration = ServerConfiguration()
        for flag in flags where !given.contains(where: { $0.flag.name == flag.name }) {
            let variable = environmentName(flag.name)
            guard let value = environment[variable], !value.isEmpty else { continue }  // empty: unset (as env files write it)
            do { try flag.apply(&configuration, value) } catch {
                throw ConfigurationError("\(variable): \(error.description)")
            }
        }
        var listens: [String] = []
        for (flag, value) in given {
            if flag.name == "listen" { listens.append(value) } else { try flag.apply(&configuration, value) }
        }
        if !listens.isEmpty { try flags[0].apply(&configuration, listens.joined(separator: ",")) }
        return configuration
    }

    /// The flags of `arguments` with their values, in order.
    static func parseArguments(_ arguments: [String]) throws(ConfigurationError) -> [(flag: Flag, value: String)] {
        var given: [(flag: Flag, value: String)] = []
        var index = 0
        while index < arguments.count {
            var argument = arguments[index]
            guard argument.hasPrefix("--") else { throw ConfigurationError("unexpected argument '\(argument)'") }
            argument.removeFirst(2)
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                value = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            guard let flag = flags.first(where: { $0.name == argument }) else { throw ConfigurationError("unknown flag --\(argument) (see --help)") }
            if value == nil {
                if flag.isSwitch {
                    value = "true"
                } else {
                    index += 1
                    guard index < arguments.count, !arguments[index].hasPrefix("--") else { throw ConfigurationError("--\(flag.name) needs a value") }
                    value = arguments[index]
                }
            }
            given.append((flag, value ?? ""))
            index += 1
        }
        return given
    }

    /// `ACHIEVEMENT_<FLAG>`: upper case, `-` → `_`.
    static func environmentName(_ flag: String) -> String {
        "ACHIEVEMENT_" + String(flag.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// Durations are cut to 100 years (in ms): in nanoseconds, added to the monotonic clock,
    /// they still fit an Int64.
    static let longestDuration: Int64 = 100 * 365 * 86_400_000

    /// `500ms`, `2s`, `1m`, or a bare number of seconds → milliseconds (at most 100 years).
    public static func parseDuration(_ text: String, flag: String) throws(ConfigurationError) -> Int64 {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("", 1000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Int64(text.dropLast(suffix.count)), value >= 0 { return value > longestDuration / scale ? longestDuration : value * scale }
        }
        throw ConfigurationError("--\(flag): bad duration '\(text)' (use 500ms, 2s, 1m)")
    }

    /// Bytes, or `KiB` / `MiB` / `GiB`.
    public static func parseSize(_ text: String, flag: String) throws(ConfigurationError) -> Int64 {
        let units: [(String, Int64)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("B", 1), ("", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Int64(text.dropLast(suffix.count)), value >= 0, value <= Int64.max / scale { return value * scale }
        }
        throw ConfigurationError("--\(flag): bad size '\(text)' (use bytes, KiB or MiB)")
    }

    static func parseCount(_ text: String, flag: String) throws(ConfigurationError) -> Int {
        guard let value = Int(text), value > 0, value <= 1_000_000 else { throw ConfigurationError("--\(flag): expected a positive number, got '\(text)'") }
        return value
    }

    static func parseBool(_ text: String, flag: String) throws(ConfigurationError) -> Bool {
        switch text {
        case "true", "1", "on", "yes": return true
        case "false", "0", "off", "no", "": return false
        default: throw ConfigurationError("--\(flag): expected true or false, got '\(text)'")
        }
    }
}
