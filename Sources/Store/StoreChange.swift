import Domain

/// One durable change to the event set: the unit of the write-ahead log.
public enum StoreChange: Sendable, Equatable {
    /// An event was created, exactly as stored (replay never consults the catalog).
    case created(CustomerEvent)
    /// An event was cancelled at `at` by `by`.
    case cancelled(id: EventID, at: Milliseconds, by: ReferredObject)
}

/// A definition record of the log: the next number of its object or set table, so that
/// event records name their shared referred objects by number (see `LogTable`).
public enum LogDefinition: Sendable, Equatable {
    /// Object `number` is `object`.
    case object(number: UInt32, ReferredObject)
    /// Set `number` has these members: nine object numbers in `ReferredSet.Fields` order,
    /// nil when absent (classification and accounts receivable never are).
    case set(number: UInt32, members: [UInt32?])
}

/// The numbers an event record gives its shared referred objects (its awards' reward offers
/// apart, in an array a batch's events share: one array for all, not one each).
public struct LogReferences: Sendable, Equatable {
    /// The number of the event's referred set.
    public var set: UInt32
    /// The object number of the log information's created-by user.
    public var createdBy: UInt32
    /// The object number of the log information's updated-by user.
    public var updatedBy: UInt32

    public init(set: UInt32, createdBy: UInt32, updatedBy: UInt32) {
        self.set = set
        self.createdBy = createdBy
        self.updatedBy = updatedBy
    }
}

/// Turns changes into record bodies and back; injected so the store does not depend on the
/// protobuf codec (the executable injects it; tests use a simple coder).
public protocol EventRecordCoding: Sendable {
    /// Appends the body of the cancel of event `id` at `at` by `by`.
    func encodeCancelled(id: EventID, at: Milliseconds, by: ReferredObject, appendingTo out: inout [UInt8])
    /// Appends the body of `.created(event)` naming its shared objects by `references`, and
    /// each award's reward offer by its number in `offers`.
    func encodeCreated(_ event: CustomerEvent, references: LogReferences, offers: ArraySlice<UInt32>, appendingTo out: inout [UInt8])
    /// Appends the body of a definition record.
    func encode(_ definition: LogDefinition, appendingTo out: inout [UInt8])
    /// Reads a change body (a cancel, a created event naming objects by number, or one with
    /// every object in full as written before log tables), its numbers referring to `objects`
    /// and `sets` (the log's tables); nil when it cannot be decoded. Called from several
    /// threads at once.
    func decode(_ body: UnsafeRawBufferPointer, objects: UnsafeBufferPointer<ReferredObject?>, sets: UnsafeBufferPointer<ReferredSet?>) -> StoreChange?
    /// Reads a definition body; nil when it cannot be decoded.
    func decodeDefinition(_ body: UnsafeRawBufferPointer) -> LogDefinition?
}

/// How a write becomes durable (`--fsync`).
public enum FsyncPolicy: Sendable, Equatable, CustomStringConvertible {
    /// fdatasync before every acknowledgement (shared by concurrent writers).
    case always
    /// Acknowledge after write(2); fdatasync every `milliseconds`.
    case interval(milliseconds: Int)
    /// Acknowledge after write(2); the OS decides when to flush.
    case never

    /// Parses `always`, `never` or `interval:<ms>`.
    public init?(parsing text: String) {
        switch text {
        case "always": self = .always
        case "never": self = .never
        default:
            guard text.hasPrefix("interval:"), let ms = Int(text.dropFirst(9)), ms > 0 else { return nil }
            self = .interval(milliseconds: ms)
        }
    }

    public var description: String {
        switch self {
        case .always: "always"
        case .never: "never"
        case .interval(let ms): "interval:\(ms)"
        }
    }
}

/// A store failure at start or on disk, with the file and offset when known.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
