import LoadGen
import Posix

#if canImport(Glibc)
import Glibc
#endif

let usage = """
    usage: achievement-load [flags]
      --target ADDR        127.0.0.1:7070 (default) or unix:/path.sock
      --connections N      connections (default 1)
      --pipeline N         calls in flight per connection (default 1)
      --threads N          event loop threads the connections share (default 1, as redis-benchmark)
      --duration D         measured time, e.g. 10s (default 10s)
      --requests N         measured calls instead of a duration (wins over --duration)
      --rate R             calls/s over all connections: open loop, latency from intended send time;
                           nothing is sent after the measured time, and calls the server fell too
                           far behind to send are reported as not sent
      --warmup D           time before measuring (default 0s)
      --mix M              e.g. create=70,show=20,list=10 (default create=100); also bulk=N (bulk creates),
                           cancel=N (each of its creates cancelled once), health=N
      --bulk-size N        items per bulk call (default 1000)
      --seed N             seed of the request generator (default 1)
      --references         each create carries its own external_system_reference_number
                           (load-<seed>-<serial>, 16 hex digits each): the idempotency path;
                           a rerun with the same seed, connections and requests retries them
      --json FILE          write the report as JSON
      --token T | --username U --password P --organisation O | --web-api-key K   (default: the demo user)

    """

/// Parses the flags into a plan, or exits 2 naming the bad one.
func parsePlan(_ arguments: [String]) -> (LoadPlan, jsonPath: String?) {
    var plan = LoadPlan()
    var jsonPath: String?
    var index = 0
    func bad(_ message: String) -> Never {
        printError("achievement-load: \(message)")
        exit(2)
    }
    while index < arguments.count {
        let flag = arguments[index]
        if flag == "--help" || flag == "-h" {
            print(usage, terminator: "")
            exit(0)
        }
        if flag == "--references" {
            plan.references = true
            index += 1
            continue
        }
        guard flag.hasPrefix("--"), index + 1 < arguments.count else { bad("expected --flag value, got '\(flag)'\n" + usage) }
        let value = arguments[index + 1]
        index += 2
        switch flag {
        case "--target": plan.target = need(SocketAddress(parsing: value), "--target: bad address '\(value)'")
        case "--connections": plan.connections = need(positive(value), "--connections: expected a positive number")
        case "--pipeline": plan.pipeline = need(positive(value), "--pipeline: expected a positive number")
        case "--threads": plan.threads = need(positive(value), "--threads: expected a positive number")
        case "--duration": plan.durationSeconds = need(seconds(value), "--duration: bad duration '\(value)'")
        case "--requests": plan.requests = need(positive(value), "--requests: expected a positive number")
        case "--rate": plan.rate = need(Double(value).flatMap { $0 > 0 ? $0 : nil }, "--rate: expected calls per second")
        case "--warmup": plan.warmupSeconds = need(seconds(value), "--warmup: bad duration '\(value)'")
        case "--mix": plan.mix = need(LoadPlan.Mix(parsing: value), "--mix: expected e.g. create=70,show=20,list=10")
        case "--bulk-size": plan.bulkSize = need(positive(value), "--bulk-size: expected a positive number")
        case "--seed": plan.seed = need(UInt64(value), "--seed: expected a number")
        case "--json": jsonPath = value
        case "--token": plan.token = value
        case "--username": plan.username = value
        case "--password": plan.password = value
        case "--organisation": plan.organisation = value
        case "--web-api-key": plan.webAPIKey = value
        default: bad("unknown flag \(flag)\n" + usage)
        }
    }
    return (plan, jsonPath)
}

/// `value`, or exit 2 with `message`.
private func need<T>(_ value: T?, _ message: String) -> T {
    guard let value else {
        printError("achievement-load: \(message)")
        exit(2)
    }
    return value
}

private func positive(_ text: String) -> Int? {
    Int(text).flatMap { $0 > 0 ? $0 : nil }
}

/// `500ms`, `2s`, `1m`, or a bare number of seconds.
private func seconds(_ text: String) -> Double? {
    for (suffix, scale) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("", 1.0)] where text.hasSuffix(suffix) {
        if let value = Double(text.dropLast(suffix.count)), value >= 0 { return value * scale }
    }
    return nil
}
