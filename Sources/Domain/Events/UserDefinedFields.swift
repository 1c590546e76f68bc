/// User-defined fields of an event, stored only when at least one is given.
///
/// Kept sparse (only the fields given), since most events carry few or none; `strings`,
/// `floats` and `dates` present them as full arrays of 8, 4 and 4 entries.
public struct UserDefinedFields: Sendable, Equatable, Hashable {
    /// One given field: its kind, its index within the kind, and its value.
    @usableFromInline
    enum Entry: Sendable, Equatable, Hashable {
        case string(UInt8, String)
        case float(UInt8, Double)
        case date(UInt8, Milliseconds)
    }

    /// The given fields, strings then floats then dates, each by index (a canonical order).
    /// (Usable from inlinable code: the decoders' init below is specialized in their module.)
    @usableFromInline
    var entries: [Entry] = []

    /// No field given.
    public init() {}

    /// The fields read one index at a time (nil = not given), building no arrays on the way
    /// (decoders call this per request; inlinable, so their closures are inlined too).
    @inlinable
    public init<E: Error>(
        string: (Int) throws(E) -> String?,
        float: (Int) -> Double?,
        date: (Int) -> Milliseconds?
    ) throws(E) {
        for i in 0..<8 { if let v = try string(i) { entries.append(.string(UInt8(i), v)) } }
        for i in 0..<4 { if let v = float(i) { entries.append(.float(UInt8(i), v)) } }
        for i in 0..<4 { if let v = date(i) { entries.append(.date(UInt8(i), v)) } }
    }

    /// The given arrays (8 strings, 4 floats, 4 dates; nil = not given).
    public init(
        strings: [String?] = .init(repeating: nil, count: 8),
        floats: [Double?] = .init(repeating: nil, count: 4),
        dates: [Milliseconds?] = .init(repeating: nil, count: 4)
    ) {
        rebuild(strings: strings, floats: floats, dates: dates)
    }

    /// The given fields as they were packed, in the canonical order (`EventExtras.unpack`).
    init(entries: [Entry]) {
        self.entries = entries
    }

    /// `udf_string_1` … `udf_string_8`, exactly 8 entries.
    public var strings: [String?] {
        get {
            var result = [String?](repeating: nil, count: 8)
            for case .string(let i, let v) in entries where Int(i) < 8 { result[Int(i)] = v }
            return result
        }
        set { rebuild(strings: newValue, floats: floats, dates: dates) }
    }

    /// `udf_float_1` … `udf_float_4`, exactly 4 entries.
    public var floats: [Double?] {
        get {
            var result = [Double?](repeating: nil, count: 4)
            for case .float(let i, let v) in entries where Int(i) < 4 { result[Int(i)] = v }
            return result
        }
        set { rebuild(strings: strings, floats: newValue, dates: dates) }
    }

    /// `udf_date_1` … `udf_date_4`, exactly 4 entries.
    public var dates: [Milliseconds?] {
        get {
            var result = [Milliseconds?](repeating: nil, count: 4)
            for case .date(let i, let v) in entries where Int(i) < 4 { result[Int(i)] = v }
            return result
        }
        set { rebuild(strings: strings, floats: floats, dates: newValue) }
    }

    /// `udf_string_<index + 1>` without building the array (encoders call this per field).
    public func string(at index: Int) -> String? {
        for case .string(let i, let v) in entries where Int(i) == index { return v }
        return nil
    }

    /// `udf_float_<index + 1>` without building the array.
    public func float(at index: Int) -> Double? {
        for case .float(let i, let v) in entries where Int(i) == index { return v }
        return nil
    }

    /// `udf_date_<index + 1>` without building the array.
    public func date(at index: Int) -> Milliseconds? {
        for case .date(let i, let v) in entries where Int(i) == index { return v }
        return nil
    }

    /// True when no field is given.
    public var isEmpty: Bool { entries.isEmpty }

    private mutating func rebuild(strings: [String?], floats: [Double?], dates: [Milliseconds?]) {
        var built: [Entry] = []
        for (i, v) in strings.enumerated() { if let v { built.append(.string(UInt8(truncatingIfNeeded: i), v)) } }
        for (i, v) in floats.enumerated() { if let v { built.append(.float(UInt8(truncatingIfNeeded: i), v)) } }
        for (i, v) in dates.enumerated() { if let v { built.append(.date(UInt8(truncatingIfNeeded: i), v)) } }
        entries = built
    }
}
