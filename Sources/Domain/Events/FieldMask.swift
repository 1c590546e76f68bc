/// The top-level response fields of a customer event that `fields_set` selects.
///
/// Bit `n` is the field whose number is `n` in `CustomerEvent` of `Protos/achievement.proto`,
/// so the codec tests one bit per field. An empty `fields_set` selects every field except
/// `process_immediately`, which is accepted and never filled.
public struct FieldMask: Sendable, Equatable, Hashable {
    /// Bit n set: field number n is filled.
    public var bits: UInt64

    /// Every field that is ever filled.
    public static let all = FieldMask(bits: ((1 << 41) - 2) & ~(1 << 7))

    /// Makes a mask from raw bits.
    public init(bits: UInt64) {
        self.bits = bits
    }

    /// The response field names in proto field-number order (index 0 unused).
    public static let names: [String] = [
        "", "id", "number", "type", "life_cycle_state", "performed_on", "description", "process_immediately",
        "payment_medium_identifier", "amount", "external_system", "external_system_reference_number",
        "total_awarded_amount", "total_awarded_alternative_amount",
        "udf_string_1", "udf_string_2", "udf_string_3", "udf_string_4",
        "udf_string_5", "udf_string_6", "udf_string_7", "udf_string_8",
        "udf_float_1", "udf_float_2", "udf_float_3", "udf_float_4",
        "udf_date_1", "udf_date_2", "udf_date_3", "udf_date_4",
        "classification", "accounts_receivable", "product", "payment_medium_type", "payment_medium_brand",
        "performed_by_unit", "performed_by_business_unit", "performed_by_tap", "authorized_by_access_token",
        "log_information", "award_reward_transactions_set",
    ]

    private static let numberByName: [String: Int] = {
        var map: [String: Int] = [:]
        for (number, name) in names.enumerated() where number > 0 { map[name] = number }
        return map
    }()

    /// The mask for a request's `fields_set`; empty selects `all`.
    /// - Throws: INVALID_ARGUMENT `UNKNOWN_FIELD` naming each unknown entry as `fields_set[i]`.
    public init(fieldsSet: [String]) throws(DomainError) {
        if fieldsSet.isEmpty {
            self = .all
            return
        }
        var bits: UInt64 = 0
        var violations: [Violation] = []
        for (index, name) in fieldsSet.enumerated() {
            if let number = Self.numberByName[name] {
                if number != 7 { bits |= 1 << UInt64(number) }
            } else {
                violations.append(Violation(field: "fields_set[\(index)]", description: "Unknown field '\(name)'."))
            }
        }
        guard violations.isEmpty else {
            throw DomainError(.invalidArgument, "UNKNOWN_FIELD", "fields_set names a field the response does not have.", violations: violations)
        }
        self.bits = bits
    }

    /// True when field number `number` is selected.
    @inline(__always)
    public func contains(_ number: Int) -> Bool { bits & (1 << UInt64(number)) != 0 }
}
