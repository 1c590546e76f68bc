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
/// others empty), so a decoded event is `==` to the one decoded without it. Matching reads
/// a flat copy of the objects' fields, not the objects: their reference counts, shared by
/// every decoding core, are touched only for the object that is taken.
public final class KnownObjects: Sendable {
    private let objects: [ReferredObject]
    /// Each object's seven text fields (`Fields` order), as u32 LE length + UTF-8 bytes, from
    /// `fieldStart[i]`; objects with a classification, an authentication code or an
    /// identifier (access tokens) are never matched and have no entry (-1).
    private let fieldBytes: [UInt8]
    private let fieldStart: [Int32]
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
            var id = object.id
            let key = id.withUTF8 { Self.hash(UnsafeRawBufferPointer($0)) }
            if let previous = first[key] { next[index] = previous }
            first[key] = Int32(index)
        }
        self.objects = objects
        self.identities = objects.map(ObjectIdentifier.init)
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        for o in objects {
            guard o.classification == nil, o.authenticationCode.isEmpty, o.identifier.isEmpty else {
                starts.append(-1)
                continue
            }
            starts.append(Int32(bytes.count))
            for text in [o.id, o.number, o.name, o.code, o.alternativeCode, o.description, o.lifeCycleState] {
                let count = UInt32(text.utf8.count)
                for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
                bytes.append(contentsOf: text.utf8)
            }
        }
        self.fieldBytes = bytes
        self.fieldStart = starts
        self.first = first
        self.next = next
        var byMembers: [Members: ReferredSet] = [:]
        for set in sets { byMembers[Members(set.fields)] = set }
        self.sets = byMembers
    }

    /// A stored object's text fields as C strings (nil: empty), in the order of `fieldBytes`.
    struct Fields {
        var id, number, name, code, alternativeCode, description, lifeCycleState: UnsafePointer<CChar>?

        init(id: UnsafePointer<CChar>?, number: UnsafePointer<CChar>? = nil, name: UnsafePointer<CChar>? = nil,
             code: UnsafePointer<CChar>? = nil, alternativeCode: UnsafePointer<CChar>? = nil,
             description: UnsafePointer<CChar>? = nil, lifeCycleState: UnsafePointer<CChar>? = nil) {
            (self.id, self.number, self.name, self.code) = (id, number, name, code)
            (self.alternativeCode, self.description, self.lifeCycleState) = (alternativeCode, description, lifeCycleState)
        }
    }

    /// The known object with exactly these fields.
    func find(_ fields: Fields) -> ReferredObject? {
        position(fields).map { objects[$0] }
    }

    /// The identity of `find`'s object (no reference count touched).
    func identity(_ fields: Fields) -> ObjectIdentifier? {
        position(fields).map { identities[$0] }
    }

    /// The known set with these members, if any.
    func set(_ members: Members) -> ReferredSet? {
        sets.isEmpty ? nil : sets[members]
    }

    private func position(_ fields: Fields) -> Int? {
        guard !objects.isEmpty else { return nil }
        let idLength = Self.length(fields.id)
        let key = Self.hash(UnsafeRawBufferPointer(start: fields.id, count: idLength))
        var index = first[key] ?? -1
        while index >= 0 {
            if matches(Int(index), fields) { return Int(index) }
            index = next[Int(index)]
        }
        return nil
    }

    /// True when object `index` has exactly `fields`.
    private func matches(_ index: Int, _ fields: Fields) -> Bool {
        guard fieldStart[index] >= 0 else { return false }
        return fieldBytes.withUnsafeBufferPointer { bytes in
            var at = Int(fieldStart[index])
            /// Compares the next stored field with `text` and moves past it.
            func next(_ text: UnsafePointer<CChar>?) -> Bool {
                let stored = Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
                at += 4
                guard stored == Self.length(text) else { return false }
                if stored > 0, let text, memcmp(bytes.baseAddress! + at, text, stored) != 0 { return false }  // safe because: stored > 0 bytes follow
                at += stored
                return true
            }
            return next(fields.id) && next(fields.number) && next(fields.name) && next(fields.code)
                && next(fields.alternativeCode) && next(fields.description) && next(fields.lifeCycleState)
        }
    }

    /// Bytes of the C string at `p` (0 for nil).
    private static func length(_ p: UnsafePointer<CChar>?) -> Int {
        guard let p else { return 0 }
        return strlen(p)
    }

    /// FNV-1a of `bytes` (ids are short; this only spreads them over the dictionary).
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }
}

extension StoredReader {
    /// The identities of a stored event's nine referred objects when each present one is
    /// known (and there is no access token, which is never reused); nil otherwise.
    static func knownMembers(_ m: Achievement__V1__CustomerEvent, _ known: KnownObjects) -> KnownObjects.Members? {
        guard m.authorized_by_access_token == nil,
            let c = m.classification?.pointee, let classification = known.identity(fields(c)),
            let a = m.accounts_receivable?.pointee, let account = known.identity(fields(a)),
            let product = optional(m.product, { known.identity(fields($0)) }),
            let type = optional(m.payment_medium_type, { known.identity(fields($0)) }),
            let brand = optional(m.payment_medium_brand, { known.identity(fields($0)) }),
            let unit = optional(m.performed_by_unit, { known.identity(fields($0)) }),
            let businessUnit = optional(m.performed_by_business_unit, { known.identity(fields($0)) }),
            let tap = optional(m.performed_by_tap, { known.identity(fields($0)) })
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

    /// The text fields of each kind of stored object, as `KnownObjects` compares them (the
    /// fields a kind lacks stay empty, as the Domain builds its objects).
    static func fields(_ r: Achievement__V1__Reference) -> KnownObjects.Fields {
        KnownObjects.Fields(id: r.id, name: r.name, alternativeCode: r.alternative_code)
    }

    static func fields(_ r: Achievement__V1__CodedReference) -> KnownObjects.Fields {
        KnownObjects.Fields(id: r.id, name: r.name, code: r.code)
    }

    static func fields(_ r: Achievement__V1__AccountsReceivable) -> KnownObjects.Fields {
        KnownObjects.Fields(id: r.id, number: r.number, name: r.name, lifeCycleState: r.life_cycle_state)
    }

    static func fields(_ r: Achievement__V1__Product) -> KnownObjects.Fields {
        KnownObjects.Fields(id: r.id, code: r.code, alternativeCode: r.alternative_code, description: r.description)
    }

    static func fields(_ r: Achievement__V1__Unit) -> KnownObjects.Fields {
        KnownObjects.Fields(id: r.id, name: r.name, alternativeCode: r.alternative_code, description: r.description)
    }

    static func fields(_ r: Achievement__V1__User) -> KnownObjects.Fields {
        KnownObjects.Fields(id: r.id, name: r.username)
    }
}
