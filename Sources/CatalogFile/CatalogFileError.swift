/// A catalog file that cannot be used: names the entry (`units[3]`) and field (`business_unit_id`) at fault.
///
/// Thrown by `CatalogLoader` at start; the server prints `description` and exits.
public struct CatalogFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The record or section at fault (`units[3]`, `currency`), `json` for syntax errors, or the file path.
    public var entry: String
    /// The field of `entry` at fault (`business_unit_id`, `payment_medium_type_ids[1]`), if one is.
    public var field: String?
    /// What is wrong, in one phrase (`no business unit with id 0a1b…`).
    public var message: String

    /// Creates an error for `entry`, optionally narrowed to `field`.
    public init(entry: String, field: String? = nil, message: String) {
        self.entry = entry
        self.field = field
        self.message = message
    }

    /// `catalog: <entry>[.<field>]: <message>`, e.g. `catalog: units[3].business_unit_id: no business unit with id …`.
    public var description: String {
        guard let field else { return "catalog: \(entry): \(message)" }
        return "catalog: \(entry).\(field): \(message)"
    }
}
