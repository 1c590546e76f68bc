import Codec
import Dispatch
import Domain
import Posix
import Synchronization
import Wire

/// A failed call as the client sees it: the status and the server's `Error` payload.
public struct ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: StatusCode
    public var code: String
    public var message: String
    public var violations: [Violation]

    public init(status: StatusCode, code: String, message: String, violations: [Violation] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.violations = violations
    }

    /// `STATUS CODE: message` plus one line per violation.
    public var description: String {
        ([ "\(status) \(code): \(message)" ] + violations.map { "  \($0.field): \($0.description)" }).joined(separator: "\n")
    }

    /// The connection failed or closed before the answer came.
    static func transport(_ message: String) -> ClientError {
        ClientError(status: .unavailable, code: "TRANSPORT", message: message)
    }
}

/// A raw answer: status, payload bytes, and the server's handling time in µs.
public struct RawResponse: Sendable {
    public var status: StatusCode
    public var payload: [UInt8]
    public var serverMicros: UInt32
}

/// Pipelined calls over one connection: many calls in flight, answers matched by call id.
///
/// Thread-safe. Completions run on the connection's event loop.
public final class Client: Sendable {
    private let connection: FrameConnection
    private let pending = Locked<(next: UInt32, calls: [UInt32: @Sendable (Result<RawResponse, ClientError>) -> Void], closed: Bool)>((1, [:], false))

    /// Connects to `address` (`127.0.0.1:7070`, `[::1]:7070` or `unix:/path`).
    /// - Throws: `Errno` when the connection cannot be made.
    public init(address: SocketAddress) throws(Errno) {
        // The connection reaches the client weakly: it holds the callbacks and the client holds
        // it, so a strong reference would keep both (and the 256 KiB read buffer) forever.
        let box = Locked(WeakClient())
        connection = try FrameConnection(to: address, onFrames: { frames in
            box.withLock { $0.client }?.deliver(frames)
        }, onClose: {
            box.withLock { $0.client }?.failAll()
        })
        box.withLock { $0.client = self }
    }

    /// Closes the connection and fails what is still in flight, when the last reference goes.
    deinit {
        connection.close()
        failAll()
    }

    /// Closes the connection; calls still in flight fail with UNAVAILABLE.
    public func close() { connection.close() }

    /// Sends one call; `completion` gets the answer (or a transport failure).
    public func call(_ method: MethodID, payload: [UInt8], deadlineMs: UInt32 = 0,
                     completion: @escaping @Sendable (Result<RawResponse, ClientError>) -> Void) {
        let callID: UInt32? = pending.withLock { state in
            guard !state.closed else { return nil }
            let id = state.next
            state.next = state.next == UInt32.max ? 1 : state.next + 1
            state.calls[id] = completion
            return id
        }
        guard let callID else { return completion(.failure(.transport("connection closed"))) }
        var frame: [UInt8] = []
        frame.reserveCapacity(FrameHeader.size + payload.count)
        FrameEncoder.append(&frame, kind: .request, code: method.rawValue, callID: callID, extra: deadlineMs, payload: payload)
        connection.send(frame)
    }

    /// Sends one call and waits for its answer (at most `timeoutMs`).
    public func callAndWait(_ method: MethodID, payload: [UInt8], deadlineMs: UInt32 = 0, timeoutMs: Int = 30_000) -> Result<RawResponse, ClientError> {
        let done = DispatchSemaphore(value: 0)
        let result = Locked<Result<RawResponse, ClientError>?>(nil)
        call(method, payload: payload, deadlineMs: deadlineMs) { answer in
            result.withLock { $0 = answer }
            done.signal()
        }
        guard done.wait(timeout: .now() + .milliseconds(timeoutMs)) == .success else {
            return .failure(.transport("no answer within \(timeoutMs) ms"))
        }
        return result.withLock { $0 } ?? .failure(.transport("no answer"))
    }

    private func deliver(_ frames: [(FrameHeader, [UInt8])]) {
        for (header, payload) in frames {
            if header.callID == 0 {
                let error = Self.error(status: StatusCode(rawValue: header.code), payload: payload)
                failAll(error)
                continue
            }
            let completion = pending.withLock { $0.calls.removeValue(forKey: header.callID) }
            completion?(.success(RawResponse(status: StatusCode(rawValue: header.code), payload: payload, serverMicros: header.extra)))
        }
    }

    private func failAll(_ error: ClientError = .transport("connection closed")) {
        let calls = pending.withLock { state in
            state.closed = true
            defer { state.calls.removeAll() }
            return Array(state.calls.values)
        }
        for completion in calls { completion(.failure(error)) }
    }

    /// A weak reference to a client, for its connection's callbacks.
    private struct WeakClient: Sendable {
        weak var client: Client?
    }

    /// The `ClientError` of a non-OK answer.
    static func error(status: StatusCode, payload: [UInt8]) -> ClientError {
        let decoded = payload.withUnsafeBytes { try? ErrorPayload(payload: $0) }
        return ClientError(status: status, code: decoded?.code ?? "", message: decoded?.message ?? "", violations: decoded?.violations ?? [])
    }
}
