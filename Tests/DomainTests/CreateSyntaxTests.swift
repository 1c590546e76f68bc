import Domain
import Testing

/// Sets the identifier at `path` (clearing the other performed_by identifiers for those paths).
func setIdentifier(_ command: inout CreateAchievement, _ path: String, _ identifier: Identifier?) {
    switch path {
    case "accounts_receivable_identifier": command.accountsReceivableIdentifier = identifier
    case "rewards_participant_identifier": command.rewardsParticipantIdentifier = identifier
    case "classification_identifier": command.classificationIdentifier = identifier
    case "product_identifier": command.productIdentifier = identifier
    case "payment_medium_type_identifier": command.paymentMediumTypeIdentifier = identifier
    case "payment_medium_brand_identifier": command.paymentMediumBrandIdentifier = identifier
    default:
        command.performedByBusinessUnitIdentifier = nil
        command.performedByUnitIdentifier = nil
        command.performedByTapIdentifier = nil
        switch path {
        case "performed_by_business_unit_identifier": command.performedByBusinessUnitIdentifier = identifier
        case "performed_by_unit_identifier": command.performedByUnitIdentifier = identifier
        default: command.performedByTapIdentifier = identifier
        }
    }
}

/// Every identifier of CreateAchievement that takes an `Identifier`.
let identifierPaths = [
    "accounts_receivable_identifier", "rewards_participant_identifier", "classification_identifier",
    "product_identifier", "payment_medium_type_identifier", "payment_medium_brand_identifier",
    "performed_by_business_unit_identifier", "performed_by_unit_identifier", "performed_by_tap_identifier",
]

@Suite struct CreateSyntaxTests {
    @Test("the test command is valid")
    func validCommand() throws {
        let event = try TestCatalog.event(TestCatalog.command())
        #expect(event.lifeCycleState == .posted)
    }

    @Test("seed: accounts_receivable_identifier is mandatory")
    func accountsReceivableMandatory() {
        var command = TestCatalog.command()
        command.accountsReceivableIdentifier = nil
        expect(
            TestCatalog.error(command),
            .invalidArgument,
            "MANDATORY_PARAMETER_MISSING",
            fields: ["accounts_receivable_identifier"]
        )
    }

    @Test("seed: classification_identifier is mandatory")
    func classificationMandatory() {
        var command = TestCatalog.command()
        command.classificationIdentifier = nil
        expect(
            TestCatalog.error(command),
            .invalidArgument,
            "MANDATORY_PARAMETER_MISSING",
            fields: ["classification_identifier"]
        )
    }

    @Test("seed: performed_on is mandatory")
    func performedOnMandatory() {
        var command = TestCatalog.command()
        command.performedOn = nil
        expect(TestCatalog.error(command), .invalidArgument, "MANDATORY_PARAMETER_MISSING", fields: ["performed_on"])
    }

    @Test("an empty request reports every missing parameter in the seed's order")
    func emptyRequest() {
        let fields = [
            "accounts_receivable_identifier", "classification_identifier", "performed_by_business_unit_identifier",
            "performed_by_unit_identifier", "performed_by_tap_identifier", "performed_on",
        ]
        expect(TestCatalog.error(CreateAchievement()), .invalidArgument, "MANDATORY_PARAMETER_MISSING", fields: fields)
    }

    @Test("SPEC §4: an identifier with no identifying field is INVALID_IDENTIFIER", arguments: identifierPaths)
    func identifierWithoutField(_ path: String) {
        var command = TestCatalog.command()
        setIdentifier(&command, path, Identifier())
        expect(TestCatalog.error(command), .invalidArgument, "INVALID_IDENTIFIER", fields: [path])
    }

    @Test("SPEC §4: an identifier with two identifying fields is INVALID_IDENTIFIER", arguments: identifierPaths)
    func identifierWithTwoFields(_ path: String) {
        var command = TestCatalog.command()
        setIdentifier(&command, path, Identifier(id: TestCatalog.accountAlice, name: "Alice", code: "X"))
        expect(TestCatalog.error(command), .invalidArgument, "INVALID_IDENTIFIER", fields: [path])
    }

    @Test(
        "SPEC §4: a field the identifier does not allow is INVALID_IDENTIFIER",
        arguments: [
            ("classification_identifier", Identifier(code: "PUR")),
            ("product_identifier", Identifier(name: "Coffee")),
            ("performed_by_tap_identifier", Identifier(alternativeCode: "T1")),
            ("rewards_participant_identifier", Identifier(name: "RP")),
            ("classification_identifier", Identifier(accessTokenIdentifier: .init(authenticationCode: "CARD-1111"))),
        ]
    )
    func disallowedField(_ path: String, _ identifier: Identifier) {
        var command = TestCatalog.command()
        setIdentifier(&command, path, identifier)
        expect(TestCatalog.error(command), .invalidArgument, "INVALID_IDENTIFIER", fields: [path])
    }

    @Test("SPEC §4: an access token identifier with a number beside it is INVALID_IDENTIFIER")
    func accessTokenAndNumber() {
        var command = TestCatalog.command()
        command.accountsReceivableIdentifier = Identifier(
            number: "AR-001",
            accessTokenIdentifier: .init(authenticationCode: "CARD-1111")
        )
        expect(
            TestCatalog.error(command),
            .invalidArgument,
            "INVALID_IDENTIFIER",
            fields: ["accounts_receivable_identifier"]
        )
    }

    @Test(
        "SPEC §4: an access token identifier is authentication_code, or identifier with pass_code",
        arguments: [
            (AccessTokenIdentifier(), "INVALID_IDENTIFIER", ""),
            (
                AccessTokenIdentifier(authenticationCode: "CARD-1111", identifier: "ID-1", passCode: "1234"),
                "INVALID_IDENTIFIER", ""
            ),
            (AccessTokenIdentifier(authenticationCode: "CARD-1111", passCode: "1234"), "INVALID_IDENTIFIER", ""),
            (AccessTokenIdentifier(passCode: "1234"), "INVALID_IDENTIFIER", ""),
            (AccessTokenIdentifier(identifier: "ID-1"), "MANDATORY_PARAMETER_MISSING", ".pass_code"),
        ]
    )
    func accessTokenShape(_ token: AccessTokenIdentifier, _ code: String, _ suffix: String) {
        var command = TestCatalog.command()
        command.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: token)
        let path = "accounts_receivable_identifier.access_token_identifier"
        expect(TestCatalog.error(command), .invalidArgument, code, fields: [path + suffix])
        var authorized = TestCatalog.command()
        authorized.authorizedByAccessTokenIdentifier = token
        expect(
            TestCatalog.error(authorized),
            .invalidArgument,
            code,
            fields: ["authorized_by_access_token_identifier" + suffix]
        )
    }

    @Test("seed restriction: one performed_by parameter is required")
    func performedByRequired() {
        var command = TestCatalog.command()
        command.performedByBusinessUnitIdentifier = nil
        expect(
            TestCatalog.error(command),
            .invalidArgument,
            "PERFORMED_BY_REQUIRED",
            fields: CreateSyntaxTests.performedBy
        )
    }

    @Test(
        "seed restriction: only one performed_by parameter is allowed",
        arguments: [[0, 1], [0, 2], [1, 2], [0, 1, 2]]
    )
    func performedByConflict(_ members: [Int]) {
        var command = TestCatalog.command()
        command.performedByBusinessUnitIdentifier = members.contains(0) ? Identifier(code: "SHOP") : nil
        command.performedByUnitIdentifier = members.contains(1) ? Identifier(alternativeCode: "FD") : nil
        command.performedByTapIdentifier = members.contains(2) ? Identifier(code: "T1") : nil
        let fields = members.map { CreateSyntaxTests.performedBy[$0] }
        expect(TestCatalog.error(command), .invalidArgument, "PERFORMED_BY_CONFLICT", fields: fields)
    }

    static let performedBy = [
        "performed_by_business_unit_identifier", "performed_by_unit_identifier", "performed_by_tap_identifier",
    ]

    @Test("SPEC §3: amount must be finite and not negative", arguments: [-0.01, -1, Double.nan, .infinity, -.infinity])
    func invalidAmount(_ amount: Double) {
        var command = TestCatalog.command()
        command.amount = amount
        expect(TestCatalog.error(command), .invalidArgument, "INVALID_AMOUNT", fields: ["amount"])
    }

    @Test(
        "SPEC §3: amount zero, negative zero and large finite amounts are accepted",
        arguments: [0, -0.0, 0.01, 1e12]
    )
    func validAmount(_ amount: Double) throws {
        var command = TestCatalog.command()
        command.amount = amount
        #expect(try TestCatalog.event(command).amount == amount)
    }

    @Test("SPEC §3: fields_set names unknown fields as fields_set[i]")
    func unknownField() {
        var command = TestCatalog.command()
        command.fieldsSet = ["id", "bogus", "process_immediately", "Amount"]
        expect(
            TestCatalog.error(command),
            .invalidArgument,
            "UNKNOWN_FIELD",
            fields: ["fields_set[1]", "fields_set[3]"]
        )
    }

    @Test("SPEC §2: all violations are reported in the seed's order, coded after the first")
    func violationsInOrder() {
        var command = TestCatalog.command()
        command.accountsReceivableIdentifier = Identifier()
        command.classificationIdentifier = nil
        command.amount = -5
        command.description = String(repeating: "x", count: 1025)
        command.fieldsSet = ["nope"]
        let fields = [
            "accounts_receivable_identifier", "classification_identifier", "amount", "description", "fields_set[0]",
        ]
        expect(TestCatalog.error(command), .invalidArgument, "INVALID_IDENTIFIER", fields: fields)
    }

    @Test("SPEC §2: validation comes before lookups")
    func validationBeforeLookups() {
        var command = TestCatalog.command()
        command.accountsReceivableIdentifier = Identifier(number: "NOPE")
        command.amount = -1
        expect(TestCatalog.error(command), .invalidArgument, "INVALID_AMOUNT", fields: ["amount"])
    }
}
