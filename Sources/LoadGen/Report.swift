/// Renders a load report as the final table and as JSON.
extension LoadReport {
    private static let percentiles: [(String, String, Double)] = [
        ("p50", "p50", 50), ("p90", "p90", 90), ("p99", "p99", 99), ("p99.9", "p999", 99.9), ("p99.99", "p9999", 99.99),
    ]

    /// The final table: throughput, latency percentiles and errors by status.
    public var table: String {
        var lines = [
            "requests        \(requests) in \(format(seconds, 2)) s",
            "throughput      \(format(throughput, 0)) calls/s",
            "events created  \(format(eventsPerSecond, 0)) /s",
        ]
        for (label, _, p) in Self.percentiles {
            lines.append("latency \(label.padding(8)) \(format(Double(histogram.value(atPercentile: p)) / 1000, 3)) ms")
        }
        lines.append("latency max      \(format(Double(histogram.max) / 1000, 3)) ms")
        lines.append("load tool cpu   \(format(cpuPercent, 0)) % of one core")
        if unsent > 0 { lines.append("not sent        \(unsent) calls due by --rate (the server fell behind)") }
        let errors = self.errors
        lines.append(errors.isEmpty ? "errors          none" : "errors          " + errors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        return lines.joined(separator: "\n")
    }

    /// `{"requests", "answered", "seconds", "throughput_per_s" (answered per second), "events", "events_per_s", "latency_ms": {...},
    /// "errors": {...}, "unsent", "load_cpu_percent"}`.
    public var json: String {
        let latency = (Self.percentiles.map { ($0.1, Double(histogram.value(atPercentile: $0.2)) / 1000) } + [("max", Double(histogram.max) / 1000)])
            .map { "\"\($0.0)\": \(format($0.1, 3))" }.joined(separator: ", ")
        let errors = self.errors.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
        return "{\"requests\": \(requests), \"answered\": \(answered), \"seconds\": \(format(seconds, 3)), \"throughput_per_s\": \(format(throughput, 1)), "
            + "\"events\": \(events), \"events_per_s\": \(format(eventsPerSecond, 1)), "
            + "\"latency_ms\": {\(latency)}, \"errors\": {\(errors)}, \"unsent\": \(unsent), \"load_cpu_percent\": \(format(cpuPercent, 1))}\n"
    }
}

/// `value` with `decimals` digits after the point (no Foundation formatting).
func format(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "0" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int64(scaled / scale)
    let fraction = Int64(scaled - Double(whole) * scale)
    let sign = value < 0 && scaled > 0 ? "-" : ""
    guard decimals > 0 else { return sign + String(whole) }
    let digits = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
