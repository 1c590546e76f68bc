import Domain

/// Typed, validated access to the fields of one catalog entry (`units[3]`, `currency`).
///
/// Every failure is a `CatalogFileError` naming the entry and the field. JSON `null` counts as absent.
struct RecordReader {
    /// The entry's name in messages, e.g. `units[3]`.
    let entry: String
    private let fields: [String: JSONValue]

    /// Reads `value` as an object whose keys are all in `allowed`.
    init(_ value: JSONValue, entry: String, allowed: [String]) throws(CatalogFileError) {
        guard case .object(let fields) = value else {
            throw CatalogFileError(entry: entry, message: "must be an object, got \(value.kindName)")
        }
        if let unknown = fields.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw CatalogFileError(entry: entry, field: Self.keyName(unknown), message: "unknown field")
        }
        self.entry = entry
        self.fields = fields
    }

    /// A key of the document as messages name it: `""` for the empty key, which would leave a blank.
    static func keyName(_ key: String) -> String { key.isEmpty ? "\"\"" : key }

    /// An error about `field` of this entry (or the whole entry when `field` is nil).
    func error(_ field: String?, _ message: String) -> CatalogFileError {
        CatalogFileError(entry: entry, field: field, message: message)
    }

    /// The value of `key`, nil when absent or null.
    private func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    /// A string that may be absent (nil) or empty.
    func optionalString(_ key: String) throws(CatalogFileError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let string) = value else { throw error(key, "must be a string, got \(value.kindName)") }
        return string
    }

    /// A present, non-empty string.
    func string(_ key: String) throws(CatalogFileError) -> String {
        guard let string = try optionalString(key) else { throw error(key, "is required") }
        guard !string.isEmpty else { throw error(key, "must not be empty") }
        return string
    }

    /// A list of non-empty strings; absent means empty.
    func strings(_ key: String) throws(CatalogFileError) -> [String] {
        guard let value = value(key) else { return [] }
        guard case .array(let elements) = value else { throw error(key, "must be a list, got \(value.kindName)") }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element, !string.isEmpty else {
                throw error("\(key)[\(index)]", "must be a non-empty string")
            }
            strings.append(string)
        }
        return strings
    }

    /// A number that may be absent; JSON numbers are always finite.
    func optionalNumber(_ key: String) throws(CatalogFileError) -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, number.isFinite else {
            throw error(key, "must be a number, got \(value.kindName)")
        }
        return number
    }

    /// A number >= 0 that may be absent.
    func nonNegative(_ key: String) throws(CatalogFileError) -> Double? {
        guard let number = try optionalNumber(key) else { return nil }
        guard number >= 0 else { throw error(key, "must be >= 0, got \(number)") }
        return number
    }

    /// A whole number in `range` that may be absent.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(CatalogFileError) -> Int? {
        guard let number = try optionalNumber(key) else { return nil }
        guard let integer = Int(exactly: number), range.contains(integer) else {
            throw error(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(number)")
        }
        return integer
    }

    /// An ISO-8601 date (see `ISO8601`) that may be absent.
    func date(_ key: String) throws(CatalogFileError) -> Milliseconds? {
        guard let text = try optionalString(key) else { return nil }
        guard let millis = ISO8601.milliseconds(from: text) else {
            throw error(key, "must be an ISO-8601 date such as 2026-01-01T00:00:00Z, got \"\(text)\"")
        }
        return millis
    }

    /// `effective_from` and `effective_to`, each optional, with from < to when both are given.
    func effectiveRange() throws(CatalogFileError) -> (from: Milliseconds?, to: Milliseconds?) {
        let from = try date("effective_from")
        let to = try date("effective_to")
        if let from, let to, from >= to { throw error("effective_to", "must be later than effective_from") }
        return (from, to)
    }

    /// A crypt(3) hash string (`$6$…`, `$y$…`, any `$<id>$…` form).
    func hash(_ key: String) throws(CatalogFileError) -> String {
        let hash = try string(key)
        guard Self.isCryptHash(hash) else {
            throw error(key, "must be a crypt(3) hash such as $6$… or $y$… (make one with scripts/hash-secret)")
        }
        return hash
    }

    /// True for `$<id>$<rest>` with an alphanumeric id, a non-empty rest, no spaces or colons.
    static func isCryptHash(_ text: String) -> Bool {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].isEmpty, let scheme = parts.dropFirst().first, !scheme.isEmpty,
            let last = parts.last, !last.isEmpty
        else { return false }
        let schemeOK = scheme.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."z").contains($0) }
        let printable = text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != ":" }
        return schemeOK && printable
    }
}
