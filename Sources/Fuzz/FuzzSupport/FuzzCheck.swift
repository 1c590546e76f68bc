// Checks and the replay driver shared by the libFuzzer targets under Sources/Fuzz.
// Not used by the service: only the Fuzz* executables depend on this target.

/// Name of the input being replayed (a corpus file), put into failure messages.
///
/// Written only by `FuzzReplay.run` on the main thread before each input, read by `fuzzFail`.
nonisolated(unsafe) var currentInputName: String?

/// Stops the process with `message` and the input's name: libFuzzer records the input as a
/// crash (`fuzz-artifacts/`), a replay exits non-zero.
public func fuzzFail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("\(message) [input: \(currentInputName ?? "from libFuzzer")]", file: file, line: line)
}

/// `fuzzFail(message())` unless `condition` holds.
@inline(__always)
public func fuzzRequire(
    _ condition: @autoclosure () -> Bool,
    _ message: @autoclosure () -> String,
    file: StaticString = #fileID,
    line: UInt = #line
) {
    if !condition() { fuzzFail(message(), file: file, line: line) }
}

/// True when `a == b`, or when they print the same through `dump` and hold a NaN: a value
/// with a NaN inside is never `==` to itself (the targets compare re-encoded bytes too).
public func sameValue<T: Equatable>(_ a: T, _ b: T) -> Bool {
    if a == b { return true }
    var left = ""
    var right = ""
    dump(a, to: &left)
    dump(b, to: &right)
    return left == right && left.contains("nan")
}

/// The dump of `value`, for failure messages.
public func dumped<T>(_ value: T) -> String {
    var text = ""
    dump(value, to: &text)
    return text
}

/// A small deterministic generator (SplitMix64) for choices a target derives from its input.
public struct SplitMix64 {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 pseudo-random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range`.
    public mutating func next(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) &+ 1
        return range.lowerBound + Int(truncatingIfNeeded: width == 0 ? next() : next() % width)
    }
}
