import Codec
import Domain
import Store

/// The protobuf record coding the server injects into the store.
///
/// Adapts `Store.StoreChange` and `Store.LogDefinition` to `Codec.StoredChangeValue` and
/// `Codec.StoredDefinitionValue` (the two modules sit at the same layer and do not import
/// each other); bodies are `StoredChange` and `StoredDefinition` messages of storage.proto.
public struct ProtobufRecordCoding: EventRecordCoding {
    public init() {}

    /// Appends the `StoredChange` body of a cancel.
    public func encodeCancelled(id: EventID, at: Milliseconds, by: ReferredObject, appendingTo out: inout [UInt8]) {
        StoredChangeValue.encodeCancelled(id: id, at: at, by: by, appendingTo: &out)
    }

    /// Appends the `StoredChange` body of `event` as a `LoggedEvent`.
    public func encodeCreated(_ event: CustomerEvent, references r: LogReferences, offers: ArraySlice<UInt32>, appendingTo out: inout [UInt8]) {
        StoredChangeValue.encodeLogged(event, set: r.set, createdBy: r.createdBy, updatedBy: r.updatedBy, offers: offers, appendingTo: &out)
    }

    /// Appends the `StoredDefinition` body of `definition`.
    public func encode(_ definition: LogDefinition, appendingTo out: inout [UInt8]) {
        switch definition {
        case .object(let number, let object): StoredDefinitionValue.object(number: number, object).encode(appendingTo: &out)
        case .set(let number, let members): StoredDefinitionValue.set(number: number, members: members).encode(appendingTo: &out)
        }
    }

    /// The change in `body`, or nil when it is not a valid `StoredChange` (any `CodecError`).
    public func decode(_ body: UnsafeRawBufferPointer, objects: UnsafeBufferPointer<ReferredObject?>,
                       sets: UnsafeBufferPointer<ReferredSet?>) -> StoreChange? {
        switch try? StoredChangeValue(payload: body, objects: objects, sets: sets) {
        case .created(let event): .created(event)
        case .cancelled(let id, let at, let by): .cancelled(id: id, at: at, by: by)
        case nil: nil
        }
    }

    /// The definition in `body`, or nil when it is not a valid `StoredDefinition`.
    public func decodeDefinition(_ body: UnsafeRawBufferPointer) -> LogDefinition? {
        switch try? StoredDefinitionValue(payload: body) {
        case .object(let number, let object): .object(number: number, object)
        case .set(let number, let members): .set(number: number, members: members)
        case nil: nil
        }
    }
}
