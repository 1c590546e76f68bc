import Codec
import Domain
import Wire

extension ClientPool {
    /// Login (retried: it has no side effect but a new token).
    public func login(_ command: LoginCommand) -> Result<LoginResult, ClientError> {
        var payload: [UInt8] = []
        command.encode(appendingTo: &payload)
        return Client.decode(call(.login, payload: payload, retryable: command.release == nil)) { try LoginResult(payload: $0) }
    }

    /// CreateAchievement; retried only when it carries an external reference (the server
    /// answers a retry with the original event).
    public func create(_ command: CreateAchievement) -> Result<EventView, ClientError> {
        var payload: [UInt8] = []
        command.encode(appendingTo: &payload)
        let safe = command.externalSystemReferenceNumber != nil
        return Client.decode(call(.createAchievement, payload: payload, retryable: safe)) { try EventView(payload: $0) }
    }

    /// GetCustomerEvent (retried).
    public func get(_ lookup: EventLookup) -> Result<EventView, ClientError> {
        var payload: [UInt8] = []
        lookup.encodeGet(appendingTo: &payload)
        return Client.decode(call(.getCustomerEvent, payload: payload, retryable: true)) { try EventView(payload: $0) }
    }

    /// ListCustomerEvents, one page (retried).
    public func list(_ query: ListEvents) -> Result<EventPage, ClientError> {
        var payload: [UInt8] = []
        query.encode(appendingTo: &payload)
        return Client.decode(call(.listCustomerEvents, payload: payload, retryable: true)) { try EventPage(payload: $0) }
    }

    /// CancelCustomerEvent (not retried: a retry after success would answer EVENT_ALREADY_CANCELLED).
    public func cancel(_ lookup: EventLookup) -> Result<EventView, ClientError> {
        var payload: [UInt8] = []
        lookup.encodeCancel(appendingTo: &payload)
        return Client.decode(call(.cancelCustomerEvent, payload: payload, retryable: false)) { try EventView(payload: $0) }
    }

    /// Health (retried).
    public func health() -> Result<HealthReport, ClientError> {
        var payload: [UInt8] = []
        encodeHealthRequest(appendingTo: &payload)
        return Client.decode(call(.health, payload: payload, retryable: true)) { try HealthReport(payload: $0) }
    }
}

/// Picks the shard for an accounts receivable: a stable hash (FNV-1a 64 of the account's
/// identifying value) modulo the shard count, the same in every process and release.
public func shardIndex(forAccount key: String, shards: Int) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return Int(hash % UInt64(max(1, shards)))
}
