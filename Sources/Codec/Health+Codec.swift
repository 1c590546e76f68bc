// HealthRequest and HealthResponse ⇄ `HealthReport` (method 6).
internal import AchievementProtoC
public import Domain

/// Checks that a Health payload is a HealthRequest (empty, or unknown fields only).
///
/// Called by the server on the connection's queue.
/// - Throws: `CodecError.malformedPayload` when the payload is not protobuf.
public func validateHealthRequest(payload: UnsafeRawBufferPointer) throws(CodecError) {
    try withUnpacked(payload, achievement__v1__health_request__unpack) { _ throws(CodecError) in }
}

/// Appends a HealthRequest payload (no bytes: the message has no fields); called by the client.
public func encodeHealthRequest(appendingTo out: inout [UInt8]) {
    PackArena.with(capacity: PackArena.bytes(for: Achievement__V1__HealthRequest.self)) { arena in
        appendPacked(arena.message(achievement__v1__health_request__init), to: &out)
    }
}

extension HealthReport {
    /// Decodes a HealthResponse payload; called by the client. Only SERVING reads as serving.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` for `version`.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__health_response__unpack) { m throws(CodecError) in
            try HealthReport(
                serving: m.status == ACHIEVEMENT__V1__SERVING_STATUS__SERVING,
                version: FieldPath.root.text(m.version, "version"),
                uptimeMs: m.uptime_ms,
                events: m.events,
                connections: m.connections,
                callsInFlight: m.calls_in_flight,
                logBytes: m.log_bytes,
                lastFsyncMicros: m.last_fsync_us
            )
        }
    }

    /// Appends this report as a HealthResponse payload; called by the server.
    public func encode(appendingTo out: inout [UInt8]) {
        let bytes = PackArena.bytes(for: Achievement__V1__HealthResponse.self) + PackArena.bytes(forString: version)
        PackArena.with(capacity: bytes) { arena in
            let m = arena.message(achievement__v1__health_response__init)
            m.pointee.status =
                serving ? ACHIEVEMENT__V1__SERVING_STATUS__SERVING : ACHIEVEMENT__V1__SERVING_STATUS__NOT_SERVING
            m.pointee.version = arena.optional(version)
            (m.pointee.uptime_ms, m.pointee.events, m.pointee.connections) = (uptimeMs, events, connections)
            (m.pointee.calls_in_flight, m.pointee.log_bytes, m.pointee.last_fsync_us) = (
                callsInFlight, logBytes, lastFsyncMicros
            )
            appendPacked(m, to: &out)
        }
    }
}
