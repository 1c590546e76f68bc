import Dispatch
import Domain
import Posix
import Synchronization
import Wire

/// Settings of a `ClientPool`.
public struct ClientPoolConfiguration: Sendable {
    /// Where the service listens: `127.0.0.1:7070`, `[::1]:7070` or `unix:/path.sock`.
    public var address: SocketAddress
    /// Connections kept open; calls are spread over them round-robin.
    public var connections: Int
    /// Deadline of each call in ms (sent to the server, and enforced here); 0 = none.
    public var deadlineMs: UInt32
    /// How many times a safe call is retried after a transport failure or UNAVAILABLE.
    public var maxRetries: Int
    /// First reconnect delay; doubles per failed attempt up to `maxBackoffMs`.
    public var initialBackoffMs: Int
    public var maxBackoffMs: Int

    public init(address: SocketAddress, connections: Int = 4, deadlineMs: UInt32 = 5_000, maxRetries: Int = 3,
                initialBackoffMs: Int = 20, maxBackoffMs: Int = 2_000) {
        self.address = address
        self.connections = max(1, connections)
        self.deadlineMs = deadlineMs
        self.maxRetries = maxRetries
        self.initialBackoffMs = initialBackoffMs
        self.maxBackoffMs = maxBackoffMs
    }
}

/// A pool of pipelined connections for service-to-service use: round-robin over
/// `connections`, per-call deadlines, reconnect with exponential backoff, and automatic
/// retries of calls that are safe to repeat (reads, and creates that carry an external
/// reference, which the server deduplicates). Thread-safe; completions run on a
/// connection's event loop.
///
/// ```swift
/// let pool = ClientPool(ClientPoolConfiguration(address: .unix(path: "/run/achievement/achievement.sock")))
/// let token = try pool.login(LoginCommand(webAPIKey: key)).get().token
/// var create = CreateAchievement()
/// create.token = token
/// // … fill the parameters …
/// let event = try pool.create(create).get()
/// ```
public final class ClientPool: Sendable {
    private struct Slot {
        var client: Client?
        var failures = 0
        var retryAt: UInt64 = 0
    }

    private let configuration: ClientPoolConfiguration
    private let slots: Locked<[Slot]>
    private let next = Atomic<Int>(0)

    /// A pool; connections open lazily on first use.
    public init(_ configuration: ClientPoolConfiguration) {
        self.configuration = configuration
        slots = Locked(Array(repeating: Slot(), count: configuration.connections))
    }

    /// Closes every connection; calls in flight fail with UNAVAILABLE.
    public func close() {
        let clients = slots.withLock { slots in
            defer { for i in slots.indices { slots[i].client = nil } }
            return slots.compactMap(\.client)
        }
        for client in clients { client.close() }
    }

    /// Sends one call, retrying it when `retryable` and the failure is transient; waits for the answer.
    public func call(_ method: MethodID, payload: [UInt8], retryable: Bool) -> Result<RawResponse, ClientError> {
        var attempt = 0
        while true {
            let result = attemptCall(method, payload: payload)
            guard retryable, attempt < configuration.maxRetries, Self.isTransient(result) else { return result }
            attempt += 1
            let delay = min(configuration.maxBackoffMs, configuration.initialBackoffMs << min(attempt, 16))
            usleepMilliseconds(delay)
        }
    }

    private func attemptCall(_ method: MethodID, payload: [UInt8]) -> Result<RawResponse, ClientError> {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue % configuration.connections
        switch connection(at: index) {
        case .failure(let error): return .failure(error)
        case .success(let client):
            let timeout = configuration.deadlineMs == 0 ? 120_000 : Int(configuration.deadlineMs) + 1_000
            let result = client.callAndWait(method, payload: payload, deadlineMs: configuration.deadlineMs, timeoutMs: timeout)
            if case .failure(let error) = result, error.code == "TRANSPORT" { drop(index, client) }
            return result
        }
    }

    /// The open connection of slot `index`, connecting (with backoff) when needed.
    private func connection(at index: Int) -> Result<Client, ClientError> {
        let now = monotonicMilliseconds()
        let (existing, waitUntil) = slots.withLock { ($0[index].client, $0[index].retryAt) }
        if let existing { return .success(existing) }
        if waitUntil > now { return .failure(ClientError.transport("reconnecting to \(configuration.address) (backoff)")) }
        do {
            let client = try Client(address: configuration.address)
            slots.withLock { $0[index] = Slot(client: client) }
            return .success(client)
        } catch {
            slots.withLock { slot in
                slot[index].failures += 1
                let delay = min(configuration.maxBackoffMs, configuration.initialBackoffMs << min(slot[index].failures, 16))
                slot[index].retryAt = now + UInt64(delay)
            }
            return .failure(ClientError.transport("cannot connect to \(configuration.address): \(error)"))
        }
    }

    private func drop(_ index: Int, _ client: Client) {
        slots.withLock { if $0[index].client === client { $0[index].client = nil } }
        client.close()
    }

    /// Transport failures and UNAVAILABLE (draining server) are worth another try.
    static func isTransient(_ result: Result<RawResponse, ClientError>) -> Bool {
        switch result {
        case .failure(let error): return error.code == "TRANSPORT" || error.status == .unavailable
        case .success(let response): return response.status == .unavailable
        }
    }
}

/// Sleeps `ms` milliseconds.
func usleepMilliseconds(_ ms: Int) {
    let done = DispatchSemaphore(value: 0)
    _ = done.wait(timeout: .now() + .milliseconds(ms))
}

/// Milliseconds of a monotonic clock.
func monotonicMilliseconds() -> UInt64 {
    DispatchTime.now().uptimeNanoseconds / 1_000_000
}
