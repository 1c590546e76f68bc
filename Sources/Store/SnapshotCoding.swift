import Domain

/// Little-endian writer for the snapshot format.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }

    mutating func string(_ s: String) {
        s.withUTF8Bytes { utf8 in
            u32(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optionalString(_ s: String?) {
        if let s {
            u8(1)
            string(s)
        } else {
            u8(0)
        }
    }
}

/// Little-endian reader over trusted-but-checked bytes: every read is bounds-checked and a
/// short or malformed input makes `failed` true instead of trapping.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    private(set) var failed = false

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var atEnd: Bool { offset >= bytes.count }

    private mutating func take(_ count: Int) -> Int? {
        guard count >= 0, bytes.count - offset >= count else {
            failed = true
            return nil
        }
        defer { offset += count }
        return offset
    }

    mutating func u8() -> UInt8 { take(1).map { bytes[$0] } ?? 0 }
    mutating func u32() -> UInt32 { take(4).map { bytes.loadUnaligned(fromByteOffset: $0, as: UInt32.self).littleEndian } ?? 0 }
    mutating func u64() -> UInt64 { take(8).map { bytes.loadUnaligned(fromByteOffset: $0, as: UInt64.self).littleEndian } ?? 0 }
    mutating func i64() -> Int64 { Int64(bitPattern: u64()) }
    mutating func f64() -> Double { Double(bitPattern: u64()) }

    mutating func string() -> String {
        let count = Int(u32())
        guard let start = take(count) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)]), as: UTF8.self)
    }

    mutating func optionalString() -> String? { u8() == 0 ? nil : string() }
}

/// Numbers referred objects and referred sets once, so events refer to them by index.
struct ObjectTable {
    private(set) var objects: [ReferredObject] = []
    private var objectIndex: [ObjectIdentifier: UInt32] = [:]
    private(set) var sets: [ReferredSet] = []
    private var setIndex: [ObjectIdentifier: UInt32] = [:]
    static let none: UInt32 = .max

    mutating func index(_ object: ReferredObject?) -> UInt32 {
        guard let object else { return Self.none }
        if let known = objectIndex[ObjectIdentifier(object)] { return known }
        if let classification = object.classification { _ = index(classification) }
        let position = UInt32(objects.count)
        objects.append(object)
        objectIndex[ObjectIdentifier(object)] = position
        return position
    }

    mutating func index(_ set: ReferredSet) -> UInt32 {
        if let known = setIndex[ObjectIdentifier(set)] { return known }
        for member in set.members { _ = index(member) }
        let position = UInt32(sets.count)
        sets.append(set)
        setIndex[ObjectIdentifier(set)] = position
        return position
    }

    /// Writes the objects (in dependency order) and then the sets.
    func write(to w: inout ByteWriter) {
        w.u32(UInt32(objects.count))
        for o in objects {
            for text in [o.id, o.number, o.name, o.code, o.alternativeCode, o.description, o.lifeCycleState, o.authenticationCode, o.identifier] {
                w.string(text)
            }
            w.u32(known(o.classification))
        }
        w.u32(UInt32(sets.count))
        for s in sets {
            for member in s.members { w.u32(known(member)) }
        }
    }

    /// The index of an already-numbered set, nil when the table lacks it.
    func knownSet(_ set: ReferredSet) -> UInt32? {
        setIndex[ObjectIdentifier(set)]
    }

    /// The index of an already-numbered object.
    func known(_ object: ReferredObject?) -> UInt32 {
        object.flatMap { objectIndex[ObjectIdentifier($0)] } ?? Self.none
    }
}

/// Reads the object and set tables back.
struct DecodedTables: @unchecked Sendable {  // safe because: immutable after decoding; its classes are immutable
    var objects: [ReferredObject] = []
    var sets: [ReferredSet] = []
    /// The log table's objects and sets, by number (nil: a number without a definition).
    var logObjects: [ReferredObject?] = []
    var logSets: [ReferredSet?] = []

    /// Reads the log section (indexes into the tables, `ObjectTable.none` for an empty
    /// number); false when one is out of range.
    mutating func readLog(_ r: inout ByteReader) -> Bool {
        guard let objects = Self.numbered(&r, from: objects), let sets = Self.numbered(&r, from: sets) else { return false }
        (logObjects, logSets) = (objects, sets)
        return !r.failed
    }

    /// A count, then that many indexes into `table` (`ObjectTable.none`: nil); nil when one is out of range.
    private static func numbered<T>(_ r: inout ByteReader, from table: [T]) -> [T?]? {
        let count = Int(r.u32())
        guard count <= r.bytes.count else { return nil }
        var entries: [T?] = []
        for _ in 0..<count {
            let index = r.u32()
            guard index == ObjectTable.none || Int(index) < table.count else { return nil }
            entries.append(index == ObjectTable.none ? nil : table[Int(index)])
        }
        return entries
    }

    func object(_ index: UInt32) -> ReferredObject? {
        Int(index) < objects.count ? objects[Int(index)] : nil
    }

    static func read(_ r: inout ByteReader) -> DecodedTables? {
        var tables = DecodedTables()
        let objectCount = Int(r.u32())
        for _ in 0..<min(objectCount, r.bytes.count) {
            var texts: [String] = []
            for _ in 0..<9 { texts.append(r.string()) }
            let classification = tables.object(r.u32())
            tables.objects.append(ReferredObject(
                id: texts[0], number: texts[1], name: texts[2], code: texts[3], alternativeCode: texts[4], description: texts[5],
                lifeCycleState: texts[6], authenticationCode: texts[7], identifier: texts[8], classification: classification))
        }
        let setCount = Int(r.u32())
        for _ in 0..<min(setCount, r.bytes.count) {
            var members: [ReferredObject?] = []
            for _ in 0..<9 { members.append(tables.object(r.u32())) }
            guard let set = ReferredSet(members: members) else { return nil }
            tables.sets.append(set)
        }
        return r.failed ? nil : tables
    }
}
