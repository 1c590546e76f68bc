import Domain
import Foundation
import Testing

@testable import CatalogFile

/// The demo catalog, file reading, malformed JSON and the loader's normalisations.
@Suite struct CatalogLoaderTests {
    @Test("the demo catalog loads with every kind of record")
    func demoLoads() throws {
        let catalog = try CatalogLoader.load(json: Array(DemoCatalog.json.utf8))
        #expect(catalog.currency == Catalog.Currency(system: "EUR", alternative: "PTS", alternativePerSystem: 10))
        #expect(catalog.users.count == 1)
        #expect(catalog.webAPIKeys.count == 1)
        #expect(catalog.accountsReceivable.count == 3)
        #expect(catalog.rewardsParticipants.count == 1)
        #expect(catalog.classifications.map(\.alternativeCode) == ["PURCHASE", "VISIT"])
        #expect(catalog.products.count == 2)
        #expect(catalog.paymentMediumTypes.map(\.alternativeCode) == ["CREDIT_CARD", "DEBIT_CARD"])
        #expect(catalog.paymentMediumBrands.map(\.alternativeCode) == ["VISA", "MASTERCARD"])
        #expect(catalog.transactionAcquiringPoints.count == 2)
        #expect(catalog.businessUnits.count == 2)
        #expect(catalog.units.count == 2)
        #expect(catalog.accessTokenClassifications.count == 1)
        #expect(catalog.accessTokens.map(\.lifeCycleState) == ["EFFECTIVE", "CANCELLED"])
        #expect(catalog.promotionCampaigns.first?.promoCodes == ["SUMMER", "WELCOME"])
        #expect(catalog.rewardOffers.count == 3)
        #expect(sameCatalog(CatalogLoader.demo(), catalog))
    }

    @Test("every reference of the demo catalog resolves")
    func demoReferencesResolve() {
        let c = CatalogLoader.demo()
        let ids = { (records: [String]) in Set(records) }
        let users = ids(c.users.map(\.id))
        let accounts = ids(c.accountsReceivable.map(\.id))
        let types = ids(c.paymentMediumTypes.map(\.id))
        let brands = ids(c.paymentMediumBrands.map(\.id))
        let taps = ids(c.transactionAcquiringPoints.map(\.id))
        #expect(c.webAPIKeys.allSatisfy { users.contains($0.userID) })
        #expect(c.accountsReceivable.allSatisfy { Set($0.paymentMediumTypeIDs).isSubset(of: types) })
        #expect(c.accountsReceivable.allSatisfy { Set($0.paymentMediumBrandIDs).isSubset(of: brands) })
        #expect(c.rewardsParticipants.allSatisfy { accounts.contains($0.accountsReceivableID) })
        #expect(c.businessUnits.compactMap(\.tapID).allSatisfy(taps.contains))
        #expect(c.units.compactMap(\.tapID).allSatisfy(taps.contains))
        #expect(c.units.compactMap(\.businessUnitID).allSatisfy(ids(c.businessUnits.map(\.id)).contains))
        #expect(c.accessTokenClassifications.compactMap(\.defaultPaymentMediumTypeID).allSatisfy(types.contains))
        #expect(c.accessTokenClassifications.compactMap(\.defaultPaymentMediumBrandID).allSatisfy(brands.contains))
        #expect(c.accessTokens.allSatisfy { accounts.contains($0.accountsReceivableID) })
        let tokenClasses = ids(c.accessTokenClassifications.map(\.id))
        #expect(c.accessTokens.compactMap(\.classificationID).allSatisfy(tokenClasses.contains))
        let offers = c.rewardOffers
        #expect(offers.flatMap(\.classificationIDs).allSatisfy(ids(c.classifications.map(\.id)).contains))
        #expect(offers.flatMap(\.productIDs).allSatisfy(ids(c.products.map(\.id)).contains))
        #expect(offers.compactMap(\.promotionCampaignID).allSatisfy(ids(c.promotionCampaigns.map(\.id)).contains))
    }

    @Test("the demo exercises each feature the README and integration tests rely on")
    func demoFeatures() throws {
        let c = CatalogLoader.demo()
        let user = try #require(c.users.first)
        #expect(user.username == DemoCredentials.username && user.organisation == DemoCredentials.organisation)
        #expect(DemoCredentials.webAPIKey.hasPrefix(try #require(c.webAPIKeys.first).id + "."))
        #expect(c.accountsReceivable.map(\.lifeCycleState) == ["ACTIVE", "ACTIVE", "SUSPENDED"])
        #expect(c.units.map { $0.tapID != nil } == [false, true])
        #expect(c.businessUnits.first?.tapID != nil)
        let token = try #require(c.accessTokens.first)
        #expect(token.authenticationCode == "CARD-0001" && token.identifier == "loyalty-0001")
        let campaign = try #require(c.promotionCampaigns.first)
        #expect(campaign.effectiveFrom == 1_577_836_800_000 && campaign.effectiveTo == 4_102_444_800_000)
        #expect(c.rewardOffers.map(\.award) == [.fixed(10), .percentage(5), .fixed(50)])
        #expect(c.rewardOffers.map(\.awardCurrency) == [.alternative, .system, .alternative])
        #expect(c.rewardOffers[1].minAmount == 10)
        #expect(c.rewardOffers[1].effectiveTo == 4_102_444_800_000)
        #expect(c.rewardOffers[2].promotionCampaignID == campaign.id)
    }

    /// The demo's hashes against their documented secrets, checked by `openssl passwd` with each hash's salt.
    @Test(
        "the demo's hashes match the documented secrets",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func demoHashesMatchSecrets() throws {
        let c = CatalogLoader.demo()
        let keySecret = try #require(DemoCredentials.webAPIKey.split(separator: ".").last)
        let pairs = [
            (DemoCredentials.password, c.users[0].passwordHash),
            (String(keySecret), c.webAPIKeys[0].keyHash),
            ("1234", c.accessTokens[0].passCodeHash),
        ]
        for (secret, hash) in pairs {
            let salt = hash.split(separator: "$")[1]
            #expect(try Self.openssl(["passwd", "-6", "-salt", String(salt), secret]) == hash)
        }
    }

    private static func openssl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a file that does not exist names the path")
    func missingFile() {
        let path = "/nonexistent-dir/catalog.json"
        #expect(throws: CatalogFileError(entry: path, message: "cannot read the file: no such file")) {
            try CatalogLoader.load(path: path)
        }
    }

    @Test("a directory is not a catalog file")
    func directory() {
        #expect(throws: CatalogFileError(entry: "/tmp", message: "cannot read the file: it is a directory")) {
            try CatalogLoader.load(path: "/tmp")
        }
    }

    @Test("a file on disk loads like the same JSON in memory")
    func fileLoads() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: path) }
        try Data(DemoCatalog.json.utf8).write(to: path)
        #expect(sameCatalog(try CatalogLoader.load(path: path.path), CatalogLoader.demo()))
    }

    @Test(
        "malformed JSON says so and where",
        arguments: [
            (#"{"currency": }"#, "line 1, column 14: expected a value"),
            (
                "{\n  \"users\": [\n    {\"id\": \"x\"}\n    {\"id\": \"y\"}\n  ]\n}",
                "line 4, column 5: expected ',' or ']'"
            ),
            (#"{"a": tru}"#, "line 1, column 7: expected 'true'"),
            (#"{"a": "open"#, "line 1, column 12: expected '\"' closing the string"),
            ("", "line 1, column 1: expected a value"),
            (#"{"a": 1} x"#, "line 1, column 10: expected end of input"),
        ])
    func malformedJSON(text: String, location: String) throws {
        let error = try #require(throws: CatalogFileError.self) { try CatalogLoader.load(json: Array(text.utf8)) }
        #expect(error.entry == "json" && error.field == nil)
        #expect(error.description.hasPrefix("catalog: json: malformed JSON: "))
        #expect(error.message.contains("At \(location)."))
    }

    @Test("ids are stored lowercase and match references in either case")
    func idsLowercased() throws {
        let upper = "ABCDEF0123456789ABCDEF0123456789"
        let json = CatalogFixture.document(
            #""transaction_acquiring_points": [{"id": "\#(upper)", "name": "T", "code": "T1"}],"#
                + #""business_units": [{"id": "\#(upper)", "name": "B", "code": "B1", "tap_id": "\#(upper.lowercased())"}]"#
        )
        let catalog = try CatalogLoader.load(json: json)
        #expect(catalog.transactionAcquiringPoints.first?.id == upper.lowercased())
        #expect(catalog.businessUnits.first?.tapID == upper.lowercased())
    }

    @Test("absent optional keys and nulls take their defaults")
    func defaults() throws {
        let json = CatalogFixture.document(
            #""units": [{"id": "\#(CatalogFixture.id1)", "name": "U", "tap_id": null}],"#
                + #""reward_offers": [{"id": "\#(CatalogFixture.id1)", "name": "O", "award_fixed": 1}]"#)
        let catalog = try CatalogLoader.load(json: json)
        let unit = try #require(catalog.units.first)
        #expect(
            unit
                == Catalog.Unit(
                    id: CatalogFixture.id1, name: "U", alternativeCode: "", description: "",
                    businessUnitID: nil, tapID: nil))
        let offer = try #require(catalog.rewardOffers.first)
        #expect(offer.awardCurrency == .system && offer.classificationIDs.isEmpty && offer.expirationDays == nil)
        #expect(offer.minAmount == nil && offer.effectiveFrom == nil && offer.promotionCampaignID == nil)
    }

    @Test("a catalog with only the currency is valid")
    func currencyOnly() throws {
        let catalog = try CatalogLoader.load(json: CatalogFixture.document(""))
        #expect(catalog.users.isEmpty && catalog.rewardOffers.isEmpty)
        #expect(catalog.currency.alternativePerSystem == 10)
    }

    @Test(
        "crypt(3) hash formats",
        arguments: [
            ("$6$salt$hash", true), ("$y$j9T$salt$hash", true), ("$5$rounds=1000$salt$hash", true),
            ("$2b$10$abcdefghijklmnopqrstuu", true), ("plain-password", false), ("$6$salt$", false),
            ("$$salt$hash", false), ("$6$sa lt$hash", false), ("!$6$salt$hash", false), ("$6$hash", false),
        ])
    func cryptFormats(hash: String, accepted: Bool) {
        #expect(RecordReader.isCryptHash(hash) == accepted)
    }
}
