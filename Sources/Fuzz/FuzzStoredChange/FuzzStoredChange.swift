// libFuzzer target for `StoredChangeValue(payload:)`, the decoder recovery runs on every
// write-ahead log record and snapshot entry (bytes from disk: torn, corrupted or hostile).
//
// Input: the record body. Checks, beyond "no crash":
// - a decoded change re-encodes, decodes again to an equal value (one holding a NaN compared
//   by its dump), and that value re-encodes to the same bytes;
// - for a created event, `encodedSize(fields:)` equals what `encode(fields:)` appends, for
//   every field and for a mask picked from the input (the server's list-page sizing);
// - a rejected record throws MALFORMED_PAYLOAD or INVALID_STRING with a message;
// - decoding with known objects to reuse (replay's path: the seeds' objects and the record's
//   own) gives the same value.
import Codec
import Domain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = UnsafeRawBufferPointer(start: data, count: size)
    let first: StoredChangeValue
    do {
        first = try StoredChangeValue(payload: payload)
    } catch {
        fuzzRequire(!error.message.isEmpty, "error without a message: \(error)")
        fuzzRequire(
            error.code == CodecError.malformedPayloadCode || error.code == CodecError.invalidStringCode,
            "undocumented error code: \(error)"
        )
        return 0
    }
    var bytes: [UInt8] = []
    first.encode(appendingTo: &bytes)
    // Compared by encoding: shared instances change `dump`'s output, and a NaN is not `==`.
    let reusing = Result { () throws(CodecError) in try StoredChangeValue(payload: payload, reusing: KnownObjects(knownObjects + referred(first), sets: knownSets + sets(first))) }
    var reusedBytes: [UInt8] = []
    (try? reusing.get())?.encode(appendingTo: &reusedBytes)
    fuzzRequire(reusedBytes == bytes, "decoding with known objects changed the value")
    let second = bytes.withUnsafeBytes { (encoded) -> Result<StoredChangeValue, CodecError> in
        do throws(CodecError) { return .success(try StoredChangeValue(payload: encoded)) } catch {
            return .failure(error)
        }
    }
    switch second {
    case .failure(let error):
        fuzzFail("its own encoding does not decode: \(error)\nvalue: \(dumped(first))")
    case .success(let value):
        fuzzRequire(
            sameValue(first, value),
            "round trip changed the value\nbefore: \(dumped(first))after: \(dumped(value))"
        )
        var again: [UInt8] = []
        value.encode(appendingTo: &again)
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

/// Objects a replay decoder might know: the seed events' (some share ids with records the
/// fuzzer makes, with other fields).
private let knownObjects = referred(.created(StoredChangeSeeds.fullEvent))
private let knownSets = sets(.created(StoredChangeSeeds.fullEvent))

/// The referred set of a created event (its members are among `referred(change)`).
private func sets(_ change: StoredChangeValue) -> [ReferredSet] {
    guard case .created(let e) = change else { return [] }
    return [e.referred]
}

/// The referred objects of a change (access tokens and their classifications included).
private func referred(_ change: StoredChangeValue) -> [ReferredObject] {
    switch change {
    case .cancelled(_, _, let by): return [by]
    case .created(let e):
        let f = e.referred.fields
        let optional = [f.product, f.paymentMediumType, f.paymentMediumBrand, f.performedByUnit, f.performedByBusinessUnit,
                        f.performedByTap, f.authorizedByAccessToken, f.authorizedByAccessToken?.classification]
        return [f.classification, f.accountsReceivable, e.logInformation.createdByUser, e.logInformation.updatedByUser]
            + optional.compactMap { $0 } + e.awardRewardTransactions.map(\.rewardOffer)
    }
}

#if !FUZZING
    @main
    struct FuzzStoredChangeReplay {
        static func main() {
            FuzzReplay.main(target: "FuzzStoredChange", seeds: StoredChangeSeeds.all, fuzz: fuzz)
        }
    }
#endif
