/// The referred sets one event loop made, by the catalog positions of their members: creates
/// of the same shape share one set, instead of each making one (an allocation and nine
/// retains of catalog objects) for the store to replace with the set it already holds.
///
/// A set made on a miss goes through `intern` (the store's `adopt`), so the store then knows
/// it by identity alone.
///
/// Not thread-safe: one per event loop, used only on it. Holds at most `limit` sets, then
/// starts over; a draft against another catalog starts it over too.
public final class ReferredSetCache {
    /// The positions of a set's members in their catalog tables (-1 when absent); the
    /// performed-by triple by `PerformedBy.key`.
    struct Key: Hashable {
        let classification: Int, accountsReceivable: Int, product: Int, paymentMediumType: Int, paymentMediumBrand: Int
        let performedBy: Int, authorizedByAccessToken: Int

        func hash(into hasher: inout Hasher) { hasher.combine(_rawHashValue(seed: 0)) }

        /// Without SipHash (its seven rounds of combining were most of a lookup): the positions
        /// are catalog positions, which no caller can multiply beyond the catalog's records, so
        /// a multiply-and-fold of them with MurmurHash3's 64-bit finalizer spreads them enough.
        func _rawHashValue(seed: Int) -> Int {
            var x = UInt64(UInt(bitPattern: seed))
            for field in [classification, accountsReceivable, product, paymentMediumType, paymentMediumBrand, performedBy,
                          authorizedByAccessToken] {
                x = (x ^ UInt64(UInt(bitPattern: field))) &* goldenRatio64
            }
            return finalizedHash(x)
        }
    }

    private var sets: [Key: ReferredSet] = [:]
    /// The catalog the keys are positions in (held, so no other catalog takes its address).
    private var catalog: CatalogIndex?
    private let limit: Int
    private let intern: (ReferredSet) -> ReferredSet

    /// An empty cache of at most `limit` sets; `intern` hands each new set to the store (the
    /// server's is `EventStore.adopt`) and gives the instance to keep.
    public init(limit: Int = 4096, intern: @escaping (ReferredSet) -> ReferredSet = { $0 }) {
        self.limit = limit
        self.intern = intern
    }

    /// The set at `key` in `catalog`: one made earlier, or the one `make` makes (then kept).
    func set(_ key: Key, of catalog: CatalogIndex, make: () -> ReferredSet) -> ReferredSet {
        if ObjectIdentifier(catalog) != self.catalog.map(ObjectIdentifier.init) {
            sets.removeAll()
            self.catalog = catalog
        } else if let set = sets[key] {
            return set
        }
        let set = intern(make())
        if sets.count >= limit { sets.removeAll(keepingCapacity: true) }
        sets[key] = set
        return set
    }
}
