import Domain
import Testing

@Suite struct ReferredSetCacheTests {
    typealias T = TestCatalog

    private static func draft(_ command: CreateAchievement, _ cache: ReferredSetCache, catalog: CatalogIndex = T.index) throws -> CustomerEvent {
        try AchievementRules.draft(command, catalog: catalog, context: T.context, referredSets: cache)
    }

    /// Creates of several shapes: each performed-by kind, a product, an access token.
    private static let shapes: [CreateAchievement] = {
        var byUnit = T.command()
        byUnit.performedByBusinessUnitIdentifier = nil
        byUnit.performedByUnitIdentifier = Identifier(id: T.unitFront)
        var byTap = T.command()
        byTap.performedByBusinessUnitIdentifier = nil
        byTap.performedByTapIdentifier = Identifier(id: T.tapOne)
        var withProduct = T.command()
        withProduct.productIdentifier = Identifier(id: T.productCoffee)
        var withType = T.command()
        withType.paymentMediumTypeIdentifier = Identifier(id: T.typeCard)
        return [T.command(), byUnit, byTap, withProduct, withType]
    }()

    @Test("creates of one shape share one referred set; each shape's set holds what a draft without the cache holds")
    func sharesBySet() throws {
        var interned: [ReferredSet] = []
        let cache = ReferredSetCache(intern: { interned.append($0); return $0 })
        var seen: [ObjectIdentifier] = []
        for command in Self.shapes {
            let first = try Self.draft(command, cache)
            let second = try Self.draft(command, cache)
            #expect(first.referred === second.referred)
            #expect(first.referred.fields == (try T.event(command)).referred.fields)
            seen.append(ObjectIdentifier(first.referred))
        }
        #expect(Set(seen).count == Self.shapes.count)  // no two shapes share a set
        #expect(interned.count == Self.shapes.count)  // each new set interned once, hits not at all
    }

    @Test("a new set takes the instance intern gives back (the store's), and keeps handing it out")
    func takesInternedInstance() throws {
        let stored = try T.event(T.command()).referred
        let cache = ReferredSetCache(intern: { _ in stored })
        #expect(try Self.draft(T.command(), cache).referred === stored)
        #expect(try Self.draft(T.command(), cache).referred === stored)
    }

    @Test("a draft against another catalog gets that catalog's objects, not a set cached for the first")
    func otherCatalog() throws {
        let cache = ReferredSetCache()
        let first = try Self.draft(T.command(), cache)
        let other = CatalogIndex(T.catalog())
        let second = try Self.draft(T.command(), cache, catalog: other)
        #expect(first.referred !== second.referred)
        #expect(second.classification === (try T.event(T.command(), catalog: other)).classification)
    }

    @Test("past its limit the cache starts over, and sets stay correct")
    func limit() throws {
        let cache = ReferredSetCache(limit: 2)
        for _ in 0..<3 {
            for command in Self.shapes {
                #expect(try Self.draft(command, cache).referred.fields == (try T.event(command)).referred.fields)
            }
        }
    }
}
