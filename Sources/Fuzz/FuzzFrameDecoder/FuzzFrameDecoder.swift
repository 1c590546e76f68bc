// libFuzzer target for `Wire.FrameDecoder`.
//
// Input: byte 0 picks `maxPayload`, bytes 1–2 seed the chunk sizes, the rest is the byte stream.
// Checks, beyond "no crash":
// - fed whole, and fed in pseudo-random chunks (empty ones included, through both `append`s),
//   the decoder yields the same frames, the same error and the same leftover state, all equal
//   to a straightforward non-incremental reference parser of the stream;
// - after every append the decoder holds at most maxPayload + 16 + the last read (its storage
//   read through `Mirror`), its capacity at most twice maxPayload + 16 + the largest read,
//   and after draining less than maxPayload + 16 unreturned bytes (one incomplete frame).
import FuzzSupport
import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 3 else { return 0 }
    let maxPayload = FrameDecoderFuzz.limits[Int(data[0]) % FrameDecoderFuzz.limits.count]
    let seed = UInt64(data[1]) << 8 | UInt64(data[2])
    let stream = UnsafeRawBufferPointer(start: data + 3, count: size - 3)
    let expected = FrameDecoderFuzz.reference(stream, maxPayload: maxPayload)
    let whole = FrameDecoderFuzz.decodeWhole(stream, maxPayload: maxPayload)
    fuzzRequire(whole == expected, "fed whole: \(whole)\nreference: \(expected)")
    var rng = SplitMix64(seed: seed ^ UInt64(size) << 16)
    let chunked = FrameDecoderFuzz.decodeChunked(stream, maxPayload: maxPayload, rng: &rng)
    fuzzRequire(chunked == expected, "fed in chunks: \(chunked)\nreference: \(expected)")
    return 0
}

/// What decoding a whole stream produced.
struct Outcome: Equatable {
    var frames: [DecodedFrame] = []
    var error: WireError?
    var bufferedBytes = 0
    var isMidFrame = false

    /// Notes what `decoder` still holds, unless the stream broke (the connection then closes).
    mutating func recordLeftovers(_ decoder: FrameDecoder) {
        guard error == nil else { return }
        bufferedBytes = decoder.bufferedBytes
        isMidFrame = decoder.isMidFrame
    }
}

enum FrameDecoderFuzz {
    /// `maxPayload` values byte 0 picks from: tiny limits make oversized frames easy to hit.
    static let limits = [0, 1, 11, 12, 16, 100, 1024, 4096, 65536, 1 << 20]

    /// The stream parsed in one pass, as PROTOCOL.md describes it.
    static func reference(_ bytes: UnsafeRawBufferPointer, maxPayload: Int) -> Outcome {
        var outcome = Outcome()
        var index = 0
        while bytes.count - index >= 4 {
            let length = bigEndian(bytes, index)
            guard length >= 12 else {
                outcome.error = .brokenLength(length)
                break
            }
            guard bytes.count - index >= 16 else { break }
            let header = FrameHeader(
                payloadLength: length - 12,
                version: bytes[index + 4],
                kind: FrameKind(rawValue: bytes[index + 5]),
                code: UInt16(bytes[index + 6]) << 8 | UInt16(bytes[index + 7]),
                callID: bigEndian(bytes, index + 8),
                extra: bigEndian(bytes, index + 12)
            )
            let payloadLength = Int(length - 12)
            if payloadLength > maxPayload {
                outcome.frames.append(.oversized(header))
                index += 16 + payloadLength
                continue
            }
            guard bytes.count - index - 16 >= payloadLength else { break }
            outcome.frames.append(.frame(header, payload: Array(bytes[(index + 16)..<(index + 16 + payloadLength)])))
            index += 16 + payloadLength
        }
        if outcome.error == nil {  // after an error the connection closes: the leftovers do not matter
            outcome.bufferedBytes = max(0, bytes.count - index)
            outcome.isMidFrame = index != bytes.count
        }
        return outcome
    }

    /// The stream appended at once, then drained.
    static func decodeWhole(_ bytes: UnsafeRawBufferPointer, maxPayload: Int) -> Outcome {
        var decoder = FrameDecoder(maxPayload: maxPayload)
        var outcome = Outcome()
        decoder.append(bytes)
        drain(&decoder, into: &outcome)
        outcome.recordLeftovers(decoder)
        return outcome
    }

    /// The stream appended in pseudo-random chunks, draining after each, checking memory.
    static func decodeChunked(_ bytes: UnsafeRawBufferPointer, maxPayload: Int, rng: inout SplitMix64) -> Outcome {
        var decoder = FrameDecoder(maxPayload: maxPayload)
        var outcome = Outcome()
        var offset = 0
        var largestChunk = 0
        var lastRead = 0  // the last non-empty chunk: an empty append changes nothing
        while offset < bytes.count, outcome.error == nil {
            let chunk = min(chunkSize(&rng), bytes.count - offset)
            largestChunk = max(largestChunk, chunk)
            if chunk > 0 { lastRead = chunk }
            let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + chunk)])
            if rng.next() & 1 == 0 { decoder.append(piece) } else { decoder.append(Array(piece)) }
            offset += chunk
            checkMemory(decoder, maxPayload: maxPayload, chunk: lastRead, largestChunk: largestChunk)
            drain(&decoder, into: &outcome)
            if outcome.error == nil {
                fuzzRequire(
                    decoder.bufferedBytes < maxPayload + 16,
                    "drained decoder holds \(decoder.bufferedBytes) bytes, maxPayload \(maxPayload)"
                )
            }
        }
        outcome.recordLeftovers(decoder)
        return outcome
    }

    /// A chunk size: mostly small reads, sometimes big ones, now and then an empty one.
    private static func chunkSize(_ rng: inout SplitMix64) -> Int {
        switch rng.next() % 16 {
        case 0: 0
        case 1...6: rng.next(in: 1...16)
        case 7...11: rng.next(in: 1...300)
        case 12...14: rng.next(in: 1...5000)
        default: rng.next(in: 1...70000)
        }
    }

    private static func drain(_ decoder: inout FrameDecoder, into outcome: inout Outcome) {
        do {
            while let frame = try decoder.nextFrame() {
                switch frame {
                case .frame(let header, let payload):
                    fuzzRequire(
                        payload.count == Int(header.payloadLength) && payload.count <= decoder.maxPayload,
                        "frame of \(payload.count) bytes, header says \(header.payloadLength)"
                    )
                case .oversized(let header):
                    fuzzRequire(Int(header.payloadLength) > decoder.maxPayload, "oversized \(header) within the limit")
                }
                outcome.frames.append(frame)
            }
        } catch {
            outcome.error = error
        }
    }

    /// Memory bound of the decoder's doc comment: maxPayload + 16 plus one read.
    private static func checkMemory(_ decoder: FrameDecoder, maxPayload: Int, chunk: Int, largestChunk: Int) {
        let (count, capacity) = storage(decoder)
        let bound = maxPayload + 16 + chunk
        fuzzRequire(decoder.bufferedBytes <= bound, "buffered \(decoder.bufferedBytes) > \(bound)")
        fuzzRequire(count <= bound, "decoder stores \(count) bytes > maxPayload + 16 + chunk = \(bound)")
        let capacityBound = 2 * (maxPayload + 16 + largestChunk) + 64
        fuzzRequire(capacity <= capacityBound, "decoder capacity \(capacity) > \(capacityBound)")
    }

    /// Count and capacity of the decoder's private byte buffer.
    private static func storage(_ decoder: FrameDecoder) -> (count: Int, capacity: Int) {
        for child in Mirror(reflecting: decoder).children where child.label == "buffer" {
            if let buffer = child.value as? [UInt8] { return (buffer.count, buffer.capacity) }
        }
        fuzzFail("FrameDecoder has no `buffer: [UInt8]` any more: update FuzzFrameDecoder.storage")
    }

    private static func bigEndian(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }
}

#if !FUZZING
    @main
    struct FuzzFrameDecoderReplay {
        static func main() {
            FuzzReplay.main(target: "FuzzFrameDecoder", seeds: FrameDecoderSeeds.all, fuzz: fuzz)
        }
    }
#endif
