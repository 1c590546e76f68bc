/// A field a catalog record can be looked up by.
///
/// Ids (`id` and the `…_id` references) are compared case-insensitively: keys are stored
/// lowercase and queries are lowercased. Every other field is exact and case-sensitive.
enum LookupField: Int, Hashable, Sendable, CaseIterable {
    case id, number, name, code, alternativeCode, authenticationCode, identifier, accountsReceivableID

    /// The seed's name of the field, as violations name it.
    var seedName: String {
        switch self {
        case .id: "id"
        case .number: "number"
        case .name: "name"
        case .code: "code"
        case .alternativeCode: "alternative_code"
        case .authenticationCode: "authentication_code"
        case .identifier: "identifier"
        case .accountsReceivableID: "accounts_receivable_id"
        }
    }

    /// The dictionary key for `value`: lowercase for ids, unchanged otherwise.
    func key(_ value: String) -> String {
        switch self {
        case .id, .accountsReceivableID: value.lowercasedIfNeeded
        default: value
        }
    }
}

/// A catalog record with the referred object every event shares for it.
///
/// The record stays in its table's box, and the entry holds the box and the object without
/// owning them: passing an entry around retains nothing (catalog records are read by every
/// event loop at once, so each reference count was a cache line going back and forth between
/// cores). An entry must not outlive the `CatalogIndex` it came from: it lives within one
/// call on the index (a create's resolution), which holds the index meanwhile.
struct CatalogEntry<Record: Sendable>: Sendable {
    private unowned(unsafe) let box: RecordBox<Record>
    /// The short form events keep (built once per record).
    unowned(unsafe) let reference: ReferredObject
    /// The record's place in its table (catalog order), for tables built beside it.
    let position: Int

    init(box: RecordBox<Record>, reference: ReferredObject, position: Int) {
        self.box = box
        self.reference = reference
        self.position = position
    }

    /// The record as the catalog holds it, lent (a getter would copy it: a retain and a
    /// release of each of its strings).
    var record: Record {
        _read { yield box.record }
    }
}

/// One catalog record, shared by every entry that refers to it.
final class RecordBox<Record: Sendable>: Sendable {
    let record: Record

    init(_ record: Record) { self.record = record }
}

/// One kind of catalog record: the records in catalog order, their shared referred objects,
/// and one dictionary per lookup field (value → record positions; several when not unique).
///
/// Built once by `CatalogIndex.init`, immutable afterwards. Empty values are not indexed,
/// since an empty identifier field means "not given".
struct RecordTable<Record: Sendable>: Sendable {
    /// Records in catalog order, each boxed once for every `CatalogEntry` of it.
    private let boxes: [RecordBox<Record>]
    /// `references[i]` is the referred object of `records[i]`.
    let references: [ReferredObject]
    /// Per field (by raw value): value → the first matching position and whether others match.
    private let keys: [[LookupKey: Match]]

    /// Indexes `records` by the given fields.
    init(
        _ records: [Record],
        reference: (Record) -> ReferredObject,
        fields: [LookupField: (Record) -> String?]
    ) {
        self.boxes = records.map(RecordBox.init)
        self.references = records.map(reference)
        var keys = [[LookupKey: Match]](repeating: [:], count: LookupField.allCases.count)
        for (field, extract) in fields {
            var map: [LookupKey: Match] = [:]
            for (position, record) in records.enumerated() {
                guard let value = extract(record), !value.isEmpty else { continue }
                let key = LookupKey(field.key(value))
                map[key] = map[key].map { Match(first: $0.first, several: true) } ?? Match(first: Int32(position), several: false)
            }
            keys[field.rawValue] = map
        }
        self.keys = keys
    }

    /// The records whose `field` equals `value` (ids in either case): the first one's
    /// position and whether there are others; nil when none.
    struct Match: Sendable {
        let first: Int32
        let several: Bool
    }

    /// The records whose `field` equals `value` (ids in either case), nil when none.
    ///
    /// A plain value comes back (no array): every create resolves several identifiers, on
    /// both event loops at once.
    func matches(_ field: LookupField, _ value: String) -> Match? {
        keys[field.rawValue][LookupKey(field.key(value))]
    }

    /// The record at `position`.
    func record(_ position: Int) -> Record { boxes[position].record }

    /// The record and its referred object at `position`.
    func entry(_ position: Int) -> CatalogEntry<Record> {
        CatalogEntry(box: boxes[position], reference: references[position], position: position)
    }

    /// The first record with this id, or nil (absent or dangling reference).
    func first(id: String?) -> CatalogEntry<Record>? {
        guard let id, !id.isEmpty, let match = matches(.id, id) else { return nil }
        return entry(Int(match.first))
    }
}

extension String {
    /// `lowercased()`, returning the string itself when it has nothing to lower (ASCII with
    /// no capital: the usual id), so a lookup by id allocates nothing.
    var lowercasedIfNeeded: String {
        let lower = withUTF8Bytes { bytes in
            // Eight bytes at a time: a byte with its high bit set (not ASCII) or from "A" to "Z".
            // Without high bits, adding 0x3F sets a byte's high bit from "A" (0x41) on, adding
            // 0x25 from "[" (0x5B) on, and no sum carries into the next byte.
            let raw = UnsafeRawBufferPointer(bytes)
            var offset = 0
            while offset + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let high: UInt64 = 0x8080_8080_8080_8080
                let fromA = word &+ 0x3F3F_3F3F_3F3F_3F3F, pastZ = word &+ 0x2525_2525_2525_2525
                if (word | (fromA & ~pastZ)) & high != 0 { return false }
                offset += 8
            }
            for byte in raw[offset...] where byte >= 0x80 || (byte >= 0x41 && byte <= 0x5A) { return false }
            return true
        }
        return lower ? self : lowercased()
    }
}

/// A lookup value as a catalog table's key (or a catalog id as the store's account index's):
/// the string, hashed without SipHash.
///
/// SipHash defends a table against keys chosen to collide; these tables hold the catalog's
/// values only, so a caller's value can only probe the clusters the catalog's own values made. A multiply-and-fold of the UTF-8 bytes, 8 at a time, with MurmurHash3's
/// finalizer, costs a fraction of SipHash on the few short values every create looks up.
public struct LookupKey: Hashable, Sendable {
    /// The value.
    public let text: String

    /// The key of `text`.
    public init(_ text: String) { self.text = text }

    public static func == (lhs: LookupKey, rhs: LookupKey) -> Bool { lhs.text == rhs.text }

    public func hash(into hasher: inout Hasher) { hasher.combine(_rawHashValue(seed: 0)) }

    public func _rawHashValue(seed: Int) -> Int {
        text.withUTF8Bytes { bytes in
            var x = UInt64(UInt(bitPattern: seed)) ^ UInt64(bytes.count)
            let raw = UnsafeRawBufferPointer(bytes)
            var offset = 0
            while offset + 8 <= raw.count {
                x = (x ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* goldenRatio64
                offset += 8
            }
            var tail: UInt64 = 0
            for (shift, index) in (offset..<raw.count).enumerated() { tail |= UInt64(raw[index]) << (8 * UInt64(shift)) }
            return finalizedHash((x ^ tail) &* goldenRatio64)
        }
    }
}
