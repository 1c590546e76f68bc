/// The referred objects of one event, immutable and shareable between events.
public final class ReferredSet: Sendable, Hashable {
    /// The objects as plain values (for building a changed copy).
    public struct Fields: Sendable, Hashable {
        // Optional properties are spelled `Optional<T>`, not `T?`: a `T?` var is first set to an
        // implicit nil, which every initializer then destroys before storing (the decode path paid
        // for it on every create).
        public var classification: ReferredObject
        public var accountsReceivable: ReferredObject
        public var product: Optional<ReferredObject>
        public var paymentMediumType: Optional<ReferredObject>
        public var paymentMediumBrand: Optional<ReferredObject>
        public var performedByUnit: Optional<ReferredObject>
        public var performedByBusinessUnit: Optional<ReferredObject>
        public var performedByTap: Optional<ReferredObject>
        public var authorizedByAccessToken: Optional<ReferredObject>
    }

    public let fields: Fields
    public var classification: ReferredObject { fields.classification }
    public var accountsReceivable: ReferredObject { fields.accountsReceivable }
    public var product: ReferredObject? { fields.product }
    public var paymentMediumType: ReferredObject? { fields.paymentMediumType }
    public var paymentMediumBrand: ReferredObject? { fields.paymentMediumBrand }
    public var performedByUnit: ReferredObject? { fields.performedByUnit }
    public var performedByBusinessUnit: ReferredObject? { fields.performedByBusinessUnit }
    public var performedByTap: ReferredObject? { fields.performedByTap }
    public var authorizedByAccessToken: ReferredObject? { fields.authorizedByAccessToken }

    /// UTF-8 bytes of the strings of the members and of their classifications, and how many
    /// objects that is (answers size their buffers with these; counted once here).
    public let textBytes: Int, objectCount: Int

    public init(_ fields: Fields) {
        self.fields = fields
        var (bytes, count) = (0, 0)
        for member in [fields.classification, fields.accountsReceivable, fields.product, fields.paymentMediumType, fields.paymentMediumBrand,
                       fields.performedByUnit, fields.performedByBusinessUnit, fields.performedByTap, fields.authorizedByAccessToken] {
            var object = member
            while let current = object {
                bytes += current.textBytes
                count += 1
                object = current.classification
            }
        }
        (textBytes, objectCount) = (bytes, count)
    }

    public convenience init(
        classification: ReferredObject, accountsReceivable: ReferredObject, product: ReferredObject?,
        paymentMediumType: ReferredObject?, paymentMediumBrand: ReferredObject?, performedByUnit: ReferredObject?,
        performedByBusinessUnit: ReferredObject?, performedByTap: ReferredObject?, authorizedByAccessToken: ReferredObject?
    ) {
        self.init(Fields(
            classification: classification, accountsReceivable: accountsReceivable, product: product,
            paymentMediumType: paymentMediumType, paymentMediumBrand: paymentMediumBrand, performedByUnit: performedByUnit,
            performedByBusinessUnit: performedByBusinessUnit, performedByTap: performedByTap,
            authorizedByAccessToken: authorizedByAccessToken))
    }

    /// The nine members in `Fields` order (classification, accounts receivable, product,
    /// payment medium type and brand, performed by unit, business unit and TAP, authorized by
    /// access token), nil where absent: the order stored formats list them in.
    public var members: [ReferredObject?] {
        let f = fields
        return [f.classification, f.accountsReceivable, f.product, f.paymentMediumType, f.paymentMediumBrand, f.performedByUnit,
                f.performedByBusinessUnit, f.performedByTap, f.authorizedByAccessToken]
    }

    /// A set from `members` in that order; nil unless there are nine, with the classification
    /// and the accounts receivable present.
    public convenience init?(members m: [ReferredObject?]) {
        guard m.count == 9, let classification = m[0], let account = m[1] else { return nil }
        self.init(classification: classification, accountsReceivable: account, product: m[2], paymentMediumType: m[3],
                  paymentMediumBrand: m[4], performedByUnit: m[5], performedByBusinessUnit: m[6], performedByTap: m[7],
                  authorizedByAccessToken: m[8])
    }

    public static func == (lhs: ReferredSet, rhs: ReferredSet) -> Bool { lhs === rhs || lhs.fields == rhs.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }
}

