import Domain

/// Turns a decoded catalog document into a `Catalog`, checking ids, references and values.
///
/// Record lists are read in `RecordKind` order, so every reference names an already-known id.
struct CatalogBuilder {
    /// The catalog built so far.
    var catalog: Catalog
    /// Known ids per kind, each with the entry that declared it (for duplicate messages).
    private var known: [RecordKind: [String: String]] = [:]
    /// `organisation` + NUL + `username` of every user so far: a login must name one user.
    var logins: Set<String> = []

    private init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// Builds the catalog from the whole JSON document.
    static func build(_ document: JSONValue) throws(CatalogFileError) -> Catalog {
        guard case .object(let sections) = document else {
            throw CatalogFileError(entry: "document", message: "must be a JSON object, got \(document.kindName)")
        }
        if let unknown = sections.keys.filter({ $0 != "currency" && RecordKind(rawValue: $0) == nil }).sorted().first {
            throw CatalogFileError(entry: RecordReader.keyName(unknown), message: "unknown section")
        }
        guard let currency = sections["currency"], currency != .null else {
            throw CatalogFileError(entry: "currency", message: "is required")
        }
        var builder = CatalogBuilder(catalog: Catalog(currency: try Self.currency(currency)))
        for kind in RecordKind.allCases {
            try builder.load(kind, from: sections[kind.rawValue])
        }
        return builder.catalog
    }

    private static func currency(_ value: JSONValue) throws(CatalogFileError) -> Catalog.Currency {
        let record = try RecordReader(
            value, entry: "currency", allowed: ["system", "alternative", "alternative_per_system"])
        let system = try record.string("system")
        let alternative = try record.string("alternative")
        guard let rate = try record.optionalNumber("alternative_per_system") else {
            throw record.error("alternative_per_system", "is required")
        }
        guard rate > 0 else { throw record.error("alternative_per_system", "must be > 0, got \(rate)") }
        return Catalog.Currency(system: system, alternative: alternative, alternativePerSystem: rate)
    }

    private mutating func load(_ kind: RecordKind, from value: JSONValue?) throws(CatalogFileError) {
        guard let value, value != .null else { return }
        guard case .array(let items) = value else {
            throw CatalogFileError(entry: kind.rawValue, message: "must be a list, got \(value.kindName)")
        }
        for (index, item) in items.enumerated() {
            let record = try RecordReader(item, entry: "\(kind.rawValue)[\(index)]", allowed: kind.fields)
            let id = try register(kind, record)
            try add(kind, id: id, record)
        }
    }

    /// Reads the entry's `id`, checks that it is new for its kind, and remembers it.
    private mutating func register(_ kind: RecordKind, _ record: RecordReader) throws(CatalogFileError) -> String {
        guard let text = try record.optionalString("id") else { throw record.error("id", "is required") }
        let id = try Self.hexID(text, record, "id")
        if let first = known[kind, default: [:]][id] {
            throw record.error("id", "duplicate id \(id), first used by \(first)")
        }
        known[kind, default: [:]][id] = record.entry
        return id
    }

    /// `text` lowercased when it is 32 hex digits.
    private static func hexID(_ text: String, _ record: RecordReader, _ field: String) throws(CatalogFileError)
        -> String
    {
        let isHex = text.utf8.count == 32 && text.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit)
        guard isHex else { throw record.error(field, "must be 32 hex digits, got \"\(text)\"") }
        return text.lowercased()
    }

    /// The id in `key` (nil when absent), which must name a known record of `kind`.
    func reference(_ record: RecordReader, _ key: String, to kind: RecordKind) throws(CatalogFileError) -> String? {
        guard let text = try record.optionalString(key) else { return nil }
        return try resolve(text, record, key, kind)
    }

    /// The id in `key`, which must be present and name a known record of `kind`.
    func requiredReference(_ record: RecordReader, _ key: String, to kind: RecordKind) throws(CatalogFileError)
        -> String
    {
        guard let id = try reference(record, key, to: kind) else { throw record.error(key, "is required") }
        return id
    }

    /// The ids in list `key` (empty when absent), each naming a known record of `kind`.
    func references(_ record: RecordReader, _ key: String, to kind: RecordKind) throws(CatalogFileError) -> [String] {
        var ids: [String] = []
        for (index, text) in try record.strings(key).enumerated() {
            ids.append(try resolve(text, record, "\(key)[\(index)]", kind))
        }
        return ids
    }

    private func resolve(
        _ text: String, _ record: RecordReader, _ field: String, _ kind: RecordKind
    ) throws(CatalogFileError) -> String {
        let id = try Self.hexID(text, record, field)
        guard known[kind]?[id] != nil else { throw record.error(field, "no \(kind.singular) with id \(id)") }
        return id
    }
}
