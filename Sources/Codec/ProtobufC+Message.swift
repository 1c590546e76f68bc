// The only file of the module with generic unsafe helpers over protobuf-c: the pack arena,
// the pack and unpack wrappers, and reading C strings with UTF-8 validation.
// The per-message files build and read C structs only through these, inside their closures.
internal import AchievementProtoC
internal import CProtobufC
internal import Domain
internal import Glibc

#if canImport(Glibc)
    internal import Glibc
#endif

// MARK: - Unpack

/// A generated `xxx__unpack` function.
typealias Unpacker<M> = (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<
    M
>?

/// Unpacks `bytes` as message `M`, runs `body` on it and frees it, on every path.
///
/// Any valid protobuf encoding is accepted: default values written out, a field repeated
/// (the last wins; sub-messages merge), overlong varints. What protobuf-c would cut silently
/// is refused: a string holding U+0000 (C strings end there). Only a payload with a zero
/// byte somewhere is walked field by field for one.
/// `body` must return Swift values only; the C struct and its pointers die with this call.
/// protobuf-c allocates the unpacked structs and strings from one block instead of one
/// `malloc` each (a create request unpacks into some 40 allocations, a bulk call into 40 000).
/// The block is sized from the payload; what does not fit goes to further blocks, so any
/// payload works. Pointers into the blocks die with this call.
/// - Throws: `CodecError.malformedPayload`, `.invalidString` naming a string holding U+0000,
///   or what `body` throws.
func withUnpacked<M, R>(
    _ bytes: UnsafeRawBufferPointer,
    _ unpack: Unpacker<M>,
    findingNUL: Bool = true,
    _ body: (borrowing M) throws(CodecError) -> R
) throws(CodecError) -> R {
    guard let base = bytes.baseAddress, !bytes.isEmpty else {
        // The empty payload (every field default): nothing to allocate.
        let unpacked = withUnsafePointer(to: UInt8(0)) { unpack(nil, 0, $0) }
        guard let unpacked else { throw .malformedPayload }
        let message = UnsafeMutableRawPointer(unpacked).assumingMemoryBound(to: ProtobufCMessage.self)
        defer { protobuf_c_message_free_unpacked(message, nil) }
        return try body(unpacked.pointee)
    }
    // Structs are wider than their encoding: measured, events of 0 to 30 awards (0.7 to 4.3 KB)
    // fit in this; what does not (many near-empty awards, a bulk call's small items) goes to
    // further blocks of at least this size.
    let wanted = bytes.count * 4 + 2048
    let reusable = wanted <= ThreadScratch.bytes  // a request's: the thread's block, not a malloc each
    let capacity = reusable ? ThreadScratch.bytes : wanted
    let block = reusable ? ThreadScratch.take() : scratchBlock(capacity)
    defer { if reusable { ThreadScratch.give(back: block) } else { free(block) } }
    var arena = UnpackArena(base: block, capacity: capacity)
    defer { arena.releaseOverflow() }
    return try withUnsafeMutablePointer(to: &arena) { arenaPointer throws(CodecError) -> R in
        var allocator = ProtobufCAllocator(
            alloc: unpackArenaAlloc,
            free: unpackArenaFree,
            allocator_data: UnsafeMutableRawPointer(arenaPointer)
        )
        let unpacked = unpack(&allocator, bytes.count, base.assumingMemoryBound(to: UInt8.self))
        guard let unpacked else { throw .malformedPayload }
        let message = UnsafeMutableRawPointer(unpacked).assumingMemoryBound(to: ProtobufCMessage.self)
        if findingNUL, memchr(base, 0, bytes.count) != nil, stringHoldingNUL(in: bytes, message.pointee.descriptor, naming: false) != nil {
            throw .invalidString(field: stringHoldingNUL(in: bytes, message.pointee.descriptor, naming: true) ?? "?")
        }
        return try body(unpacked.pointee)
    }
}

/// Calls `body` with the number and the value of each length-delimited field of `bytes`, in
/// order, skipping the others, until it returns false or the bytes end (or stop being protobuf).
func forEachLengthDelimitedField(in bytes: UnsafeRawBufferPointer, _ body: (UInt64, UnsafeRawBufferPointer) -> Bool) {
    guard let base = bytes.baseAddress else { return }
    var at = 0
    func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while at < bytes.count, shift < 64 {
            let byte = bytes[at]
            at += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
    while at < bytes.count {
        guard let tag = varint() else { return }
        switch tag & 7 {
        case 0: guard varint() != nil else { return }
        case 1: at += 8
        case 5: at += 4
        case 2:
            guard let length = varint(), length <= UInt64(bytes.count - at) else { return }
            let value = UnsafeRawBufferPointer(start: base + at, count: Int(length))
            at += Int(length)
            guard body(tag >> 3, value) else { return }
        default: return  // groups: protobuf-c refuses them before this is asked
        }
    }
}

/// The dotted path (`items[2].description`) of the first string field of `bytes`, a message
/// of `descriptor` that protobuf-c unpacked, whose value holds U+0000; nil when none does.
/// Without `naming`, the path found is "" (no string is built on the way: the hot path).
func stringHoldingNUL(in bytes: UnsafeRawBufferPointer, _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>, naming: Bool) -> String? {
    var occurrences: [UInt32: Int] = [:]  // naming: of each repeated field so far, the index of the next
    var found: String?
    forEachLengthDelimitedField(in: bytes) { number, value in
        guard number <= UInt64(UInt32.max), let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(number)) else {
            return true  // an unknown field
        }
        var path = ""
        if naming {
            path = String(cString: field.pointee.name)
            if field.pointee.label == PROTOBUF_C_LABEL_REPEATED {
                let index = occurrences[field.pointee.id, default: 0]
                occurrences[field.pointee.id] = index + 1
                path += "[\(index)]"
            }
        }
        switch field.pointee.type {
        case PROTOBUF_C_TYPE_STRING:
            if let start = value.baseAddress, memchr(start, 0, value.count) != nil { found = path }
        case PROTOBUF_C_TYPE_MESSAGE:
            guard let inner = field.pointee.descriptor,
                let innerPath = stringHoldingNUL(in: value, inner.assumingMemoryBound(to: ProtobufCMessageDescriptor.self), naming: naming)
            else { return true }
            found = naming ? path + "." + innerPath : ""
        default: break
        }
        return found == nil
    }
    return found
}

/// For a payload of `descriptor` whose repeated message field `itemsField` holds items (a
/// bulk call's): the dotted path (`items[2].description`) of the first string holding U+0000
/// in each item that has one, by item index, and at -1 that of a string field of the message
/// itself; and the items whose string field `keyField` holds one (a key protobuf-c would cut).
/// Empty (at once) when the payload has no zero byte.
func stringsHoldingNUL(in bytes: UnsafeRawBufferPointer, _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>,
                       byItemOf itemsField: UInt32, keyField: UInt32) -> (paths: [Int: String], cutKeys: Set<Int>) {
    guard let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil,
        let items = protobuf_c_message_descriptor_get_field(descriptor, itemsField),
        let item = items.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
    else { return ([:], []) }
    let itemsName = String(cString: items.pointee.name)
    var found: [Int: String] = [:]  // each item is walked without naming first (no string built: most zero bytes are in numbers)
    var cutKeys: Set<Int> = []
    var index = 0
    forEachLengthDelimitedField(in: bytes) { number, value in
        if number == itemsField {
            if stringHoldingNUL(in: value, item, naming: false) != nil, let path = stringHoldingNUL(in: value, item, naming: true) {
                found[index] = "\(itemsName)[\(index)].\(path)"
                forEachLengthDelimitedField(in: value) { field, key in
                    if field == keyField, let start = key.baseAddress, memchr(start, 0, key.count) != nil { cutKeys.insert(index) }
                    return true
                }
            }
            index += 1
        } else if found[-1] == nil, number <= UInt64(UInt32.max), let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(number)),
            field.pointee.type == PROTOBUF_C_TYPE_STRING, let start = value.baseAddress, memchr(start, 0, value.count) != nil
        {
            found[-1] = String(cString: field.pointee.name)
        }
        return true
    }
    return (found, cutKeys)
}

/// The bump allocator's state, reached through `allocator_data`: the first block, then
/// overflow blocks from `malloc`, chained through their first 16 bytes and freed together.
private struct UnpackArena {
    var base: UnsafeMutableRawPointer
    var capacity: Int
    var used = 0
    let blockSize: Int
    /// The last overflow block (each links to the one before), nil while none was needed.
    var overflow: UnsafeMutableRawPointer?

    init(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base
        self.capacity = capacity
        self.blockSize = capacity
    }

    /// `size` bytes, 16-byte aligned; nil only when `malloc` fails.
    mutating func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        let start = (used + 15) & ~15
        if size <= capacity - start {
            used = start + size
            return base + start
        }
        guard size < Int.max / 2, let next = malloc(16 + max(size, blockSize)) else { return nil }
        next.storeBytes(of: overflow, as: UnsafeMutableRawPointer?.self)
        overflow = next
        base = next + 16
        capacity = max(size, blockSize)
        used = size
        return base
    }

    /// Frees the overflow blocks (the first block is the caller's).
    mutating func releaseOverflow() {
        while let block = overflow {
            overflow = block.load(as: UnsafeMutableRawPointer?.self)
            free(block)
        }
    }
}

/// `ProtobufCAllocator.alloc`: from the arena (a size_t over Int.max reads negative: refused).
private let unpackArenaAlloc: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = {
    data, size in
    guard size >= 0, let arena = data?.assumingMemoryBound(to: UnpackArena.self) else { return nil }
    return arena.pointee.allocate(size)
}

/// `ProtobufCAllocator.free`: nothing; the arena's blocks are freed all at once.
private let unpackArenaFree: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void = { _, _ in }

/// Each thread's first unpack block, kept between payloads: one payload decodes at a time on a
/// thread (a decode nested in another finds the slot empty and mallocs its own); the block is
/// freed when its thread ends.
private enum ThreadScratch {
    /// The block's size: room for payloads up to 3.5 KiB (every request but a large bulk call).
    static let bytes = 16 << 10

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        guard pthread_key_create(&key, { free($0) }) == 0 else { fatalError("pthread_key_create failed") }
        return key
    }()

    /// The thread's block (then the slot is empty), or a new one.
    static func take() -> UnsafeMutableRawPointer {
        guard let block = pthread_getspecific(key) else { return scratchBlock(bytes) }
        pthread_setspecific(key, nil)
        return block
    }

    /// Keeps `block` (from `take`) for the thread's next payload, or frees it when one is kept.
    static func give(back block: UnsafeMutableRawPointer) {
        if pthread_getspecific(key) == nil { pthread_setspecific(key, block) } else { free(block) }
    }
}

/// A temporary block from `malloc` (16-byte aligned on the platforms glibc serves), freed with
/// `free`. Swift's `allocate` goes through `posix_memalign` here, which skips glibc's
/// per-thread cache of recently freed blocks.
func scratchBlock(_ bytes: Int) -> UnsafeMutableRawPointer {
    guard let block = malloc(bytes) else { fatalError("out of memory: \(bytes) bytes") }
    return block
}

// MARK: - Pack

/// Packs the message at `message` (any generated struct, initialised by its `__init`) onto
/// `out`; `size` is its packed size when the caller already measured it.
func appendPacked<M>(_ message: UnsafeMutablePointer<M>, size known: Int? = nil, to out: inout [UInt8]) {
    let base = UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
    let size = known ?? protobuf_c_message_get_packed_size(base)
    guard size > 0 else { return }
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: size))
    out.withUnsafeMutableBufferPointer { buffer in
        // safe because: `buffer` holds at least `size` bytes past `start`, appended above.
        let written = protobuf_c_message_pack(base, buffer.baseAddress! + start)
        precondition(written == size, "protobuf-c packed a size other than it measured")
    }
}

/// Size in bytes of the message at `message` once packed.
func packedSize<M>(_ message: UnsafeMutablePointer<M>) -> Int {
    protobuf_c_message_get_packed_size(UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self))
}

/// A bump allocator over one temporary block holding every C struct and string of one
/// message being packed: one allocation per message, none per field.
///
/// Callers size it first (`bytes(for:)`, `bytes(forString:)`); overflowing it is a sizing
/// bug in this module and traps. Pointers it returns die when `PackArena.with` returns.
/// The block is heap memory: with `withUnsafeTemporaryAllocation` the closure copied the
/// captured `CustomerEvent` (a retain and release per reference in it), measured slower.
struct PackArena {
    private let base: UnsafeMutableRawPointer
    private let capacity: Int
    /// Bytes of the block: `capacity`, and with packing room the room after it.
    private let total: Int
    private var used = 0

    private init(base: UnsafeMutableRawPointer, capacity: Int, total: Int) {
        self.base = base
        self.capacity = capacity
        self.total = total
    }

    /// Runs `body` with an arena of at least `capacity` bytes, freed on return; with `packing`,
    /// the block has room after them for `appendPacked(_:to:)` to pack into.
    @inline(__always)
    static func with<R>(capacity: Int, packing: Bool = false, _ body: (inout PackArena) -> R) -> R {
        let capacity = max(capacity, 16)
        let total = packing ? 3 * capacity + 16 : capacity
        let memory = scratchBlock(total)
        defer { free(memory) }
        var arena = PackArena(base: memory, capacity: capacity, total: total)
        return body(&arena)
    }

    /// Packs `message`, built in this arena, onto `out` without measuring it first (protobuf-c's
    /// size pass costs over half as much as the pack itself). The arena must come from
    /// `with(capacity:packing: true)`. `body` sees the packed bytes before they are appended:
    /// it appends them itself, split as it likes.
    ///
    /// The pack cannot overrun: it writes at most twice the arena bytes used, since every
    /// struct and string it reads is in the arena and no field packs into more than twice its
    /// bytes there. A key takes at most 2 bytes (field numbers are below 2048). A string, a
    /// sub-message or an element of a repeated one has an 8-byte pointer and packs into a key,
    /// a length of at most 5 bytes and its content. An int64 or a double has 8 bytes and packs
    /// into at most 10 after the key; a proto3 `optional` adds a 4-byte case. A bool or an enum
    /// has 4 and packs into at most 5 after the key, as long as no enum value is negative
    /// (none of this proto's is).
    mutating func pack<M, R>(_ message: UnsafeMutablePointer<M>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = (used + 15) & ~15
        let room = total - start
        precondition(room >= 2 * used, "PackArena: no room to pack (not made with packing: true)")
        let base = UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
        let written = protobuf_c_message_pack(base, (self.base + start).assumingMemoryBound(to: UInt8.self))
        precondition(written <= room, "protobuf-c packed past its bound")
        return body(UnsafeRawBufferPointer(start: self.base + start, count: written))
    }

    /// Arena bytes that `count` structs of type `T` may take, alignment included.
    static func bytes<T>(for type: T.Type, count: Int = 1) -> Int {
        MemoryLayout<T>.stride * count + MemoryLayout<T>.alignment
    }

    /// Arena bytes that `string` takes (nil and empty take one).
    static func bytes(forString string: String?) -> Int { (string?.utf8.count ?? 0) + 1 }

    /// Arena bytes of `decimal(_:)` and `hex(_:)`.
    static let decimalBytes = 21
    static let hexBytes = 33

    private mutating func raw(_ count: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let start = (used + alignment - 1) & ~(alignment - 1)
        precondition(start + count <= capacity, "PackArena overflow: a sizing bug in Codec")
        used = start + count
        return base + start
    }

    /// A new C message, initialised by its generated `xxx__init`.
    mutating func message<T>(_ initialize: (UnsafeMutablePointer<T>?) -> Void) -> UnsafeMutablePointer<T> {
        let p = raw(MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment).bindMemory(to: T.self, capacity: 1)
        initialize(p)
        return p
    }

    /// A C array of `count` message pointers (a repeated field), each made by `make(index)`.
    mutating func messages<T>(
        count: Int,
        _ make: (inout PackArena, Int) -> UnsafeMutablePointer<T>
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        guard count > 0 else { return nil }
        let list = raw(MemoryLayout<UnsafeMutablePointer<T>?>.stride * count, alignment: 8)
            .bindMemory(to: UnsafeMutablePointer<T>?.self, capacity: count)
        for index in 0..<count { (list + index).initialize(to: make(&self, index)) }
        return list
    }

    /// An uninitialised C array of `count` scalars (a repeated scalar field).
    mutating func array<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        raw(MemoryLayout<T>.stride * max(count, 1), alignment: MemoryLayout<T>.alignment).bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// A C array of `strings` (a `repeated string` field).
    mutating func strings(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !strings.isEmpty else { return nil }
        let list = raw(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * strings.count, alignment: 8)
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: strings.count)
        for (index, s) in strings.enumerated() { (list + index).initialize(to: string(s)) }
        return list
    }

    /// Arena bytes of `strings(_:)`.
    static func bytes(forStrings strings: [String]) -> Int {
        strings.reduce(8 * strings.count + 8) { $0 + $1.utf8.count + 1 }
    }

    /// A NUL-terminated copy of `s`, cut at its first U+0000 (protobuf-c cannot carry one).
    mutating func string(_ s: String) -> UnsafeMutablePointer<CChar> {
        s.withUTF8Bytes { string(bytes: $0) }
    }

    /// A NUL-terminated copy of UTF-8 `bytes`, cut at the first 0 (as `string(_:)`).
    mutating func string(bytes utf8: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<CChar> {
        let count = firstZero(utf8) ?? utf8.count
        let destination = raw(count + 1, alignment: 1)
        if let source = utf8.baseAddress, count > 0 {
            destination.copyMemory(from: source, byteCount: count)
        }
        destination.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
        return destination.bindMemory(to: CChar.self, capacity: count + 1)
    }

    /// `string(_:)`, or NULL (proto3's "not set") for nil and empty strings.
    mutating func optional(_ s: String?) -> UnsafeMutablePointer<CChar>? {
        guard let s, !s.isEmpty else { return nil }
        return string(s)
    }

    /// `value` as decimal digits (what `UInt64.description` gives), without a Swift String.
    mutating func decimal(_ value: UInt64) -> UnsafeMutablePointer<CChar> {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        let destination = raw(digits + 1, alignment: 1)
        rest = value
        for offset in stride(from: digits - 1, through: 0, by: -1) {
            let digit = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
            destination.storeBytes(of: digit, toByteOffset: offset, as: UInt8.self)
            rest /= 10
        }
        destination.storeBytes(of: 0, toByteOffset: digits, as: UInt8.self)
        return destination.bindMemory(to: CChar.self, capacity: digits + 1)
    }

    /// `high` then `low` as 32 lowercase hex digits (what `EventID.description` gives).
    mutating func hex(high: UInt64, low: UInt64) -> UnsafeMutablePointer<CChar> {
        let destination = raw(33, alignment: 1)
        Self.storeHex(high, at: destination)
        Self.storeHex(low, at: destination + 16)
        destination.storeBytes(of: 0, toByteOffset: 32, as: UInt8.self)
        return destination.bindMemory(to: CChar.self, capacity: 33)
    }

    private static func storeHex(_ value: UInt64, at destination: UnsafeMutableRawPointer) {
        let (first, second) = hexDigitWords(value)
        destination.storeBytes(of: first, as: UInt64.self)
        destination.storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
    }
}

/// Index of the first zero byte of `bytes`, eight bytes at a time (no generic Sequence walk).
@inline(__always)
func firstZero(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    var index = 0
    while index + 8 <= bytes.count {
        let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { break }
        index += 8
    }
    while index < bytes.count, base[index] != 0 { index += 1 }
    return index < bytes.count ? index : nil
}

// MARK: - Reading unpacked messages

/// Where a decoder is in a message, to name a bad field as `items[2].accounts_receivable_identifier.name`.
///
/// Rendered only on error: building one costs no allocation on the happy path.
struct FieldPath {
    /// A field name is a literal: a path is copied by value, with nothing to retain.
    private typealias Segment = (name: StaticString, index: Int?)

    private var first: Segment?
    private var second: Segment?
    private var third: Segment?

    /// The message itself.
    static let root = FieldPath()

    /// The path of sub-message field `name` (element `index` of it when repeated).
    func child(_ name: StaticString, index: Int? = nil) -> FieldPath {
        var path = self
        let segment: Segment = (name, index)
        if first == nil {
            path.first = segment
        } else if second == nil {
            path.second = segment
        } else {
            precondition(third == nil, "FieldPath deeper than the proto's nesting")
            path.third = segment
        }
        return path
    }

    /// The dotted path of field `leaf` of this message.
    func render(_ leaf: String) -> String {
        var text = ""
        for segment in [first, second, third].compactMap({ $0 }) {
            text += segment.name.description
            if let index = segment.index { text += "[\(index)]" }
            text += "."
        }
        return text + leaf
    }

    /// The string at `p`, or nil when unset or empty.
    /// - Throws: `CodecError.invalidString` naming `leaf` when it is not valid UTF-8.
    func string(_ p: UnsafePointer<CChar>?, _ leaf: @autoclosure () -> String) throws(CodecError) -> String? {
        guard let p, p.pointee != 0 else { return nil }  // unset strings point at protobuf_c_empty_string
        guard let s = String(validatingCString: p) else { throw .invalidString(field: render(leaf())) }
        return s
    }

    /// The string at `p`, "" when unset.
    /// - Throws: `CodecError.invalidString` naming `leaf` when it is not valid UTF-8.
    func text(_ p: UnsafePointer<CChar>?, _ leaf: @autoclosure () -> String) throws(CodecError) -> String {
        try string(p, leaf()) ?? ""
    }

    /// The `count` strings of a `repeated string` field named `leaf` (empty entries kept as "").
    /// - Throws: `CodecError.invalidString` naming `leaf[i]`.
    func strings(
        _ count: Int,
        _ list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ leaf: String
    ) throws(CodecError) -> [String] {
        guard let list, count > 0 else { return [] }
        var result: [String] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            result.append(try text(list[index], "\(leaf)[\(index)]"))
        }
        return result
    }

    /// The Swift values of the `count` messages of a repeated field, in order.
    func messages<T, R>(
        _ count: Int,
        _ list: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?,
        _ read: (T, Int) throws(CodecError) -> R
    ) throws(CodecError) -> [R] {
        guard let list, count > 0 else { return [] }
        var result: [R] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let element = list[index] else { throw .malformedPayload }
            result.append(try read(element.pointee, index))
        }
        return result
    }
}
