import Codec
import Domain
import Wire

extension Client {
    /// Decodes an OK answer with `decode`, or turns a non-OK one into `ClientError`.
    static func decode<T>(_ result: Result<RawResponse, ClientError>, _ decode: (UnsafeRawBufferPointer) throws -> T) -> Result<T, ClientError> {
        switch result {
        case .failure(let error): return .failure(error)
        case .success(let response):
            guard response.status == .ok else { return .failure(error(status: response.status, payload: response.payload)) }
            do { return .success(try response.payload.withUnsafeBytes(decode)) } catch {
                return .failure(ClientError(status: .internalError, code: "MALFORMED_RESPONSE", message: "The server's answer did not decode: \(error)"))
            }
        }
    }

    /// Login; waits for the answer.
    public func login(_ command: LoginCommand) -> Result<LoginResult, ClientError> {
        var payload: [UInt8] = []
        command.encode(appendingTo: &payload)
        return Self.decode(callAndWait(.login, payload: payload)) { try LoginResult(payload: $0) }
    }

    /// CreateAchievement; waits for the answer.
    public func create(_ command: CreateAchievement, deadlineMs: UInt32 = 0) -> Result<EventView, ClientError> {
        var payload: [UInt8] = []
        command.encode(appendingTo: &payload)
        return Self.decode(callAndWait(.createAchievement, payload: payload, deadlineMs: deadlineMs)) { try EventView(payload: $0) }
    }

    /// GetCustomerEvent; waits for the answer.
    public func get(_ lookup: EventLookup) -> Result<EventView, ClientError> {
        var payload: [UInt8] = []
        lookup.encodeGet(appendingTo: &payload)
        return Self.decode(callAndWait(.getCustomerEvent, payload: payload)) { try EventView(payload: $0) }
    }

    /// CancelCustomerEvent; waits for the answer.
    public func cancel(_ lookup: EventLookup) -> Result<EventView, ClientError> {
        var payload: [UInt8] = []
        lookup.encodeCancel(appendingTo: &payload)
        return Self.decode(callAndWait(.cancelCustomerEvent, payload: payload)) { try EventView(payload: $0) }
    }

    /// ListCustomerEvents (one page); waits for the answer.
    public func list(_ query: ListEvents) -> Result<EventPage, ClientError> {
        var payload: [UInt8] = []
        query.encode(appendingTo: &payload)
        return Self.decode(callAndWait(.listCustomerEvents, payload: payload)) { try EventPage(payload: $0) }
    }

    /// CreateAchievementsBulk; waits for the answer.
    public func bulk(_ command: CreateBulk) -> Result<BulkResult, ClientError> {
        var payload: [UInt8] = []
        command.encode(appendingTo: &payload)
        return Self.decode(callAndWait(.createAchievementsBulk, payload: payload, timeoutMs: 120_000)) { try BulkResult(payload: $0) }
    }

    /// Health; waits for the answer.
    public func health() -> Result<HealthReport, ClientError> {
        var payload: [UInt8] = []
        encodeHealthRequest(appendingTo: &payload)
        return Self.decode(callAndWait(.health, payload: payload)) { try HealthReport(payload: $0) }
    }
}
