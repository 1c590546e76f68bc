/// The rarely given fields of an event (description, payment medium identifier, promo code,
/// user-defined fields), packed into one allocation; absent entirely when none is given.
///
/// Packing matters for memory: boxed Swift strings cost a box plus a heap string each,
/// while here every field is a tag, a length and its bytes in the same block. Reading a
/// field decodes it (responses and idempotency checks only).
public struct EventExtras: @unchecked Sendable, Hashable {  // safe because: the storage is immutable after `make`
    /// One heap block: the packed length, then the packed bytes.
    final class Storage: ManagedBuffer<Int, UInt8> {}

    private let storage: Storage

    /// The fields as plain values.
    public struct Fields: Sendable, Hashable {
        // Optional properties are spelled `Optional<T>`, not `T?`: a `T?` var is first set to an
        // implicit nil, which every initializer then destroys before storing (the decode path paid
        // for it on every create).
        public var description: Optional<String>
        public var paymentMediumIdentifier: Optional<String>
        public var promoCode: Optional<String>
        public var userDefinedFields: Optional<UserDefinedFields>

        public init(description: String? = nil, paymentMediumIdentifier: String? = nil, promoCode: String? = nil,
                    userDefinedFields: UserDefinedFields? = nil) {
            self.description = description
            self.paymentMediumIdentifier = paymentMediumIdentifier
            self.promoCode = promoCode
            self.userDefinedFields = userDefinedFields
        }

        var isEmpty: Bool { description == nil && paymentMediumIdentifier == nil && promoCode == nil && userDefinedFields == nil }
    }

    private enum Tag {
        static let description: UInt8 = 1, paymentMediumIdentifier: UInt8 = 2, promoCode: UInt8 = 3
        static let udfString: UInt8 = 0x10, udfFloat: UInt8 = 0x20, udfDate: UInt8 = 0x30
    }

    /// A box for the fields, or nil when none is given (packed straight into the box).
    static func make(_ fields: Fields) -> EventExtras? {
        guard !fields.isEmpty else { return nil }
        var counter = PackWriter(target: nil)  // the same walk, only counting
        pack(fields, into: &counter)
        let count = counter.offset
        let box = Storage.create(minimumCapacity: count) { _ in count }
        box.withUnsafeMutablePointerToElements { target in
            var writer = PackWriter(target: target)
            pack(fields, into: &writer)
        }
        return EventExtras(storage: unsafeDowncast(box, to: Storage.self))
    }

    /// A box for these fields, or nil when none is given.
    public static func make(description: String?, paymentMediumIdentifier: String?, promoCode: String?, userDefinedFields: UserDefinedFields?) -> EventExtras? {
        make(Fields(description: description, paymentMediumIdentifier: paymentMediumIdentifier, promoCode: promoCode, userDefinedFields: userDefinedFields))
    }

    /// Size of the packed fields: at least the UTF-8 bytes plus one of every string held
    /// (encoders size their buffers with it without decoding anything).
    public var packedByteCount: Int { storage.withUnsafeMutablePointerToHeader { $0.pointee } }

    /// The packed form (the snapshot writes it as is).
    public func withPackedBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { withBytes(body) }

    /// Extras from their packed form; nil when `bytes` is empty or not a well-formed packing.
    public static func make(packed bytes: UnsafeRawBufferPointer) -> EventExtras? {
        let view = bytes.bindMemory(to: UInt8.self)
        var offset = 0
        while offset < view.count {
            guard view.count - offset >= 5 else { return nil }
            let length = Self.length(view, offset + 1)
            guard view.count - offset - 5 >= length else { return nil }
            offset += 5 + length
        }
        guard !view.isEmpty else { return nil }
        let box = Storage.create(minimumCapacity: view.count) { _ in view.count }
        box.withUnsafeMutablePointerToElements { target in target.update(from: view.baseAddress!, count: view.count) }  // safe because: not empty
        return EventExtras(storage: unsafeDowncast(box, to: Storage.self))
    }

    /// Every field, decoded.
    public var fields: Fields { unpack(userDefinedFieldsOnly: false) }
    public var description: String? { string { if case .description(let v) = $0 { v } else { nil } } }
    public var paymentMediumIdentifier: String? { string { if case .paymentMediumIdentifier(let v) = $0 { v } else { nil } } }
    public var promoCode: String? { string { if case .promoCode(let v) = $0 { v } else { nil } } }
    public var userDefinedFields: UserDefinedFields? { unpack(userDefinedFieldsOnly: true).userDefinedFields }

    public static func == (lhs: EventExtras, rhs: EventExtras) -> Bool {
        lhs.storage === rhs.storage || lhs.withBytes { l in rhs.withBytes { r in l.elementsEqual(r) } }
    }

    public func hash(into hasher: inout Hasher) { withBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) } }

    private func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        storage.withUnsafeMutablePointers { count, bytes in body(UnsafeBufferPointer(start: bytes, count: count.pointee)) }
    }

    /// The string field `pick` selects, decoded; nil when absent.
    private func string(_ pick: (PackedField) -> UnsafeBufferPointer<UInt8>?) -> String? {
        var found: String?
        forEachField { field in
            if let bytes = pick(field) { found = String(decoding: bytes, as: UTF8.self) }
        }
        return found
    }

    private static func length(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }

    /// Writes packed fields into a block, or only counts their bytes when `target` is nil
    /// (the block is sized by a counting pass over the same fields).
    private struct PackWriter {
        let target: UnsafeMutablePointer<UInt8>?
        var offset = 0

        mutating func header(_ tag: UInt8, _ count: Int) {
            if let target {
                target[offset] = tag
                let n = UInt32(truncatingIfNeeded: count)
                for k in 0..<4 { target[offset + 1 + k] = UInt8(truncatingIfNeeded: n >> UInt32(8 * k)) }
            }
            offset += 5
        }

        mutating func put(_ tag: UInt8, _ text: String) {
            header(tag, text.utf8.count)
            guard let target else { return offset += text.utf8.count }
            offset += text.withUTF8Bytes { bytes in
                if let source = bytes.baseAddress { (target + offset).update(from: source, count: bytes.count) }
                return bytes.count
            }
        }

        mutating func put(_ tag: UInt8, word v: UInt64) {
            header(tag, 8)
            if let target { for k in 0..<8 { target[offset + k] = UInt8(truncatingIfNeeded: v >> UInt64(8 * k)) } }
            offset += 8
        }
    }

    /// Tag, u32 length, bytes — for each given field, in a fixed order (so equal fields pack equal).
    private static func pack(_ f: Fields, into out: inout PackWriter) {
        if let v = f.description { out.put(Tag.description, v) }
        if let v = f.paymentMediumIdentifier { out.put(Tag.paymentMediumIdentifier, v) }
        if let v = f.promoCode { out.put(Tag.promoCode, v) }
        // The entries are in this same order (strings, floats, dates, each by index).
        for entry in f.userDefinedFields?.entries ?? [] {
            switch entry {
            case .string(let i, let v): out.put(Tag.udfString + i, v)
            case .float(let i, let v): out.put(Tag.udfFloat + i, word: v.bitPattern)
            case .date(let i, let v): out.put(Tag.udfDate + i, word: UInt64(bitPattern: v))
            }
        }
    }

    /// One packed field, read in place: a string is its UTF-8 bytes, valid only during the call.
    public enum PackedField {
        case description(UnsafeBufferPointer<UInt8>)
        case paymentMediumIdentifier(UnsafeBufferPointer<UInt8>)
        case promoCode(UnsafeBufferPointer<UInt8>)
        /// `udf_string_<index + 1>`.
        case udfString(Int, UnsafeBufferPointer<UInt8>)
        /// `udf_float_<index + 1>`.
        case udfFloat(Int, Double)
        /// `udf_date_<index + 1>`.
        case udfDate(Int, Milliseconds)
    }

    /// Offers every field in packing order (strings, floats, dates each by index: the canonical
    /// order), read in place: an encoder copies the bytes without building a String or an array.
    public func forEachField(_ body: (PackedField) -> Void) {
        withBytes { bytes in
            var offset = 0
            while offset + 5 <= bytes.count {
                let tag = bytes[offset]
                let length = Self.length(bytes, offset + 1)
                let value = UnsafeBufferPointer(rebasing: bytes[(offset + 5)..<(offset + 5 + length)])
                switch tag {
                case Tag.description: body(.description(value))
                case Tag.paymentMediumIdentifier: body(.paymentMediumIdentifier(value))
                case Tag.promoCode: body(.promoCode(value))
                case Tag.udfString..<(Tag.udfString + 8): body(.udfString(Int(tag - Tag.udfString), value))
                case Tag.udfFloat..<(Tag.udfFloat + 4): body(.udfFloat(Int(tag - Tag.udfFloat), Double(bitPattern: Self.word(value))))
                case Tag.udfDate..<(Tag.udfDate + 4): body(.udfDate(Int(tag - Tag.udfDate), Int64(bitPattern: Self.word(value))))
                default: break
                }
                offset += 5 + length
            }
        }
    }

    private func unpack(userDefinedFieldsOnly: Bool) -> Fields {
        var f = Fields()
        var entries: [UserDefinedFields.Entry] = []
        forEachField { field in
            switch field {
            case .description(let v) where !userDefinedFieldsOnly: f.description = String(decoding: v, as: UTF8.self)
            case .paymentMediumIdentifier(let v) where !userDefinedFieldsOnly:
                f.paymentMediumIdentifier = String(decoding: v, as: UTF8.self)
            case .promoCode(let v) where !userDefinedFieldsOnly: f.promoCode = String(decoding: v, as: UTF8.self)
            case .udfString(let i, let v): entries.append(.string(UInt8(i), String(decoding: v, as: UTF8.self)))
            case .udfFloat(let i, let v): entries.append(.float(UInt8(i), v))
            case .udfDate(let i, let v): entries.append(.date(UInt8(i), v))
            default: break
            }
        }
        f.userDefinedFields = entries.isEmpty ? nil : UserDefinedFields(entries: entries)
        return f
    }

    /// The little-endian u64 of an 8-byte value (0 for any other length).
    private static func word(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard bytes.count == 8 else { return 0 }
        var w: UInt64 = 0
        for i in (0..<8).reversed() { w = w << 8 | UInt64(bytes[i]) }
        return w
    }
}
