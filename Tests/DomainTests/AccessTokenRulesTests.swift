import Domain
import Testing

@Suite struct AccessTokenRulesTests {
    typealias T = TestCatalog
    static let accountTokenPath = "accounts_receivable_identifier.access_token_identifier"

    /// A create whose account is identified by an access token.
    static func byToken(_ token: AccessTokenIdentifier) -> CreateAchievement {
        var command = T.command()
        command.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: token)
        return command
    }

    @Test("seed: accounts_receivable_identifier.access_token_identifier gives the token's account")
    func accountFromToken() throws {
        let event = try T.event(Self.byToken(.init(authenticationCode: "CARD-1111")))
        #expect(event.accountsReceivable.id == T.accountAlice)
        let token = try #require(event.authorizedByAccessToken)
        #expect(token.id == T.tokenAlice && token.number == "AT-1" && token.lifeCycleState == "EFFECTIVE")
        #expect(token.authenticationCode == "CARD-1111" && token.identifier == "ID-1")
        #expect(
            token.classification == ReferredObject(id: T.tokenClassCredit, name: "Credit card", alternativeCode: "CC")
        )
    }

    @Test("SPEC §4: an access token found by identifier needs its pass code")
    func identifierAndPassCode() throws {
        let command = Self.byToken(.init(identifier: "ID-1", passCode: "1234"))
        #expect(AchievementRules.needsPassCodeCheck(command))
        #expect(try T.event(command).accountsReceivable.id == T.accountAlice)
    }

    @Test("SPEC §3: a wrong pass code reads as ACCESS_TOKEN_NOT_FOUND, like an unknown identifier")
    func wrongPassCode() {
        let wrong = T.error(Self.byToken(.init(identifier: "ID-1", passCode: "0000")))
        let unknown = T.error(Self.byToken(.init(identifier: "ID-9", passCode: "1234")))
        expect(wrong, .notFound, "ACCESS_TOKEN_NOT_FOUND", fields: [Self.accountTokenPath])
        #expect(wrong == unknown)
    }

    @Test("needsPassCodeCheck is false without a pass code")
    func noPassCodeCheck() {
        #expect(!AchievementRules.needsPassCodeCheck(T.command()))
        #expect(!AchievementRules.needsPassCodeCheck(Self.byToken(.init(authenticationCode: "CARD-1111"))))
        var authorized = T.command()
        authorized.authorizedByAccessTokenIdentifier = .init(identifier: "ID-1", passCode: "1234")
        #expect(AchievementRules.needsPassCodeCheck(authorized))
    }

    @Test("seed: the identifying access token must be EFFECTIVE")
    func accountTokenNotEffective() {
        let error = T.error(Self.byToken(.init(authenticationCode: "CARD-2222")))
        expect(error, .failedPrecondition, "ACCESS_TOKEN_NOT_EFFECTIVE", fields: [Self.accountTokenPath])
    }

    @Test("seed: the identifying access token overrides authorized_by_access_token_identifier")
    func overridesAuthorizedBy() throws {
        var command = Self.byToken(.init(authenticationCode: "CARD-1111"))
        command.authorizedByAccessTokenIdentifier = .init(authenticationCode: "CARD-3333")
        #expect(try T.event(command).authorizedByAccessToken?.id == T.tokenAlice)
    }

    @Test("seed: authorized_by_access_token_identifier alone becomes authorized_by_access_token")
    func authorizedByAlone() throws {
        var command = T.command()
        command.accountsReceivableIdentifier = Identifier(number: "AR-002")
        command.authorizedByAccessTokenIdentifier = .init(authenticationCode: "CARD-3333")
        #expect(try T.event(command).authorizedByAccessToken?.id == T.tokenBob)
    }

    @Test("seed: authorized_by_access_token_identifier must be EFFECTIVE")
    func authorizedByNotEffective() {
        var command = T.command()
        command.authorizedByAccessTokenIdentifier = .init(authenticationCode: "CARD-2222")
        let error = T.error(command)
        expect(
            error,
            .failedPrecondition,
            "ACCESS_TOKEN_NOT_EFFECTIVE",
            fields: ["authorized_by_access_token_identifier"]
        )
    }

    @Test("seed: payment medium type and brand default from the identifying token's classification")
    func defaultsFromAccountToken() throws {
        let event = try T.event(Self.byToken(.init(authenticationCode: "CARD-1111")))
        #expect(event.paymentMediumType == ReferredObject(id: T.typeCard, name: "Card", alternativeCode: "CARD"))
        #expect(event.paymentMediumBrand?.id == T.brandVisa)
    }

    @Test("decision: a default not allowed for the account is left empty; an allowed one applies")
    func defaultsOnlyWhenAllowed() throws {
        let event = try T.event(Self.byToken(.init(authenticationCode: "CARD-3333")))
        #expect(event.accountsReceivable.id == T.accountBob)
        #expect(event.paymentMediumType?.id == T.typeCash)  // allowed for Bob
        #expect(event.paymentMediumBrand == nil)  // Amex is not allowed for Bob
    }

    @Test("SPEC §8: authorized_by's classification supplies the defaults too")
    func defaultsFromAuthorizedBy() throws {
        var command = T.command()
        command.authorizedByAccessTokenIdentifier = .init(authenticationCode: "CARD-1111")
        let event = try T.event(command)
        #expect(event.paymentMediumType?.id == T.typeCard && event.paymentMediumBrand?.id == T.brandVisa)
    }

    @Test("seed: a given payment medium wins over the default")
    func givenWinsOverDefault() throws {
        var command = Self.byToken(.init(authenticationCode: "CARD-3333"))
        command.paymentMediumTypeIdentifier = Identifier(name: "Card")
        #expect(try T.event(command).paymentMediumType?.id == T.typeCard)
    }

    @Test("no access token, no defaults")
    func noTokenNoDefaults() throws {
        let event = try T.event(T.command())
        #expect(event.paymentMediumType == nil && event.paymentMediumBrand == nil)
    }

    @Test("SPEC §7: an accounts receivable that is not ACTIVE is ACCOUNT_NOT_ACTIVE")
    func accountNotActive() {
        var command = T.command()
        command.accountsReceivableIdentifier = Identifier(number: "AR-003")
        expect(T.error(command), .failedPrecondition, "ACCOUNT_NOT_ACTIVE", fields: ["accounts_receivable_identifier"])
        expect(T.error(Self.byToken(.init(authenticationCode: "CARD-4444"))), .failedPrecondition, "ACCOUNT_NOT_ACTIVE")
    }

    @Test(
        "seed (deprecated): rewards_participant_identifier must belong to the accounts receivable",
        arguments: [
            (Identifier(number: "RP-001"), true), (Identifier(id: TestCatalog.participantAlice), true),
            (Identifier(accessTokenIdentifier: .init(authenticationCode: "CARD-1111")), true),
            (Identifier(number: "RP-002"), false),
            (Identifier(accessTokenIdentifier: .init(authenticationCode: "CARD-3333")), false),
        ]
    )
    func rewardsParticipant(_ identifier: Identifier, _ belongs: Bool) {
        var command = T.command()
        command.rewardsParticipantIdentifier = identifier
        if belongs {
            #expect((try? T.prepare(command).get()) != nil)
        } else {
            expect(
                T.error(command),
                .invalidArgument,
                "REWARDS_PARTICIPANT_MISMATCH",
                fields: ["rewards_participant_identifier"]
            )
        }
    }

    @Test("SPEC §2: consistency (INVALID_ARGUMENT) comes before state (FAILED_PRECONDITION)")
    func consistencyBeforeState() {
        var command = T.command()
        command.accountsReceivableIdentifier = Identifier(number: "AR-003")
        command.paymentMediumTypeIdentifier = Identifier(name: "Cash")
        expect(T.error(command), .invalidArgument, "PAYMENT_MEDIUM_NOT_ALLOWED")
    }
}
