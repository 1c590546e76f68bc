// Seed inputs of FuzzFrameDecoder (`FuzzFrameDecoder --write-seeds DIR`): real frames from
// `FrameEncoder`, prefixed by the 3 parameter bytes (limit index, chunking seed).
import FuzzSupport
import Wire

enum FrameDecoderSeeds {
    /// Index into `FrameDecoderFuzz.limits` of each limit the seeds use.
    private static func limit(_ maxPayload: Int) -> UInt8 {
        // safe because: only called with values of the table, below.
        UInt8(FrameDecoderFuzz.limits.firstIndex(of: maxPayload)!)
    }

    private static func frame(
        _ kind: FrameKind,
        code: UInt16,
        callID: UInt32,
        extra: UInt32 = 0,
        payload: [UInt8] = []
    ) -> [UInt8] {
        var out: [UInt8] = []
        FrameEncoder.append(&out, kind: kind, code: code, callID: callID, extra: extra, payload: payload)
        return out
    }

    private static func seed(_ name: String, limit maxPayload: Int, _ seed: UInt16, _ stream: [UInt8]) -> FuzzSeed {
        FuzzSeed(name, [limit(maxPayload), UInt8(seed >> 8), UInt8(seed & 0xFF)] + stream)
    }

    static func all() -> [FuzzSeed] {
        let health = frame(.request, code: MethodID.health.rawValue, callID: 1)
        let payload = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var pipeline: [UInt8] = []
        for callID in 1...8 {
            pipeline += frame(
                .request,
                code: UInt16(callID % 7 + 1),
                callID: UInt32(callID),
                extra: 250,
                payload: Array(payload.prefix(callID * 13))
            )
        }
        var response: [UInt8] = []
        let start = FrameEncoder.begin(&response, kind: .response, code: StatusCode.notFound.rawValue, callID: 9)
        response += Array("EVENT_NOT_FOUND".utf8)
        FrameEncoder.finish(&response, frameAt: start)
        var hugeLength = frame(.request, code: 2, callID: 3)
        hugeLength.replaceSubrange(0..<4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        var brokenLength = frame(.request, code: 2, callID: 4)
        brokenLength.replaceSubrange(0..<4, with: [0, 0, 0, 11])
        var badVersion = frame(.request, code: 3, callID: 5, payload: [1, 2, 3])
        badVersion[4] = 2
        badVersion[5] = 9
        return [
            seed("health", limit: 1 << 20, 0x1234, health),
            seed("pipeline", limit: 1024, 0x0001, pipeline),
            seed("pipeline-byte-by-byte", limit: 4096, 0x0000, pipeline),
            seed("response-and-cancel", limit: 1 << 20, 0x0102, response + frame(.cancel, code: 0, callID: 9)),
            seed(
                "oversized-then-frame",
                limit: 100,
                0x0203,
                frame(.request, code: 2, callID: 6, payload: payload) + health
            ),
            seed(
                "oversized-cut",
                limit: 12,
                0x0304,
                Array(frame(.request, code: 2, callID: 7, payload: payload).prefix(60))
            ),
            seed(
                "exact-limit",
                limit: 16,
                0x0405,
                frame(.request, code: 4, callID: 8, payload: Array(payload.prefix(16)))
                    + frame(.request, code: 4, callID: 9, payload: Array(payload.prefix(17))) + health
            ),
            seed("zero-limit", limit: 0, 0x0506, health + frame(.request, code: 1, callID: 2, payload: [0]) + health),
            seed("huge-length", limit: 65536, 0x0607, hugeLength + pipeline),
            seed("broken-length", limit: 1 << 20, 0x0708, health + brokenLength + health),
            seed("bad-version-kind", limit: 1024, 0x0809, badVersion + health),
            seed("truncated-header", limit: 1 << 20, 0x090A, health + Array(health.prefix(10))),
            seed("truncated-payload", limit: 1 << 20, 0x0A0B, Array(pipeline.prefix(pipeline.count - 5))),
            seed(
                "large-payload",
                limit: 65536,
                0x0B0C,
                frame(.request, code: 7, callID: 10, payload: [UInt8](repeating: 0x5A, count: 20000)) + health
            ),
            seed("empty-stream", limit: 1024, 0, []),
        ]
    }
}
