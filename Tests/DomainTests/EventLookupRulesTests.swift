import Domain
import Testing

@Suite struct EventLookupRulesTests {
    /// The error `validate` throws, or nil when it accepts.
    static func error(_ identifier: CustomerEventIdentifier?) -> DomainError? {
        do throws(DomainError) {
            try EventLookupRules.validate(identifier)
            return nil
        } catch {
            return error
        }
    }

    @Test("SPEC §3: customer_event_identifier is mandatory")
    func mandatory() {
        expect(Self.error(nil), .invalidArgument, "MANDATORY_PARAMETER_MISSING", fields: ["customer_event_identifier"])
        #expect(Self.error(nil) != nil)
    }

    @Test(
        "SPEC §4: customer_event_identifier is id, number, or external_system_reference_number (+ external_system)",
        arguments: [
            CustomerEventIdentifier(id: "0000000000000abc0000000000000001"), CustomerEventIdentifier(number: "12"),
            CustomerEventIdentifier(externalSystemReferenceNumber: "R-1"),
            CustomerEventIdentifier(externalSystemReferenceNumber: "R-1", externalSystem: "POS"),
            CustomerEventIdentifier(id: "", number: "12", externalSystem: ""),
        ]
    )
    func valid(_ identifier: CustomerEventIdentifier) {
        #expect(Self.error(identifier) == nil)
    }

    @Test(
        "SPEC §4: none or several identifying fields is INVALID_IDENTIFIER",
        arguments: [
            CustomerEventIdentifier(), CustomerEventIdentifier(id: "a", number: "1"),
            CustomerEventIdentifier(number: "1", externalSystemReferenceNumber: "R"),
            CustomerEventIdentifier(externalSystem: "POS"), CustomerEventIdentifier(number: "1", externalSystem: "POS"),
        ]
    )
    func invalid(_ identifier: CustomerEventIdentifier) {
        expect(Self.error(identifier), .invalidArgument, "INVALID_IDENTIFIER", fields: ["customer_event_identifier"])
        #expect(Self.error(identifier) != nil)
    }

    @Test("SPEC §2: identifier strings longer than 255 bytes are STRING_TOO_LONG")
    func tooLong() {
        let long = String(repeating: "r", count: 256)
        let error = Self.error(CustomerEventIdentifier(externalSystemReferenceNumber: long, externalSystem: long))
        let fields = [
            "customer_event_identifier.external_system_reference_number", "customer_event_identifier.external_system",
        ]
        expect(error, .invalidArgument, "STRING_TOO_LONG", fields: fields)
    }

    @Test("SPEC §2: every violation is reported, identifier first, then fields_set")
    func allViolations() {
        func error(_ identifier: CustomerEventIdentifier?, _ fieldsSet: [String]) -> DomainError? {
            do throws(DomainError) { try EventLookupRules.validate(identifier, fieldsSet: fieldsSet) } catch { return error }
            return nil
        }
        let several = error(CustomerEventIdentifier(id: "a", number: "1"), ["id", "bogus"])
        #expect(several != nil)
        expect(several, .invalidArgument, "INVALID_IDENTIFIER", fields: ["customer_event_identifier", "fields_set[1]"])
        let missing = error(nil, ["bogus"])
        #expect(missing != nil)
        expect(missing, .invalidArgument, "MANDATORY_PARAMETER_MISSING", fields: ["customer_event_identifier", "fields_set[0]"])
        #expect(error(CustomerEventIdentifier(number: "1"), ["id", "number"]) == nil)
    }
}
