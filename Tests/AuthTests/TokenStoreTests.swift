import Auth
import Domain
import Testing

@Suite struct TokenStoreTests {
    let user = ReferredObject(id: "01000000000000000000000000000001", name: "demo")

    @Test("a token is <16 hex>.<32 hex>, valid for exactly 2 hours from issue")
    func lifetime() throws {
        let tokens = TokenStore()
        let issued = tokens.issue(user: user, unitID: nil, now: 1_000)
        #expect(issued.token.count == 49 && issued.token.split(separator: ".").map(\.count) == [16, 32])
        #expect(issued.expiresAt == 1_000 + 2 * 60 * 60 * 1000)
        #expect(try tokens.check(issued.token, now: issued.expiresAt - 1).user === user)
        #expect { try tokens.check(issued.token, now: issued.expiresAt) } throws: { ($0 as? DomainError)?.code == "TOKEN_EXPIRED" }
    }

    @Test("unknown, malformed, tampered and released tokens are TOKEN_INVALID", arguments: [
        "", "x", "0123456789abcdef.0123456789abcdef0123456789abcdef", "not-hex-at-all-.0123456789abcdef0123456789abcdef",
    ])
    func invalid(token: String) {
        let tokens = TokenStore()
        _ = tokens.issue(user: user, unitID: nil, now: 0)
        #expect { try tokens.check(token, now: 1) } throws: { ($0 as? DomainError)?.code == "TOKEN_INVALID" }
    }

    @Test("a token whose secret differs in one digit is TOKEN_INVALID; release invalidates the real one")
    func tamperedAndReleased() throws {
        let tokens = TokenStore()
        let issued = tokens.issue(user: user, unitID: "u1", now: 0)
        var tampered = Array(issued.token)
        tampered[48] = tampered[48] == "0" ? "1" : "0"
        #expect { try tokens.check(String(tampered), now: 1) } throws: { ($0 as? DomainError)?.code == "TOKEN_INVALID" }
        #expect(try tokens.check(issued.token, now: 1).unitID == "u1")
        tokens.release(String(tampered))  // a wrong secret releases nothing
        #expect(try tokens.check(issued.token, now: 1).unitID == "u1")
        tokens.release(issued.token)
        #expect { try tokens.check(issued.token, now: 1) } throws: { ($0 as? DomainError)?.code == "TOKEN_INVALID" }
    }

    @Test("through a loop's session cache: the same answers as without, a tampered secret still refused, expiry still applied, and a release on any loop refusing the token everywhere at once")
    func sessionCache() throws {
        let tokens = TokenStore()
        let issued = tokens.issue(user: user, unitID: "u1", now: 0)
        let other = tokens.issue(user: user, unitID: "u2", now: 0)
        let loopA = SessionCache(), loopB = SessionCache()
        let first = try tokens.check(issued.token, now: 1, cache: loopA)
        #expect(first.unitID == "u1" && first.expiresAt == issued.expiresAt)
        #expect(first.user !== user && first.user == user)  // the loop's own instance, equal in content
        #expect(try tokens.check(issued.token, now: 2, cache: loopA).user === first.user)  // served from the cache
        var tampered = Array(issued.token)
        tampered[48] = tampered[48] == "0" ? "1" : "0"
        #expect { try tokens.check(String(tampered), now: 3, cache: loopA) } throws: { ($0 as? DomainError)?.code == "TOKEN_INVALID" }
        #expect { try tokens.check(issued.token, now: issued.expiresAt, cache: loopA) } throws: { ($0 as? DomainError)?.code == "TOKEN_EXPIRED" }
        #expect(try tokens.check(other.token, now: 4, cache: loopB).unitID == "u2")
        tokens.release(issued.token)  // e.g. a logout served by loop B
        #expect { try tokens.check(issued.token, now: 5, cache: loopA) } throws: { ($0 as? DomainError)?.code == "TOKEN_INVALID" }
        #expect { try tokens.check(issued.token, now: 5, cache: loopB) } throws: { ($0 as? DomainError)?.code == "TOKEN_INVALID" }
        #expect(try tokens.check(other.token, now: 6, cache: loopA).unitID == "u2")  // others still valid
        #expect { try tokens.check("0123456789abcdef.0123456789abcdef0123456789abcdef", now: 7, cache: loopA) } throws: {
            ($0 as? DomainError)?.code == "TOKEN_INVALID"
        }
    }

    @Test("hex digits are read in either case; a character next to a digit range in ASCII, in any of the three parts, is TOKEN_INVALID")
    func hexDigits() throws {
        let tokens = TokenStore()
        let issued = tokens.issue(user: user, unitID: "u1", now: 0)
        #expect(try tokens.check(issued.token.uppercased(), now: 1).unitID == "u1")
        for position in [0, 15, 17, 32, 33, 48] {
            for character: Character in ["/", ":", "@", "G", "`", "g", " ", "é"] {
                var tampered = Array(issued.token)
                tampered[position] = character
                #expect(throws: DomainError.self, "\(character) at \(position)") { try tokens.check(String(tampered), now: 1) }
            }
        }
        var dotless = Array(issued.token)
        dotless[16] = "0"
        #expect(throws: DomainError.self) { try tokens.check(String(dotless), now: 1) }
        #expect(throws: DomainError.self) { try tokens.check(String(issued.token.dropLast()), now: 1) }
    }

    @Test("tokens are unique across many issues")
    func unique() {
        let tokens = TokenStore()
        let all = (0..<2_000).map { _ in tokens.issue(user: user, unitID: nil, now: 0).token }
        #expect(Set(all).count == all.count)
    }
}

@Suite struct SecretHasherTests {
    @Test("crypt hashes verify their secret and nothing else; garbage hashes never verify")
    func verify() throws {
        let hash = try #require(SecretHasher.hash("s3cret"))
        #expect(hash.hasPrefix("$6$"))
        #expect(SecretHasher.verify("s3cret", hash: hash))
        #expect(!SecretHasher.verify("s3cret ", hash: hash))
        #expect(!SecretHasher.verify("", hash: hash))
        #expect(!SecretHasher.verify("s3cret", hash: ""))
        #expect(!SecretHasher.verify("s3cret", hash: "*"))
        #expect(!SecretHasher.verify("s3cret", hash: "$6$garbage"))
    }

    @Test("past its capacity the bounded queue refuses work instead of queueing it")
    func bounded() {
        let hasher = SecretHasher(capacity: 0)
        #expect(!hasher.submit {})
    }

    @Test("constant-time compare agrees with ==", arguments: [([UInt8](), [UInt8]()), ([1, 2], [1, 2]), ([1, 2], [1, 3]), ([1], [1, 1])])
    func compare(a: [UInt8], b: [UInt8]) {
        #expect(constantTimeEqual(a, b) == (a == b))
    }
}
