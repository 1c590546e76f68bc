import AchievementProtoC
import CProtobufC

/// `bytes` unpacked by protobuf-c as a `StoredChange` and packed again by protobuf-c: what
/// protobuf-c itself writes for the same message (nil when it does not unpack). Checks the
/// hand-written encoders against the library byte for byte.
func repackedByProtobufC(_ bytes: [UInt8]) -> [UInt8]? {
    repacked(bytes, achievement__v1__stored_change__unpack)
}

/// `bytes` unpacked by protobuf-c as a `CustomerEvent`, measured and packed again by
/// protobuf-c (nil when it does not unpack): what the library writes, with its size pass, for
/// the answer the server packed without one.
func repackedCustomerEventByProtobufC(_ bytes: [UInt8]) -> [UInt8]? {
    repacked(bytes, achievement__v1__customer_event__unpack)
}

/// `bytes` unpacked by `unpack`, measured and packed again by protobuf-c; nil when it does not unpack.
private func repacked<M>(
    _ bytes: [UInt8],
    _ unpack: (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<M>?
) -> [UInt8]? {
    bytes.withUnsafeBufferPointer { buffer -> [UInt8]? in
        guard let message = unpack(nil, buffer.count, buffer.baseAddress) else { return nil }
        let base = UnsafeMutableRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
        defer { protobuf_c_message_free_unpacked(base, nil) }
        var out = [UInt8](repeating: 0, count: protobuf_c_message_get_packed_size(base))
        let written = out.withUnsafeMutableBufferPointer { protobuf_c_message_pack(base, $0.baseAddress) }
        return written == out.count ? out : nil
    }
}
