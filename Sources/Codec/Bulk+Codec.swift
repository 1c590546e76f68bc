// CreateAchievementsBulkRequest ⇄ `CreateBulk`, CreateAchievementsBulkResponse ⇄ `BulkResult` (method 7).
internal import AchievementProtoC
public import Domain

extension CreateBulk {
    /// Decodes a CreateAchievementsBulkRequest payload; called by the server on the connection's queue.
    ///
    /// Items decode as `CreateAchievement(payload:)` does; errors name them as `items[2].description`.
    /// An item with a string holding U+0000 or invalid UTF-8 goes to `unreadable` (the others
    /// are kept); such a token fails the whole call. The item count is not capped here (the
    /// domain answers BULK_TOO_LARGE).
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the token.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__create_achievements_bulk_request__unpack, findingNUL: false) {
            m throws(CodecError) in
            let path = FieldPath.root
            let (nulItems, cutKeys) = stringsHoldingNUL(in: payload, m.base.descriptor, byItemOf: 2, keyField: 36)
            var bulk = CreateBulk(token: try path.string(m.token, "token"))
            if let tokenNUL = nulItems[-1] { throw .invalidString(field: tokenNUL) }
            bulk.items.reserveCapacity(m.n_items)
            for index in 0..<m.n_items {
                guard let item = m.items[index]?.pointee else { throw .malformedPayload }
                let itemPath = path.child("items", index: index)
                do throws(CodecError) {
                    if let field = nulItems[index] { throw .invalidString(field: field) }
                    bulk.items.append(try CreateAchievement(reading: item, at: itemPath))
                } catch {
                    guard error.code == CodecError.invalidStringCode else { throw error }
                    var placeholder = CreateAchievement()
                    if !cutKeys.contains(index) {  // a key cut at U+0000 would name another item's
                        placeholder.requestUniqueIdentifier = try? itemPath.string(item.request_unique_identifier, "request_unique_identifier")
                    }
                    bulk.items.append(placeholder)
                    bulk.unreadable[index] = DomainError(.invalidArgument, error.code, error.message,
                                                         violations: [Violation(field: error.field ?? itemPath.render(""), description: error.message)])
                }
            }
            return bulk
        }
    }

    /// Appends this bulk as a CreateAchievementsBulkRequest payload; called by the client.
    public func encode(appendingTo out: inout [UInt8]) {
        var bytes =
            PackArena.bytes(for: Achievement__V1__CreateAchievementsBulkRequest.self)
            + PackArena.bytes(forString: token)
        bytes += PackArena.bytes(for: UnsafeMutableRawPointer.self, count: items.count)
        for item in items { bytes += item.arenaBytes }
        PackArena.with(capacity: bytes) { arena in
            let m = arena.message(achievement__v1__create_achievements_bulk_request__init)
            m.pointee.token = arena.optional(token)
            m.pointee.n_items = items.count
            m.pointee.items = arena.messages(count: items.count) { arena, index in arena.createRequest(items[index]) }
            appendPacked(m, to: &out)
        }
    }
}

extension BulkResult {
    /// Decodes a CreateAchievementsBulkResponse payload; called by the client.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the field.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__create_achievements_bulk_response__unpack) {
            m throws(CodecError) in
            let root = FieldPath.root
            let processed = try root.messages(m.n_processed_customer_events_set, m.processed_customer_events_set) {
                (p, index) throws(CodecError) in
                let path = root.child("processed_customer_events_set", index: index)
                return try Processed(
                    requestUniqueIdentifier: path.text(p.request_unique_identifier, "request_unique_identifier"),
                    id: path.text(p.id, "id"),
                    number: path.text(p.number, "number")
                )
            }
            let unprocessed = try root.messages(m.n_unprocessed_customer_events_set, m.unprocessed_customer_events_set)
            {
                (u, index) throws(CodecError) in
                let path = root.child("unprocessed_customer_events_set", index: index)
                return try Unprocessed(
                    requestUniqueIdentifier: path.text(u.request_unique_identifier, "request_unique_identifier"),
                    errorCode: path.text(u.error_code, "error_code"),
                    errorDescription: path.text(u.error_description, "error_description"),
                    violations: path.violations(u.n_violations, u.violations),
                    status: u.status
                )
            }
            return BulkResult(processed: processed, unprocessed: unprocessed)
        }
    }

    /// Appends this result as a CreateAchievementsBulkResponse payload; called by the server.
    public func encode(appendingTo out: inout [UInt8]) {
        PackArena.with(capacity: arenaBytes) { arena in
            let m = arena.message(achievement__v1__create_achievements_bulk_response__init)
            m.pointee.n_processed_customer_events_set = processed.count
            m.pointee.processed_customer_events_set = arena.messages(count: processed.count) { arena, index in
                let p = arena.message(achievement__v1__processed_customer_event__init)
                p.pointee.request_unique_identifier = arena.optional(processed[index].requestUniqueIdentifier)
                (p.pointee.id, p.pointee.number) = (
                    arena.optional(processed[index].id), arena.optional(processed[index].number)
                )
                return p
            }
            m.pointee.n_unprocessed_customer_events_set = unprocessed.count
            m.pointee.unprocessed_customer_events_set = arena.messages(count: unprocessed.count) { arena, index in
                let item = unprocessed[index]
                let u = arena.message(achievement__v1__unprocessed_customer_event__init)
                u.pointee.request_unique_identifier = arena.optional(item.requestUniqueIdentifier)
                (u.pointee.error_code, u.pointee.error_description) = (
                    arena.optional(item.errorCode), arena.optional(item.errorDescription)
                )
                (u.pointee.n_violations, u.pointee.violations) = (
                    item.violations.count, arena.violations(item.violations)
                )
                u.pointee.status = item.status
                return u
            }
            appendPacked(m, to: &out)
        }
    }

    private var arenaBytes: Int {
        var bytes = PackArena.bytes(for: Achievement__V1__CreateAchievementsBulkResponse.self)
        bytes += PackArena.bytes(for: UnsafeMutableRawPointer.self, count: processed.count + unprocessed.count) * 2
        for p in processed {
            bytes +=
                PackArena.bytes(for: Achievement__V1__ProcessedCustomerEvent.self)
                + p.requestUniqueIdentifier.utf8.count
                + p.id.utf8.count + p.number.utf8.count + 3
        }
        for u in unprocessed {
            bytes +=
                PackArena.bytes(for: Achievement__V1__UnprocessedCustomerEvent.self)
                + u.requestUniqueIdentifier.utf8.count
                + u.errorCode.utf8.count + u.errorDescription.utf8.count + 3
                + PackArena.bytes(forViolations: u.violations)
        }
        return bytes
    }
}

// Encoded sizes, counted as protobuf-c packs these proto3 messages (an empty string and a 0
// are omitted), so that a bulk call can be refused before it stores anything when its answer
// could exceed the frame limit.
extension BulkResult {
    /// Bytes that `encode(appendingTo:)` appends.
    public var encodedSize: Int {
        processed.reduce(0) { $0 + $1.encodedSize } + unprocessed.reduce(0) { $0 + $1.encodedSize }
    }
}

extension BulkResult.Processed {
    /// Bytes this item adds to an encoded CreateAchievementsBulkResponse (its key and length included).
    public var encodedSize: Int {
        ProtoSize.message(ProtoSize.text(requestUniqueIdentifier) + ProtoSize.text(id) + ProtoSize.text(number))
    }
}

extension BulkResult.Unprocessed {
    /// Bytes this item adds to an encoded CreateAchievementsBulkResponse (its key and length included).
    public var encodedSize: Int {
        var inner = ProtoSize.text(requestUniqueIdentifier) + ProtoSize.text(errorCode) + ProtoSize.text(errorDescription)
        for violation in violations {
            inner += ProtoSize.message(ProtoSize.text(violation.field) + ProtoSize.text(violation.description))
        }
        if status != 0 { inner += 1 + ProtoSize.varint(UInt64(status)) }
        return ProtoSize.message(inner)
    }
}

/// Sizes of encoded proto3 fields numbered 1–15 (a one-byte key).
enum ProtoSize {
    /// Bytes of `value` as a varint.
    static func varint(_ value: UInt64) -> Int { (64 - value.leadingZeroBitCount + 6) / 7 + (value == 0 ? 1 : 0) }

    /// A string field: omitted when empty.
    static func text(_ value: String) -> Int {
        let count = value.utf8.count
        return count == 0 ? 0 : 1 + varint(UInt64(count)) + count
    }

    /// A message field whose fields take `inner` bytes (written even when empty, as a repeated entry is).
    static func message(_ inner: Int) -> Int { 1 + varint(UInt64(inner)) + inner }
}
