import Domain
import Testing

@Suite struct CatalogIndexTests {
    typealias T = TestCatalog

    @Test("login: users are found by exact username and organisation")
    func userByLogin() {
        #expect(T.index.user(username: "alice", organisation: "acme")?.id == T.userAlice)
        #expect(T.index.user(username: "Alice", organisation: "acme") == nil)
        #expect(T.index.user(username: "alice", organisation: "other") == nil)
    }

    @Test("login: users and web API keys are found by id in either case")
    func byID() {
        #expect(T.index.user(id: T.userAlice.uppercased())?.username == "alice")
        #expect(T.index.webAPIKey(id: T.keyAlice.uppercased())?.userID == T.userAlice)
        #expect(T.index.webAPIKey(id: "nope") == nil && T.index.user(id: "") == nil)
    }

    @Test("a user's referred object is shared")
    func userReference() throws {
        let first = try #require(T.index.userReference(id: T.userAlice))
        #expect(first === T.index.userReference(id: T.userAlice.uppercased()))
        #expect(first.name == "alice")
    }

    @Test("login: resolveUnit resolves by id, name or alternative_code")
    func resolveUnit() throws {
        #expect(try T.index.resolveUnit(Identifier(alternativeCode: "BO"), field: "unit").id == T.unitBack)
        #expect(try T.index.resolveUnit(Identifier(id: T.unitFront.uppercased()), field: "unit").name == "Front desk")
    }

    @Test(
        "login: resolveUnit reports bad shapes and unknown units at the given field",
        arguments: [
            (Identifier(), DomainError.Kind.invalidArgument, "INVALID_IDENTIFIER"),
            (Identifier(name: "Orphan", alternativeCode: "OR"), .invalidArgument, "INVALID_IDENTIFIER"),
            (Identifier(code: "FD"), .invalidArgument, "INVALID_IDENTIFIER"),
            (Identifier(name: "Nowhere"), .notFound, "UNIT_NOT_FOUND"),
        ]
    )
    func resolveUnitErrors(_ identifier: Identifier, _ kind: DomainError.Kind, _ code: String) {
        do throws(DomainError) {
            _ = try T.index.resolveUnit(identifier, field: "unit")
            Issue.record("expected an error")
        } catch {
            expect(error, kind, code, fields: ["unit"])
        }
    }

    @Test("list filters: classification and accounts receivable resolve like in a create")
    func listFilters() throws {
        #expect(
            try T.index.resolveClassification(Identifier(alternativeCode: "VIS"), field: "c").id
                == T.classificationVisit
        )
        let account = try T.index.resolveAccountsReceivable(
            Identifier(accessTokenIdentifier: .init(identifier: "ID-3", passCode: "3333")),
            field: "a",
            verifyPassCode: { $1 == "hash:" + $0 }
        )
        #expect(account.id == T.accountBob)
    }

    @Test("events share the catalog's referred objects")
    func sharedReferences() throws {
        var command = T.command()
        command.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: .init(authenticationCode: "CARD-1111"))
        let first = try T.event(command)
        let second = try T.event(command)
        #expect(first.classification === second.classification)
        #expect(first.accountsReceivable === second.accountsReceivable)
        #expect(first.performedByTap === second.performedByTap)
        #expect(first.authorizedByAccessToken === second.authorizedByAccessToken)
        #expect(first.paymentMediumType === second.paymentMediumType)
    }

    @Test("dangling references are treated as absent")
    func danglingReferences() throws {
        var catalog = T.catalog()
        catalog.units.append(
            .init(
                id: T.id("3", 9),
                name: "Lost",
                alternativeCode: "LO",
                description: "",
                businessUnitID: T.id("2", 9),
                tapID: T.id("1", 9)
            )
        )
        catalog.accessTokens.append(
            .init(
                id: T.id("5", 9),
                number: "AT-9",
                lifeCycleState: "EFFECTIVE",
                authenticationCode: "CARD-9999",
                identifier: "",
                passCodeHash: "",
                accountsReceivableID: T.accountAlice,
                classificationID: T.id("4", 9)
            )
        )
        var command = T.command()
        setIdentifier(&command, "performed_by_unit_identifier", Identifier(name: "Lost"))
        command.authorizedByAccessTokenIdentifier = .init(authenticationCode: "CARD-9999")
        let event = try T.event(command, catalog: catalog.indexed())
        #expect(
            event.performedByUnit?.name == "Lost" && event.performedByBusinessUnit == nil && event.performedByTap == nil
        )
        #expect(event.authorizedByAccessToken?.classification == nil && event.paymentMediumType == nil)
    }

    @Test("a token whose account is missing leaves the account not found")
    func tokenWithoutAccount() {
        var catalog = T.catalog()
        catalog.accessTokens.append(
            .init(
                id: T.id("5", 8),
                number: "AT-8",
                lifeCycleState: "EFFECTIVE",
                authenticationCode: "CARD-8888",
                identifier: "",
                passCodeHash: "",
                accountsReceivableID: T.id("a", 0xff),
                classificationID: nil
            )
        )
        var command = T.command()
        command.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: .init(authenticationCode: "CARD-8888"))
        expect(T.error(command, catalog: catalog.indexed()), .notFound, "ACCOUNTS_RECEIVABLE_NOT_FOUND")
    }
}
