import Posix
import Server
import Store

#if canImport(Glibc)
import Glibc
#endif

/// The process environment as a dictionary (without Foundation).
func processEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return result
}

/// Parses flags and environment, or exits: 0 after `--help`, 2 on a bad value.
func parseOptions() -> ServerConfiguration {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.contains("--help") || arguments.contains("-h") {
        print(ConfigurationParser.help, terminator: "")
        exit(0)
    }
    do {
        return try ConfigurationParser.parse(arguments: arguments, environment: processEnvironment())
    } catch {
        printError("achievement-server: \(error.description)")
        exit(2)
    }
}

/// One log-friendly line of the effective configuration (no secrets are configured by flag).
func describe(_ c: ServerConfiguration) -> [(String, String)] {
    [("listen", c.listen.map(\.description).joined(separator: ",")), ("data_dir", c.dataDir),
     ("catalog", c.catalogPath ?? "demo"), ("fsync", c.fsync.description),
     ("compaction_threshold", String(c.compactionThreshold)), ("repair", String(c.repair)),
     ("max_frame_bytes", String(c.maxFrameBytes)), ("max_connections", String(c.maxConnections)),
     ("max_in_flight", String(c.maxInFlight)), ("idle_timeout_ms", String(c.idleTimeout)),
     ("drain_timeout_ms", String(c.drainTimeout)), ("log_level", c.logLevel)]
}
