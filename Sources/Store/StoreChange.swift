import Domain

/// One durable change to the event set: the unit of the write-ahead log.
public enum StoreChange: Sendable, Equatable {
    /// An event was created, exactly as stored (replay never consults the catalog).
    case created(CustomerEvent)
    /// An event was cancelled at `at` by `by`.
    case cancelled(id: EventID, at: Milliseconds, by: ReferredObject)
}

/// Turns changes into record bodies and back; injected so the store does not depend on the
/// protobuf codec (the executable injects it; tests use a simple coder).
public protocol EventRecordCoding: Sendable {
    /// Appends the body of `change` to `out`.
    func encode(_ change: StoreChange, appendingTo out: inout [UInt8])
    /// Reads a body written by `encode`; nil when it cannot be decoded.
    func decode(_ body: UnsafeRawBufferPointer) -> StoreChange?
    /// Appends the body of `.created(event)` and returns where in `out` the event's own
    /// encoding (an answer with every field) lies, so the answer can reuse it; nil when the
    /// body holds none.
    func encodeCreated(_ event: CustomerEvent, appendingTo out: inout [UInt8]) -> Range<Int>?
    /// A `decode` for replay that makes referred objects equal to one of `known` that very
    /// instance (and an event whose objects are all members of one of `sets` share that
    /// set), building no copy; called from several threads at once.
    func replayDecoder(reusing known: [ReferredObject], sets: [ReferredSet]) -> @Sendable (UnsafeRawBufferPointer) -> StoreChange?
}

extension EventRecordCoding {
    /// `decode` itself (the store's interning then shares equal objects).
    public func replayDecoder(reusing known: [ReferredObject], sets: [ReferredSet]) -> @Sendable (UnsafeRawBufferPointer) -> StoreChange? {
        { body in self.decode(body) }
    }

    /// The body of `.created(event)`, with no reusable part.
    public func encodeCreated(_ event: CustomerEvent, appendingTo out: inout [UInt8]) -> Range<Int>? {
        encode(.created(event), appendingTo: &out)
        return nil
    }
}

/// A created event's log record, which also holds the event's encoding with every field:
/// an answer that asks for every field copies `record[range]` instead of encoding again.
public struct EncodedEvent: Sendable {
    public let record: [UInt8]
    public let range: Range<Int>
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
