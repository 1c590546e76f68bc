// Referred objects already in memory, found from a stored record's C strings: replay reuses
// the instance instead of building an equal copy (no Swift strings, no allocation).
internal import AchievementProtoC
public import Domain

#if canImport(Glibc)
internal import Glibc
#endif

/// Referred objects a record decoder may reuse, indexed by a hash of their id's bytes.
///
/// Immutable once made, so decoders on several threads share one. A stored object is
/// reused only when every field is equal to the record's (its kind's fields as given, the
/// others empty), so a decoded event is `==` to the one decoded without it.
public final class KnownObjects: Sendable {
    private let objects: [ReferredObject]
    /// `objects` by identity, read without touching their reference counts.
    private let identities: [ObjectIdentifier]
    /// Hash of the id's bytes → first index in `objects`; `next` chains indexes of equal hash.
    private let first: [UInt64: Int32]
    private let next: [Int32]
    /// Known sets by the identities of their members.
    private let sets: [Members: ReferredSet]

    /// The identities of a set's nine members, in `ReferredSet.Fields` order (nil: absent).
    struct Members: Hashable {
        var classification, accountsReceivable: ObjectIdentifier
        var product, paymentMediumType, paymentMediumBrand, performedByUnit, performedByBusinessUnit, performedByTap,
            authorizedByAccessToken: ObjectIdentifier?

        init(classification: ObjectIdentifier, accountsReceivable: ObjectIdentifier, product: ObjectIdentifier?,
             paymentMediumType: ObjectIdentifier?, paymentMediumBrand: ObjectIdentifier?, performedByUnit: ObjectIdentifier?,
             performedByBusinessUnit: ObjectIdentifier?, performedByTap: ObjectIdentifier?, authorizedByAccessToken: ObjectIdentifier?) {
            self.classification = classification
            self.accountsReceivable = accountsReceivable
            self.product = product
            self.paymentMediumType = paymentMediumType
            self.paymentMediumBrand = paymentMediumBrand
            self.performedByUnit = performedByUnit
            self.performedByBusinessUnit = performedByBusinessUnit
            self.performedByTap = performedByTap
            self.authorizedByAccessToken = authorizedByAccessToken
        }

        init(_ f: ReferredSet.Fields) {
            self.init(classification: ObjectIdentifier(f.classification), accountsReceivable: ObjectIdentifier(f.accountsReceivable),
                      product: f.product.map(ObjectIdentifier.init), paymentMediumType: f.paymentMediumType.map(ObjectIdentifier.init),
                      paymentMediumBrand: f.paymentMediumBrand.map(ObjectIdentifier.init),
                      performedByUnit: f.performedByUnit.map(ObjectIdentifier.init),
                      performedByBusinessUnit: f.performedByBusinessUnit.map(ObjectIdentifier.init),
                      performedByTap: f.performedByTap.map(ObjectIdentifier.init),
                      authorizedByAccessToken: f.authorizedByAccessToken.map(ObjectIdentifier.init))
        }
    }

    /// Indexes `objects` (usually an interner's instances) and the `sets` made of them: a
    /// record whose referred objects all match the members of a known set gets that set,
    /// retaining one object instead of nine (decoders on several cores otherwise contend
    /// for the same reference counts).
    public init(_ objects: [ReferredObject], sets: [ReferredSet] = []) {
        var first: [UInt64: Int32] = [:]
        var next = [Int32](repeating: -1, count: objects.count)
        for (index, object) in objects.enumerated() {
            let key = Self.hash(object.id.utf8)
            if let previous = first[key] { next[index] = previous }
            first[key] = Int32(index)
        }
        self.objects = objects
        self.identities = objects.map(ObjectIdentifier.init)
        self.first = first
        self.next = next
        var byMembers: [Members: ReferredSet] = [:]
        for set in sets { byMembers[Members(set.fields)] = set }
        self.sets = byMembers
    }

    /// The first known object with the id at `id` that `matches` accepts.
    func find(id: UnsafePointer<CChar>?, _ matches: (ReferredObject) -> Bool) -> ReferredObject? {
        position(id: id, matches).map { objects[$0] }
    }

    /// The identity of `find`'s object (no reference count touched).
    func identity(id: UnsafePointer<CChar>?, _ matches: (ReferredObject) -> Bool) -> ObjectIdentifier? {
        position(id: id, matches).map { identities[$0] }
    }

    /// The known set with these members, if any.
    func set(_ members: Members) -> ReferredSet? {
        sets.isEmpty ? nil : sets[members]
    }

    private func position(id: UnsafePointer<CChar>?, _ matches: (ReferredObject) -> Bool) -> Int? {
        guard !objects.isEmpty else { return nil }
        let key: UInt64
        if let id, id.pointee != 0 {
            key = Self.hash(UnsafeRawBufferPointer(start: id, count: strlen(id)))
        } else {
            key = Self.hash(EmptyCollection<UInt8>())
        }
        var index = first[key] ?? -1
        while index >= 0 {
            if matches(objects[Int(index)]) { return Int(index) }
            index = next[Int(index)]
        }
        return nil
    }

    /// FNV-1a of `bytes` (ids are short; this only spreads them over the dictionary).
    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }
}

extension StoredReader {
    /// True when `text` holds exactly the bytes of the C string at `p` (nil or "" for empty).
    @inline(__always)
    static func same(_ text: String, _ p: UnsafePointer<CChar>?) -> Bool {
        guard let p, p.pointee != 0 else { return text.isEmpty }
        var text = text  // native strings: no copy
        return text.withUTF8 { utf8 in
            let count = strlen(p)
            return utf8.count == count && memcmp(utf8.baseAddress!, p, count) == 0  // safe because: count > 0, so utf8 is not empty
        }
    }

    /// True when `o` has exactly these fields (nil pointers: the field is empty) and no classification.
    static func matches(
        _ o: ReferredObject, id: UnsafePointer<CChar>?, number: UnsafePointer<CChar>? = nil, name: UnsafePointer<CChar>? = nil,
        code: UnsafePointer<CChar>? = nil, alternativeCode: UnsafePointer<CChar>? = nil, description: UnsafePointer<CChar>? = nil,
        lifeCycleState: UnsafePointer<CChar>? = nil
    ) -> Bool {
        o.classification == nil && o.authenticationCode.isEmpty && o.identifier.isEmpty
            && same(o.id, id) && same(o.number, number) && same(o.name, name) && same(o.code, code)
            && same(o.alternativeCode, alternativeCode) && same(o.description, description)
            && same(o.lifeCycleState, lifeCycleState)
    }
}

extension StoredReader {
    /// The identities of a stored event's nine referred objects when each present one is
    /// known (and there is no access token, which is never reused); nil otherwise.
    static func knownMembers(_ m: Achievement__V1__CustomerEvent, _ known: KnownObjects) -> KnownObjects.Members? {
        guard m.authorized_by_access_token == nil,
            let c = m.classification?.pointee, let classification = known.identity(id: c.id, matcher(c)),
            let a = m.accounts_receivable?.pointee, let account = known.identity(id: a.id, matcher(a)),
            let product = optional(m.product, { known.identity(id: $0.id, matcher($0)) }),
            let type = optional(m.payment_medium_type, { known.identity(id: $0.id, matcher($0)) }),
            let brand = optional(m.payment_medium_brand, { known.identity(id: $0.id, matcher($0)) }),
            let unit = optional(m.performed_by_unit, { known.identity(id: $0.id, matcher($0)) }),
            let businessUnit = optional(m.performed_by_business_unit, { known.identity(id: $0.id, matcher($0)) }),
            let tap = optional(m.performed_by_tap, { known.identity(id: $0.id, matcher($0)) })
        else { return nil }
        return KnownObjects.Members(
            classification: classification, accountsReceivable: account, product: product, paymentMediumType: type,
            paymentMediumBrand: brand, performedByUnit: unit, performedByBusinessUnit: businessUnit, performedByTap: tap,
            authorizedByAccessToken: nil)
    }

    /// `.some(nil)` for an absent field, `.some(identity)` for a known one, nil for an unknown one.
    private static func optional<T>(_ p: UnsafeMutablePointer<T>?, _ identity: (T) -> ObjectIdentifier?) -> ObjectIdentifier?? {
        guard let p else { return .some(nil) }
        guard let found = identity(p.pointee) else { return nil }
        return .some(found)
    }

    /// The field-by-field test of each kind of stored object against a known one.
    static func matcher(_ r: Achievement__V1__Reference) -> (ReferredObject) -> Bool {
        { matches($0, id: r.id, name: r.name, alternativeCode: r.alternative_code) }
    }

    static func matcher(_ r: Achievement__V1__CodedReference) -> (ReferredObject) -> Bool {
        { matches($0, id: r.id, name: r.name, code: r.code) }
    }

    static func matcher(_ r: Achievement__V1__AccountsReceivable) -> (ReferredObject) -> Bool {
        { matches($0, id: r.id, number: r.number, name: r.name, lifeCycleState: r.life_cycle_state) }
    }

    static func matcher(_ r: Achievement__V1__Product) -> (ReferredObject) -> Bool {
        { matches($0, id: r.id, code: r.code, alternativeCode: r.alternative_code, description: r.description) }
    }

    static func matcher(_ r: Achievement__V1__Unit) -> (ReferredObject) -> Bool {
        { matches($0, id: r.id, name: r.name, alternativeCode: r.alternative_code, description: r.description) }
    }

    static func matcher(_ r: Achievement__V1__User) -> (ReferredObject) -> Bool {
        { matches($0, id: r.id, name: r.username) }
    }
}
