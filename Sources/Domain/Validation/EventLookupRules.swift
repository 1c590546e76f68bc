/// The rules of a `customer_event_identifier` (GetCustomerEvent, CancelCustomerEvent).
public enum EventLookupRules {
    /// The identifier's path in violations.
    public static let path = "customer_event_identifier"

    /// Checks the identifier's shape: exactly one of `id`, `number`,
    /// `external_system_reference_number`; `external_system` only beside the reference number;
    /// then the `fields_set` names. Every violation is reported, in that order.
    ///
    /// Called before the store lookup; the store reports unknown events (EVENT_NOT_FOUND) and
    /// a reference number matching several systems (AMBIGUOUS_IDENTIFIER).
    /// - Throws: INVALID_ARGUMENT coded after the first violation: `MANDATORY_PARAMETER_MISSING`
    ///   when absent, `INVALID_IDENTIFIER` for none or several fields, `STRING_TOO_LONG` past
    ///   255 bytes, `UNKNOWN_FIELD`.
    public static func validate(_ identifier: CustomerEventIdentifier?, fieldsSet: [String] = []) throws(DomainError) {
        var issues: [Finding] = []
        if let identifier { shape(identifier, into: &issues) } else { issues.append(Syntax.missing(path)) }
        Syntax.fieldsSet(fieldsSet, into: &issues)
        guard issues.isEmpty else { throw DomainError(issues: issues) }
    }

    private static func shape(_ identifier: CustomerEventIdentifier, into issues: inout [Finding]) {
        let id = nonEmpty(identifier.id)
        let number = nonEmpty(identifier.number)
        let reference = nonEmpty(identifier.externalSystemReferenceNumber)
        let system = nonEmpty(identifier.externalSystem)
        let count = [id, number, reference].compactMap { $0 }.count
        guard count == 1, system == nil || reference != nil else {
            let text = "\(path) needs one of id, number or external_system_reference_number (with external_system)."
            return issues.append(Finding("INVALID_IDENTIFIER", path, text))
        }
        Syntax.string(id, path + ".id", into: &issues)
        Syntax.string(number, path + ".number", into: &issues)
        Syntax.string(reference, path + ".external_system_reference_number", into: &issues)
        Syntax.string(system, path + ".external_system", into: &issues)
    }
}
