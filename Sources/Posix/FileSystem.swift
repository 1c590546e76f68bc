#if canImport(Glibc)
import Glibc
#endif

/// Path-level calls: rename, unlink, mkdir, directory listing, whole-file reads.
public enum FileSystem {
    /// Atomically replaces `to` with `from`. The corresponding C function is rename(2).
    public static func rename(_ from: String, to: String) throws(Errno) {
        _ = try retryingOnInterrupt { Glibc.rename(from, to) }
    }

    /// Removes a file. The corresponding C function is unlink(2).
    public static func unlink(_ path: String) throws(Errno) {
        _ = try retryingOnInterrupt { Glibc.unlink(path) }
    }

    /// Creates a directory and its missing parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(Errno) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            if Glibc.mkdir(prefix, mode) != 0 && errno != EEXIST { throw Errno.current }
        }
    }

    /// Flushes a directory's entries (after create, rename or unlink in it).
    public static func syncDirectory(_ path: String) throws(Errno) {
        let fd = try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY)
        defer { fd.close() }
        try fd.sync()
    }

    /// Names of the entries of a directory (without `.` and `..`), unsorted.
    public static func listDirectory(_ path: String) throws(Errno) -> [String] {
        guard let dir = opendir(path) else { throw Errno.current }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))  // safe because: d_name is a fixed array, never nil
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// True when `path` exists.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// True when `path` is a socket file itself (not followed if a symbolic link). The
    /// corresponding C function is lstat(2).
    public static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    /// The whole content of a file (sized once from fstat, then read in place).
    public static func readAll(_ path: String) throws(Errno) -> [UInt8] {
        let fd = try FileDescriptor.open(path, O_RDONLY)
        defer { fd.close() }
        var capacity = Int(try fd.size()) + 1
        var result = [UInt8](repeating: 0, count: capacity)
        var filled = 0
        while true {
            if filled == capacity {
                capacity *= 2
                result.append(contentsOf: repeatElement(0, count: capacity - result.count))
            }
            var got = 0
            var failure: Errno?
            result.withUnsafeMutableBytes { buffer in
                do throws(Errno) {
                    got = try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                } catch { failure = error }
            }
            if let failure { throw failure }
            if got == 0 { break }
            filled += got
        }
        result.removeLast(result.count - filled)
        return result
    }

    /// Fills `buffer` with randomness from the kernel's generator (getrandom(2), through the
    /// standard library's `SystemRandomNumberGenerator`).
    public static func randomBytes(_ buffer: UnsafeMutableRawBufferPointer) {
        var generator = SystemRandomNumberGenerator()
        for i in 0..<buffer.count { buffer[i] = generator.next() }
    }
}

/// Writes `text` and a newline to standard error (unbuffered, thread-safe).
public func printError(_ text: String) {
    let line = text.hasSuffix("\n") ? text : text + "\n"
    var bytes = Array(line.utf8)
    bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
}

/// Writes `text` and a newline to standard output at once (unbuffered: the `ready` line
/// must reach a pipe immediately).
public func printLine(_ text: String) {
    var bytes = Array((text + "\n").utf8)
    bytes.withUnsafeMutableBytes { _ = Glibc.write(1, $0.baseAddress, $0.count) }
}

extension FileSystem {
    /// Size of the file at `path` in bytes, or nil when it cannot be read. The corresponding C function is stat(2).
    public static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}

/// Returns freed heap memory to the OS (after a large transient use such as recovery).
/// The corresponding C function is malloc_trim(3).
/// Skipped under ASan/TSan, whose allocators replace glibc's (its malloc_trim crashes there).
public func releaseFreeMemory() {
    guard dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__sanitizer_print_stack_trace") == nil else { return }
    _ = system_malloc_trim(0)
}

/// glibc's malloc_trim, declared here because <malloc.h> is not part of the Glibc module.
@_silgen_name("malloc_trim")
private func system_malloc_trim(_ pad: Int) -> Int32
