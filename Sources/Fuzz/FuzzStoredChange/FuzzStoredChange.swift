// libFuzzer target for `StoredChangeValue(payload:objects:sets:)` and
// `StoredDefinitionValue(payload:)`, the decoders recovery runs on every write-ahead log record
// (bytes from disk: torn, corrupted or hostile).
//
// Input: the record body, decoded as a change (against a small log table: the seed event's
// objects and set) and as a definition. Checks, beyond "no crash":
// - a decoded change re-encodes (a logged event, one whose objects are the table's, in the
//   logged form; others in the full form), decodes again to an equal value (one holding a NaN
//   compared by its dump), and that value re-encodes to the same bytes; likewise a definition;
// - for a created event, `encodedSize(fields:)` equals what `encode(fields:)` appends, for
//   every field and for a mask picked from the input (the server's list-page sizing);
// - a rejected record throws MALFORMED_PAYLOAD or INVALID_STRING with a message.
import Codec
import Domain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = UnsafeRawBufferPointer(start: data, count: size)
    fuzzDefinition(payload)
    let first: StoredChangeValue
    switch StoredChangeSeeds.decode(payload) {
    case .failure(let error):
        requireDocumented(error)
        return 0
    case .success(let value):
        first = value
    }
    let bytes = StoredChangeSeeds.encode(first)
    switch bytes.withUnsafeBytes({ StoredChangeSeeds.decode($0) }) {
    case .failure(let error):
        fuzzFail("its own encoding does not decode: \(error)\nvalue: \(dumped(first))")
    case .success(let value):
        fuzzRequire(
            sameValue(first, value),
            "round trip changed the value\nbefore: \(dumped(first))after: \(dumped(value))"
        )
        let again = StoredChangeSeeds.encode(value)
        fuzzRequire(again == bytes, "encoding is not stable: \(bytes) then \(again)")
    }
    if case .created(let event) = first {
        let picked = FieldMask(bits: UInt64(truncatingIfNeeded: size) &* 0x9E37_79B9_7F4A_7C15 & FieldMask.all.bits)
        for mask in [FieldMask.all, picked] {
            var out: [UInt8] = []
            event.encode(fields: mask, appendingTo: &out)
            fuzzRequire(
                out.count == event.encodedSize(fields: mask),
                "encodedSize(fields: \(mask.bits)) is \(event.encodedSize(fields: mask)), encode wrote \(out.count)"
            )
        }
    }
    return 0
}

/// A definition record: decoded, it re-encodes to bytes that decode to an equal value and
/// re-encode the same; rejected, it throws a documented error.
private func fuzzDefinition(_ payload: UnsafeRawBufferPointer) {
    let first: StoredDefinitionValue
    do throws(CodecError) { first = try StoredDefinitionValue(payload: payload) } catch {
        requireDocumented(error)
        return
    }
    var bytes: [UInt8] = []
    first.encode(appendingTo: &bytes)
    let decoded = bytes.withUnsafeBytes { raw in Result { () throws(CodecError) in try StoredDefinitionValue(payload: raw) } }
    switch decoded {
    case .failure(let error):
        fuzzFail("a definition's own encoding does not decode: \(error)\nvalue: \(dumped(first))")
    case .success(let second):
        fuzzRequire(second == first, "definition round trip changed the value\nbefore: \(dumped(first))after: \(dumped(second))")
        var again: [UInt8] = []
        second.encode(appendingTo: &again)
        fuzzRequire(again == bytes, "definition encoding is not stable")
    }
}

private func requireDocumented(_ error: CodecError) {
    fuzzRequire(!error.message.isEmpty, "error without a message: \(error)")
    fuzzRequire(
        error.code == CodecError.malformedPayloadCode || error.code == CodecError.invalidStringCode,
        "undocumented error code: \(error)"
    )
}

#if !FUZZING
    @main
    struct FuzzStoredChangeReplay {
        static func main() {
            FuzzReplay.main(target: "FuzzStoredChange", seeds: StoredChangeSeeds.all, fuzz: fuzz)
        }
    }
#endif
