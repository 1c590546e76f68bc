import CatalogFile
import Client
import Codec
import Domain
import Testing
import TestSupport
import Wire

/// Login (web API key, release, unit) and the access-token path of CreateAchievement (SPEC §3).
@Suite(.serialized) struct ApiAuthTests {
    @Test("login with the demo web API key gives a token that works")
    func webAPIKey() throws {
        let h = try Harness.start()
        let login = try h.client.login(LoginCommand(webAPIKey: DemoCredentials.webAPIKey)).get()
        #expect(login.token.utf8.count == 49 && login.token != h.token)
        #expect(login.expiresAt > Harness.baseTime)
        var command = h.validCreate()
        command.token = login.token
        #expect(try h.client.create(command).get().logInformation?.createdByUser?.name == "demo")
    }

    @Test("wrong credentials: UNAUTHENTICATED INVALID_CREDENTIALS, one answer for all", arguments: [
        LoginCommand(webAPIKey: "0123456789abcdef0123456789abcdef.wrong-secret"),
        LoginCommand(webAPIKey: "ffffffffffffffffffffffffffffffff.demo-key-secret"),
        LoginCommand(webAPIKey: "no-dot-at-all"),
        LoginCommand(username: "demo", password: "wrong", organisation: "DEMO"),
        LoginCommand(username: "nobody", password: "demo-password", organisation: "DEMO"),
        LoginCommand(username: "demo", password: "demo-password", organisation: "OTHER"),
    ])
    func invalidCredentials(login: LoginCommand) throws {
        let h = try Harness.start()
        let reference = try #require(h.client.login(LoginCommand(webAPIKey: "0123456789abcdef0123456789abcdef.x")).failure)
        let error = expectFailure(h.client.login(login), .unauthenticated, "INVALID_CREDENTIALS")
        #expect(error?.message == reference.message && error?.violations == reference.violations)
    }

    @Test("username and password together with web_api_key: INVALID_ARGUMENT")
    func bothCredentialKinds() throws {
        let h = try Harness.start()
        let both = LoginCommand(username: "demo", password: "demo-password", organisation: "DEMO", webAPIKey: DemoCredentials.webAPIKey)
        let error = expectFailure(h.client.login(both), .invalidArgument, "CREDENTIALS_CONFLICT")
        #expect(error?.violations.isEmpty == false)
    }

    @Test("a Login string over 255 bytes: INVALID_ARGUMENT STRING_TOO_LONG naming it, before any credential check")
    func longStrings() throws {
        let h = try Harness.start()
        let long = String(repeating: "x", count: 256)
        let cases: [(LoginCommand, [String])] = [
            (LoginCommand(username: long, password: "demo-password", organisation: "DEMO"), ["username"]),
            (LoginCommand(username: "demo", password: long, organisation: long), ["password", "organisation"]),
            (LoginCommand(webAPIKey: long), ["web_api_key"]),
            (LoginCommand(release: long), ["release"]),
            (LoginCommand(username: long, password: "p"), ["organisation", "username"]),
        ]
        for (command, fields) in cases {
            let error = expectFailure(h.client.login(command), .invalidArgument, fields == ["organisation", "username"] ? "MANDATORY_PARAMETER_MISSING" : "STRING_TOO_LONG")
            #expect(error?.violations.map(\.field) == fields)
        }
    }

    @Test("release invalidates the token: the next call is UNAUTHENTICATED TOKEN_INVALID; other tokens still work")
    func release() throws {
        let h = try Harness.start()
        let token = try h.client.login(LoginCommand(webAPIKey: DemoCredentials.webAPIKey)).get().token
        var command = h.validCreate()
        command.token = token
        _ = try h.client.create(command).get()
        let released = try h.client.login(LoginCommand(release: token)).get()
        #expect(released.token.isEmpty)
        expectFailure(h.client.create(command), .unauthenticated, "TOKEN_INVALID")
        expectFailure(h.client.get(EventLookup(token: token, customerEventIdentifier: CustomerEventIdentifier(number: "1"))), .unauthenticated, "TOKEN_INVALID")
        #expect(try h.client.create(h.validCreate()).get().id != nil)
        #expect(try h.eventCount() == 2)
    }

    @Test("login with a unit: an existing one is accepted; one that does not exist is NOT_FOUND")
    func loginUnit() throws {
        let h = try Harness.start()
        let good = LoginCommand(username: "demo", password: "demo-password", organisation: "DEMO", unit: Identifier(alternativeCode: "U-GATE12"))
        #expect(try h.client.login(good).get().token.utf8.count == 49)
        let key = LoginCommand(unit: Identifier(name: "No such unit"), webAPIKey: DemoCredentials.webAPIKey)
        let error = expectFailure(h.client.login(key), .notFound, "UNIT_NOT_FOUND")
        #expect(error?.violations.first?.field.hasPrefix("unit") == true)
    }

    func tokenCreate(_ h: Harness, _ token: AccessTokenIdentifier) -> CreateAchievement {
        h.create { $0.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: token) }
    }

    @Test("an account identified by access token CARD-0001: AR-1001 with authorized_by_access_token filled")
    func accessTokenByCode() throws {
        let h = try Harness.start()
        let event = try h.client.create(tokenCreate(h, AccessTokenIdentifier(authenticationCode: "CARD-0001"))).get()
        #expect(event.accountsReceivable?.number == "AR-1001")
        let token = try #require(event.authorizedByAccessToken)
        #expect(token.number == "AT-0001" && token.lifeCycleState == "EFFECTIVE" && token.authenticationCode == "CARD-0001")
        #expect(token.identifier == "loyalty-0001" && token.classification?.name == "Loyalty card")
        #expect(try h.get(id: event.id).get() == event)
    }

    @Test("the access token's classification supplies the payment medium defaults (Credit card / Visa)")
    func paymentMediumDefaults() throws {
        let h = try Harness.start()
        let byAccount = try h.client.create(tokenCreate(h, AccessTokenIdentifier(authenticationCode: "CARD-0001"))).get()
        #expect(byAccount.paymentMediumType?.name == "Credit card" && byAccount.paymentMediumBrand?.name == "Visa")
        let authorized = h.create { $0.authorizedByAccessTokenIdentifier = AccessTokenIdentifier(authenticationCode: "CARD-0001") }
        let event = try h.client.create(authorized).get()
        #expect(event.paymentMediumType?.alternativeCode == "CREDIT_CARD" && event.paymentMediumBrand?.alternativeCode == "VISA")
        var explicit = h.validCreate()
        explicit.paymentMediumTypeIdentifier = Identifier(name: "Debit card")
        #expect(try h.client.create(explicit).get().paymentMediumType?.name == "Debit card")
    }

    @Test("an access token by identifier and pass code works; a wrong pass code is NOT_FOUND ACCESS_TOKEN_NOT_FOUND")
    func accessTokenByPassCode() throws {
        let h = try Harness.start()
        let event = try h.client.create(tokenCreate(h, AccessTokenIdentifier(identifier: "loyalty-0001", passCode: "1234"))).get()
        #expect(event.accountsReceivable?.number == "AR-1001" && event.authorizedByAccessToken?.number == "AT-0001")
        let wrong = h.client.create(tokenCreate(h, AccessTokenIdentifier(identifier: "loyalty-0001", passCode: "9999")))
        expectFailure(wrong, .notFound, "ACCESS_TOKEN_NOT_FOUND")
        expectFailure(h.client.create(tokenCreate(h, AccessTokenIdentifier(authenticationCode: "CARD-9999"))), .notFound, "ACCESS_TOKEN_NOT_FOUND")
        #expect(try h.eventCount() == 1)
    }

    @Test("a CANCELLED access token (CARD-0002): FAILED_PRECONDITION ACCESS_TOKEN_NOT_EFFECTIVE, as account or as authorizer")
    func accessTokenNotEffective() throws {
        let h = try Harness.start()
        expectFailure(h.client.create(tokenCreate(h, AccessTokenIdentifier(authenticationCode: "CARD-0002"))), .failedPrecondition, "ACCESS_TOKEN_NOT_EFFECTIVE")
        let authorized = h.create { $0.authorizedByAccessTokenIdentifier = AccessTokenIdentifier(authenticationCode: "CARD-0002") }
        expectFailure(h.client.create(authorized), .failedPrecondition, "ACCESS_TOKEN_NOT_EFFECTIVE")
        #expect(try h.eventCount() == 0)
    }

    @Test("authorized_by_access_token_identifier CARD-0001 fills authorized_by_access_token")
    func authorizedBy() throws {
        let h = try Harness.start()
        let command = h.create { $0.authorizedByAccessTokenIdentifier = AccessTokenIdentifier(authenticationCode: "CARD-0001") }
        let event = try h.client.create(command).get()
        #expect(event.authorizedByAccessToken?.number == "AT-0001" && event.accountsReceivable?.number == "AR-1001")
    }

    @Test("AR-1002 (Credit card / Visa only): its access token CARD-0002 is CANCELLED, but explicit allowed media pass, others fail")
    func allowedPaymentMedium() throws {
        let h = try Harness.start()
        let allowed = h.create {
            $0.accountsReceivableIdentifier = Identifier(number: "AR-1002")
            $0.paymentMediumTypeIdentifier = Identifier(name: "Credit card")
            $0.paymentMediumBrandIdentifier = Identifier(alternativeCode: "VISA")
        }
        let event = try h.client.create(allowed).get()
        #expect(event.paymentMediumType?.name == "Credit card" && event.paymentMediumBrand?.name == "Visa")
        var other = allowed
        other.paymentMediumBrandIdentifier = Identifier(name: "Mastercard")
        let error = expectFailure(h.client.create(other), .invalidArgument, "PAYMENT_MEDIUM_NOT_ALLOWED")
        #expect(error?.violations.map(\.field) == ["payment_medium_brand_identifier"])
    }
}
