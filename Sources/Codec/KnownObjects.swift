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
public struct KnownObjects: Sendable {
    private let objects: [ReferredObject]
    /// Hash of the id's bytes → first index in `objects`; `next` chains indexes of equal hash.
    private let first: [UInt64: Int32]
    private let next: [Int32]

    /// Indexes `objects` (usually an interner's instances).
    public init(_ objects: [ReferredObject]) {
        var first: [UInt64: Int32] = [:]
        var next = [Int32](repeating: -1, count: objects.count)
        for (index, object) in objects.enumerated() {
            let key = Self.hash(object.id.utf8)
            if let previous = first[key] { next[index] = previous }
            first[key] = Int32(index)
        }
        self.objects = objects
        self.first = first
        self.next = next
    }

    /// The first known object with the id at `id` that `matches` accepts.
    func find(id: UnsafePointer<CChar>?, _ matches: (ReferredObject) -> Bool) -> ReferredObject? {
        guard !objects.isEmpty else { return nil }
        let key: UInt64
        if let id, id.pointee != 0 {
            key = Self.hash(UnsafeRawBufferPointer(start: id, count: strlen(id)))
        } else {
            key = Self.hash(EmptyCollection<UInt8>())
        }
        var index = first[key] ?? -1
        while index >= 0 {
            let object = objects[Int(index)]
            if matches(object) { return object }
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
