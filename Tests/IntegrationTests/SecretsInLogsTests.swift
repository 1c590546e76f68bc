import Client
import Domain
import Testing
import TestSupport

@Suite(.serialized) struct SecretsInLogsTests {
    @Test("no log line carries a token, a password, a key secret or a pass code, even at debug level")
    func noSecrets() throws {
        let h = try Harness.start(["--log-level", "debug"])
        _ = try h.client.login(LoginCommand(webAPIKey: "0123456789abcdef0123456789abcdef.demo-key-secret")).get()
        _ = h.client.login(LoginCommand(username: "demo", password: "wrong-password-xyz", organisation: "DEMO"))
        var command = h.validCreate()
        command.accountsReceivableIdentifier = Identifier(accessTokenIdentifier: AccessTokenIdentifier(identifier: "loyalty-0001", passCode: "1234"))
        _ = h.client.create(command)
        #expect(h.server.terminate() == 0)
        let logs = h.server.logs
        #expect(!logs.isEmpty)
        for secret in [h.token, "demo-password", "wrong-password-xyz", "demo-key-secret", "pass_code"] {
            #expect(!logs.contains(secret), "log mentions \(secret)")
        }
    }
}
