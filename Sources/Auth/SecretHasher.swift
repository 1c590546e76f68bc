import CCrypt
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Checks secrets against crypt(3) hashes (`$6$…`, `$y$…`) with libcrypt's `crypt_r`.
///
/// A check costs 2–16 ms and up to 16 MiB, so checks run on a small concurrent queue of
/// their own, never on a connection's queue, and at most `capacity` may wait or run at
/// once; past that `submit` refuses (the caller answers RESOURCE_EXHAUSTED `OVERLOADED`).
public final class SecretHasher: Sendable {
    private let queue = DispatchQueue(label: "auth.crypt", attributes: .concurrent)
    private let pending = Atomic<Int>(0)
    /// Most checks queued or running at once.
    public let capacity: Int

    /// A hasher admitting at most `capacity` checks at once.
    public init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// True when `secret` hashes to `hash`; compared in constant time. Runs on the caller's thread.
    public static func verify(_ secret: String, hash: String) -> Bool {
        guard !hash.isEmpty, secret.utf8.count < 512 else { return false }
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let output = crypt_r(secret, hash, data) else { return false }
        let computed = String(cString: output)
        return constantTimeEqual(Array(computed.utf8), Array(hash.utf8))
    }

    /// A new SHA-512-crypt hash of `secret` (for tests and scripts).
    public static func hash(_ secret: String) -> String? {
        var salt = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn("$6$", 0, nil, 0, &salt, Int32(salt.count)) != nil else { return nil }
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let output = crypt_r(secret, salt, data) else { return nil }
        return String(cString: output)
    }

    /// Runs `work` on the crypt queue; false (and `work` not run) when `capacity` checks are
    /// already admitted.
    public func submit(_ work: @escaping @Sendable () -> Void) -> Bool {
        let admitted = pending.wrappingAdd(1, ordering: .relaxed).newValue
        guard admitted <= capacity else {
            pending.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        queue.async {
            work()
            self.pending.wrappingSubtract(1, ordering: .relaxed)
        }
        return true
    }
}

/// Compares two byte strings in time that depends only on their lengths.
public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in 0..<a.count { difference |= a[i] ^ b[i] }
    return difference == 0
}
