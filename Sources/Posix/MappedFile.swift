#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only into memory, unmapped when this object goes away.
///
/// Reading a large file this way (recovery reads every snapshot and log byte once) skips
/// the copy into a fresh buffer and the zeroing of that buffer's pages. The bytes must
/// not be used after the object is released; the file must not shrink while mapped.
public final class MappedFile: @unchecked Sendable {  // safe because: the mapping is read-only and immutable
    /// The file's bytes (empty for an empty file).
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path`. The corresponding C functions are open(2), fstat(2) and mmap(2).
    /// - Throws: `Errno` when the file cannot be opened or mapped.
    public init(_ path: String) throws(Errno) {
        let fd = try FileDescriptor.open(path, O_RDONLY)
        defer { fd.close() }
        let size = Int(try fd.size())
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd.rawValue, 0), base != MAP_FAILED else { throw Errno.current }
        _ = madvise(base, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
