// Seed inputs of FuzzRequestDecoders (`FuzzRequestDecoders --write-seeds DIR`): requests from
// the client's real encoders, prefixed by their method number, plus hand-made bad payloads.
import Codec
import Domain
import FuzzSupport
import Wire

enum RequestSeeds {
    static func all() -> [FuzzSeed] {
        var seeds: [FuzzSeed] = []
        func add(_ name: String, _ method: MethodID, _ encode: (inout [UInt8]) -> Void) {
            var out: [UInt8] = [UInt8(method.rawValue)]
            encode(&out)
            seeds.append(FuzzSeed(name, out))
        }
        add("login-password", .login) {
            LoginCommand(username: "demo", password: "demo-password", organisation: "DEMO").encode(appendingTo: &$0)
        }
        add("login-key-unit", .login) {
            LoginCommand(
                unit: Identifier(id: "0b000000000000000000000000000001", alternativeCode: "U-COUNTER"),
                webAPIKey: "0123456789abcdef0123456789abcdef.demo-key-secret"
            ).encode(appendingTo: &$0)
        }
        add("login-release", .login) {
            LoginCommand(release: "0123456789abcdef.0123456789abcdef0123456789abcdef").encode(appendingTo: &$0)
        }
        add("create-full", .createAchievement) { fullCreate.encode(appendingTo: &$0) }
        add("create-minimal", .createAchievement) { minimalCreate.encode(appendingTo: &$0) }
        add("create-odd-numbers", .createAchievement) {
            var c = minimalCreate
            c.amount = -.nan
            c.userDefinedFields = UserDefinedFields(
                strings: ["", nil, nil, nil, nil, nil, nil, String(repeating: "é", count: 300)],
                floats: [-0.0, .infinity, .leastNonzeroMagnitude, nil],
                dates: [.min, nil, nil, .max]
            )
            c.accountsReceivableIdentifier = Identifier()
            c.fieldsSet = ["", "amount", "amount"]
            c.encode(appendingTo: &$0)
        }
        add("get-by-id", .getCustomerEvent) {
            EventLookup(
                token: "t",
                customerEventIdentifier: CustomerEventIdentifier(id: "0123456789abcdef00000000000000ff")
            )
            .encodeGet(appendingTo: &$0)
        }
        add("get-by-reference", .getCustomerEvent) {
            EventLookup(
                token: "t",
                customerEventIdentifier: CustomerEventIdentifier(
                    externalSystemReferenceNumber: "R-1",
                    externalSystem: "pos"
                ),
                fieldsSet: ["id", "number", "award_reward_transactions_set"]
            ).encodeGet(appendingTo: &$0)
        }
        add("list-filters", .listCustomerEvents) {
            var list = ListEvents()
            list.token = "t"
            list.accountsReceivableIdentifier = Identifier(number: "AR-1001")
            list.classificationIdentifier = Identifier(name: "Purchase")
            list.lifeCycleState = .cancelled
            list.performedOnFrom = 0
            list.performedOnTo = 1_767_225_600_000
            list.pageSize = 1000
            list.pageToken = "v1.1767225600000.42.0123abcd"
            list.fieldsSet = ["id", "performed_on"]
            list.encode(appendingTo: &$0)
        }
        add("list-empty", .listCustomerEvents) { ListEvents().encode(appendingTo: &$0) }
        add("cancel-by-number", .cancelCustomerEvent) {
            EventLookup(token: "t", customerEventIdentifier: CustomerEventIdentifier(number: "42"))
                .encodeCancel(appendingTo: &$0)
        }
        add("health", .health) { encodeHealthRequest(appendingTo: &$0) }
        add("bulk", .createAchievementsBulk) {
            var items = [fullCreate, minimalCreate, minimalCreate]
            items[1].requestUniqueIdentifier = "r-2"
            items[2].requestUniqueIdentifier = "r-2"
            CreateBulk(token: "t", items: items).encode(appendingTo: &$0)
        }
        add("bulk-empty-items", .createAchievementsBulk) {
            CreateBulk(token: "t", items: [CreateAchievement(), CreateAchievement()]).encode(appendingTo: &$0)
        }
        // Method 0: every decoder on the same bytes.
        add("all-decoders-create", MethodID(rawValue: 0)) { minimalCreate.encode(appendingTo: &$0) }
        // Hand-made payloads the decoders must reject or accept without trouble.
        seeds += [
            FuzzSeed("bad-truncated", [2, 0x0A, 0x05, 0x61]),  // token: length 5, 1 byte
            FuzzSeed("bad-utf8", [1, 0x0A, 0x02, 0xC3, 0x28]),  // username: invalid UTF-8
            FuzzSeed("bad-nul-in-string", [1, 0x0A, 0x03, 0x61, 0x00, 0x62]),  // username "a\0b"
            FuzzSeed("bad-duplicate-field", [1, 0x0A, 0x01, 0x61, 0x0A, 0x01, 0x62]),  // username twice
            FuzzSeed("bad-overlong-varint", [4, 0x40, 0x81, 0x80, 0x00]),  // a varint in 3 bytes for 1
            FuzzSeed("bad-wire-type", [3, 0x0B]),  // field 1, start group
            FuzzSeed("unknown-field-health", [6, 0xF8, 0x3F, 0x01]),  // field 1023 = 1
            FuzzSeed("empty-create", [2]),
        ]
        return seeds
    }

    static var minimalCreate: CreateAchievement {
        var c = CreateAchievement()
        c.token = "0123456789abcdef.0123456789abcdef0123456789abcdef"
        c.accountsReceivableIdentifier = Identifier(number: "AR-1001")
        c.classificationIdentifier = Identifier(name: "Purchase")
        c.performedByUnitIdentifier = Identifier(alternativeCode: "U-COUNTER")
        c.performedOn = 1_767_225_600_000
        c.amount = 25
        return c
    }

    static var fullCreate: CreateAchievement {
        var c = minimalCreate
        c.accountsReceivableIdentifier = Identifier(
            id: "03000000000000000000000000000001",
            number: "AR-1001",
            name: "Jane",
            accessTokenIdentifier: AccessTokenIdentifier(
                authenticationCode: "CARD-0001",
                identifier: "loyalty-0001",
                passCode: "1234"
            )
        )
        c.rewardsParticipantIdentifier = Identifier(id: "p1", number: "RP-1")
        c.productIdentifier = Identifier(id: "pr1", code: "P-1", alternativeCode: "PP")
        c.paymentMediumTypeIdentifier = Identifier(id: "t1", name: "Card", alternativeCode: "CD")
        c.paymentMediumBrandIdentifier = Identifier(id: "b1", name: "Visa", alternativeCode: "VS")
        c.paymentMediumIdentifier = "4111"
        c.performedByBusinessUnitIdentifier = Identifier(id: "bu1", name: "Shops", code: "SH")
        c.performedByTapIdentifier = Identifier(id: "tap1", name: "Till", code: "T1")
        c.description = "Café visit ☕"
        c.externalSystem = "pos"
        c.externalSystemReferenceNumber = "R-1"
        c.authorizedByAccessTokenIdentifier = AccessTokenIdentifier(identifier: "loyalty-0001", passCode: "1234")
        c.promoCode = "SUMMER"
        c.userDefinedFields = UserDefinedFields(
            strings: ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"],
            floats: [0, -1.5, 2.25, .greatestFiniteMagnitude],
            dates: [0, -1, 1_700_000_000_000, .max]
        )
        c.fieldsSet = ["id", "number", "amount"]
        c.requestUniqueIdentifier = "req-1"
        return c
    }
}
