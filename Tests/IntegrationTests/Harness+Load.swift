import Posix
import Client
import Codec
import Dispatch
import Domain
import Foundation
import Synchronization
import TestSupport
import Wire

/// Sends one create on `client` without waiting; `completion` gets the decoded answer
/// (on the client's queue).
func sendCreate(_ client: Client, _ command: CreateAchievement, completion: @escaping @Sendable (Result<EventView, ClientError>) -> Void) {
    var payload: [UInt8] = []
    command.encode(appendingTo: &payload)
    client.call(.createAchievement, payload: payload) { result in
        completion(result.flatMap(decodeEvent))
    }
}

/// The `EventView` of an OK answer, or the `ClientError` of a failed one.
func decodeEvent(_ response: RawResponse) -> Result<EventView, ClientError> {
    guard response.status == .ok else {
        let error = try? errorPayload(response.payload)
        return .failure(ClientError(status: response.status, code: error?.code ?? "", message: error?.message ?? "", violations: error?.violations ?? []))
    }
    do { return .success(try response.payload.withUnsafeBytes { try EventView(payload: $0) }) } catch {
        return .failure(ClientError(status: .internalError, code: "MALFORMED_RESPONSE", message: "\(error)"))
    }
}

/// Answers collected from completion handlers on any thread.
final class Answers<T: Sendable>: Sendable {
    private let items = Locked<[T]>([])
    private let arrived = DispatchSemaphore(value: 0)

    func add(_ item: T) {
        items.withLock { $0.append(item) }
        arrived.signal()
    }

    /// Waits until `count` answers arrived (or `timeout` s passed) and returns them all.
    func wait(for count: Int, timeout: Double) -> [T] {
        let deadline = DispatchTime.now() + timeout
        for _ in 0..<count where arrived.wait(timeout: deadline) == .timedOut { break }
        return items.withLock { $0 }
    }
}

/// An acknowledged create: what was sent and the event the server answered.
struct Acknowledged: Sendable {
    var command: CreateAchievement
    var event: EventView
}

/// Keeps `window` creates in flight on one connection, each made by `make(sequence)`, until
/// `stop()`, `limit` calls, or the first failure (e.g. the server died); records every ack.
final class CreateStream: Sendable {
    private let client: Client
    private let window: Int
    private let limit: Int
    private let make: @Sendable (Int) -> CreateAchievement
    private let state = Locked<StreamState>(StreamState())
    private let finished = DispatchSemaphore(value: 0)

    init(client: Client, window: Int, limit: Int = 100_000, make: @escaping @Sendable (Int) -> CreateAchievement) {
        self.client = client
        self.window = window
        self.limit = limit
        self.make = make
    }

    /// Sends the first `window` calls.
    func start() {
        for _ in 0..<window { sendNext() }
    }

    /// No new calls after this; those in flight still finish.
    func stop() { state.withLock { $0.stopped = true } }

    /// Waits (at most `timeout` s) until nothing is in flight; returns false on timeout.
    func waitUntilDone(timeout: Double) -> Bool {
        finished.wait(timeout: .now() + timeout) == .success
    }

    var acknowledged: [Acknowledged] { state.withLock { $0.acked } }
    var failures: [ClientError] { state.withLock { $0.failures } }

    private func sendNext() {
        let sequence: Int? = state.withLock { s in
            guard !s.stopped, s.next < limit else { return nil }
            s.next += 1
            s.outstanding += 1
            return s.next - 1
        }
        guard let sequence else { return finishIfIdle() }
        let command = make(sequence)
        sendCreate(client, command) { [self] result in
            state.withLock { s in
                s.outstanding -= 1
                switch result {
                case .success(let event): s.acked.append(Acknowledged(command: command, event: event))
                case .failure(let error):
                    s.failures.append(error)
                    s.stopped = true
                }
            }
            sendNext()
        }
    }

    /// Called when no further call will be sent: signals once when none is in flight.
    private func finishIfIdle() {
        let idle = state.withLock { s -> Bool in
            guard s.outstanding == 0, !s.done else { return false }
            s.done = true
            return true
        }
        if idle { finished.signal() }
    }
}

/// What a `CreateStream` tracks under its lock.
struct StreamState {
    var next = 0
    var outstanding = 0
    var stopped = false
    var done = false
    var acked: [Acknowledged] = []
    var failures: [ClientError] = []
}
