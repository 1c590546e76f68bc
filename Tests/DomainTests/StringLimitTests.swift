import Domain
import Testing

/// Sets the string parameter at `path` of a create.
private func setString(_ command: inout CreateAchievement, _ path: String, _ value: String) {
    switch path {
    case "payment_medium_identifier": command.paymentMediumIdentifier = value
    case "description": command.description = value
    case "external_system": command.externalSystem = value
    case "external_system_reference_number": command.externalSystemReferenceNumber = value
    case "promo_code": command.promoCode = value
    case "udf_string_1": command.userDefinedFields.strings[0] = value
    case "udf_string_8": command.userDefinedFields.strings[7] = value
    case "classification_identifier.name": command.classificationIdentifier = Identifier(name: value)
    case "accounts_receivable_identifier.access_token_identifier.authentication_code":
        command.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: .init(authenticationCode: value))
    default: Issue.record("unknown path \(path)")
    }
}

@Suite struct StringLimitTests {
    static let limits: [(String, Int)] = [
        ("payment_medium_identifier", 255), ("description", 1024), ("external_system", 255),
        ("external_system_reference_number", 255), ("promo_code", 255), ("udf_string_1", 255), ("udf_string_8", 255),
        ("classification_identifier.name", 255),
        ("accounts_receivable_identifier.access_token_identifier.authentication_code", 255),
    ]

    @Test("SPEC §2: a string one byte past its limit is STRING_TOO_LONG", arguments: limits)
    func pastLimit(_ path: String, _ limit: Int) {
        var command = TestCatalog.command()
        setString(&command, path, String(repeating: "x", count: limit + 1))
        expect(TestCatalog.error(command), .invalidArgument, "STRING_TOO_LONG", fields: [path])
    }

    @Test("SPEC §2: a string exactly at its limit passes validation", arguments: limits)
    func atLimit(_ path: String, _ limit: Int) {
        var command = TestCatalog.command()
        setString(&command, path, String(repeating: "x", count: limit))
        if case .failure(let error) = TestCatalog.prepare(command) {
            #expect(error.code != "STRING_TOO_LONG")
            #expect(error.kind != .invalidArgument || error.code == "PROMO_CODE_INVALID")
        }
    }

    @Test("SPEC §2: limits count UTF-8 bytes, not characters")
    func bytesNotCharacters() {
        var command = TestCatalog.command()
        command.externalSystem = String(repeating: "é", count: 128)  // 256 bytes
        expect(TestCatalog.error(command), .invalidArgument, "STRING_TOO_LONG", fields: ["external_system"])
        command.externalSystem = String(repeating: "é", count: 127) + "x"  // 255 bytes
        #expect((try? TestCatalog.prepare(command).get()) != nil)
    }

    @Test("SPEC §3: UDFs are stored and returned as given")
    func userDefinedFieldsKept() throws {
        var command = TestCatalog.command()
        command.userDefinedFields.strings[2] = "three"
        command.userDefinedFields.floats[3] = 4.5
        command.userDefinedFields.dates[0] = 42
        let event = try TestCatalog.event(command)
        #expect(event.userDefinedFields == command.userDefinedFields)
        #expect(try TestCatalog.event(TestCatalog.command()).userDefinedFields == nil)
    }
}
