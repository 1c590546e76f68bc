import Codec
import Domain
import Store

/// The protobuf record coding the server injects into the store.
///
/// Adapts `Store.StoreChange` to `Codec.StoredChangeValue` (the two modules sit at the same
/// layer and do not import each other); bodies are `StoredChange` messages of storage.proto.
/// Called by the store under its write lock (encode) and on replay (decode).
public struct ProtobufRecordCoding: EventRecordCoding {
    public init() {}

    /// Appends the `StoredChange` body of `change`.
    public func encode(_ change: StoreChange, appendingTo out: inout [UInt8]) {
        switch change {
        case .created(let event):
            _ = StoredChangeValue.encodeCreatedSharingEvent(event, appendingTo: &out)
        case .cancelled(let id, let at, let by):
            StoredChangeValue.encodeCancelled(id: id, at: at, by: by, appendingTo: &out)
        }
    }

    /// Appends the body of `.created(event)`, its event packed once and shared with the answer.
    public func encodeCreated(_ event: CustomerEvent, appendingTo out: inout [UInt8]) -> Range<Int>? {
        StoredChangeValue.encodeCreatedSharingEvent(event, appendingTo: &out)
    }

    /// The change in `body`, or nil when it is not a valid `StoredChange` (any `CodecError`).
    public func decode(_ body: UnsafeRawBufferPointer) -> StoreChange? {
        Self.decode(body, reusing: nil)
    }

    /// A decoder that reuses `known` instances for equal referred objects, and `sets` for
    /// events whose objects are all members of one (indexed once here).
    public func replayDecoder(reusing known: [ReferredObject], sets: [ReferredSet]) -> @Sendable (UnsafeRawBufferPointer) -> StoreChange? {
        let index = KnownObjects(known, sets: sets)
        return { body in Self.decode(body, reusing: index) }
    }

    private static func decode(_ body: UnsafeRawBufferPointer, reusing known: KnownObjects?) -> StoreChange? {
        let value: StoredChangeValue
        do {
            value = try StoredChangeValue(payload: body, reusing: known)
        } catch {
            return nil
        }
        switch value {
        case .created(let event): return .created(event)
        case .cancelled(let id, let at, let by): return .cancelled(id: id, at: at, by: by)
        }
    }
}
