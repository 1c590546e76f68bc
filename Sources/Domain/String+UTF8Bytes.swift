extension String {
    /// Runs `body` on the string's UTF-8 bytes, read in place when it is native (a small
    /// string is copied to the stack). `withUTF8` needs a mutable copy of the string: a retain
    /// and a release per call, on paths that read many strings per call.
    @inlinable
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self  // bridged or foreign: made native first
        return try copy.withUTF8(body)
    }
}
