// libFuzzer target for the request decoders of Codec (what the server runs on peer bytes).
//
// Input: byte 0 & 7 is the method number (MethodID 1–7) whose decoder gets the rest; 0 runs
// every decoder on the same bytes. Checks, beyond "no crash":
// - a decoded request re-encodes with the client's encoder, decodes again to an equal value
//   (one holding a NaN compared by its dump), and that value re-encodes to the same bytes;
// - a rejected payload throws MALFORMED_PAYLOAD or INVALID_STRING with a message, the latter
//   naming a field.
import Codec
import Domain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let payload = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let method = data[0] & 7
    if method == 0 {
        for method in UInt8(1)...7 { checkRequest(method: method, payload) }
    } else {
        checkRequest(method: method, payload)
    }
    return 0
}

/// Runs the server's decoder of `method` on `payload`, with the client's encoder for the round trip.
func checkRequest(method: UInt8, _ payload: UnsafeRawBufferPointer) {
    switch method {
    case 1: roundTrip("LoginCommand", payload, decode: LoginCommand.init(payload:)) { $0.encode(appendingTo: &$1) }
    case 2:
        roundTrip("CreateAchievement", payload, decode: CreateAchievement.init(payload:)) {
            $0.encode(appendingTo: &$1)
        }
    case 3:
        roundTrip("EventLookup(get)", payload, decode: EventLookup.init(getPayload:)) { $0.encodeGet(appendingTo: &$1) }
    case 4: roundTrip("ListEvents", payload, decode: ListEvents.init(payload:)) { $0.encode(appendingTo: &$1) }
    case 5:
        roundTrip("EventLookup(cancel)", payload, decode: EventLookup.init(cancelPayload:)) {
            $0.encodeCancel(appendingTo: &$1)
        }
    case 6:
        roundTrip(
            "HealthRequest",
            payload,
            decode: { (p) throws(CodecError) -> Bool in
                try validateHealthRequest(payload: p)
                return true
            }
        ) { _, out in encodeHealthRequest(appendingTo: &out) }
    case 7:
        roundTrip(
            "CreateBulk",
            payload,
            decode: { (p) throws(CodecError) -> CreateBulk in
                var bulk = try CreateBulk(payload: p)
                for (index, error) in bulk.unreadable {
                    fuzzRequire(
                        error.code == CodecError.invalidStringCode && index < bulk.items.count
                            && error.violations.map(\.field).allSatisfy { $0.hasPrefix("items[\(index)].") },
                        "CreateBulk: item \(index) unreadable with \(error)")
                }
                bulk.unreadable = [:]  // not encodable: those items round-trip as the placeholders they are
                return bulk
            }
        ) { $0.encode(appendingTo: &$1) }
    default: fuzzFail("no method \(method)")
    }
}

/// Decode, and when that succeeds encode, decode and encode again, comparing.
func roundTrip<V: Equatable>(
    _ name: String,
    _ payload: UnsafeRawBufferPointer,
    decode: (UnsafeRawBufferPointer) throws(CodecError) -> V,
    encode: (V, inout [UInt8]) -> Void
) {
    let first: V
    do {
        first = try decode(payload)
    } catch {
        checkRejection(name, error)
        return
    }
    var bytes: [UInt8] = []
    encode(first, &bytes)
    let second = bytes.withUnsafeBytes { (encoded) -> Result<V, CodecError> in
        do throws(CodecError) { return .success(try decode(encoded)) } catch { return .failure(error) }
    }
    switch second {
    case .failure(let error):
        fuzzFail("\(name): its own encoding does not decode: \(error)\nvalue: \(dumped(first))")
    case .success(let value):
        fuzzRequire(
            sameValue(first, value),
            "\(name): round trip changed the value\nbefore: \(dumped(first))after: \(dumped(value))"
        )
        var again: [UInt8] = []
        encode(value, &again)
        fuzzRequire(again == bytes, "\(name): encoding is not stable: \(bytes) then \(again)")
    }
}

/// A rejection is one of the two documented codes, with a message (and a field for strings).
func checkRejection(_ name: String, _ error: CodecError) {
    fuzzRequire(!error.message.isEmpty, "\(name): error without a message: \(error)")
    switch error.code {
    case CodecError.malformedPayloadCode: break
    case CodecError.invalidStringCode:
        fuzzRequire(error.field.map { !$0.isEmpty } ?? false, "\(name): INVALID_STRING without a field: \(error)")
    default: fuzzFail("\(name): undocumented error code: \(error)")
    }
}

#if !FUZZING
    @main
    struct FuzzRequestDecodersReplay {
        static func main() {
            FuzzReplay.main(target: "FuzzRequestDecoders", seeds: RequestSeeds.all, fuzz: fuzz)
        }
    }
#endif
