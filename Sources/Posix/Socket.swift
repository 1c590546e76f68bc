#if canImport(Glibc)
import Glibc
#endif

/// Where to listen or connect: `host:port`, `[v6]:port`, or `unix:/path.sock`.
public enum SocketAddress: Hashable, Sendable, CustomStringConvertible {
    case tcp(host: String, port: UInt16)
    case unix(path: String)

    /// Parses `host:port`, `[::1]:port` or `unix:/path`; nil when malformed. An empty host
    /// (`:7070`) is every IPv4 interface, `0.0.0.0`.
    public init?(parsing text: String) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty, path.utf8.count < 108 else { return nil }
            self = .unix(path: path)
            return
        }
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty || !text.hasPrefix("[") else { return nil }  // "[]:7070"
        self = .tcp(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    /// The form the `ready` line prints: `127.0.0.1:7070`, `[::1]:7070`, `unix:/path`.
    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }
}

/// Socket calls: listen, accept, connect and options. Descriptors are non-blocking where said.
public enum Socket {
    /// Opens a listening socket (SO_REUSEADDR for TCP) and returns it with the bound address
    /// (the real port when 0 was asked). Unix socket files get `mode`.
    public static func listen(on address: SocketAddress, backlog: Int32 = 1024, mode: mode_t = 0o660) throws(Errno) -> (FileDescriptor, SocketAddress) {
        let fd = try open(for: address)
        do throws(Errno) {
            if case .tcp = address { try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1) }
            try withSockaddr(address) { (pointer, length) throws(Errno) in
                _ = try retryingOnInterrupt { bind(fd.rawValue, pointer, length) }
            }
            if case .unix(let path) = address { _ = chmod(path, mode) }
            _ = try retryingOnInterrupt { Glibc.listen(fd.rawValue, backlog) }
            try fd.setNonBlocking()
            return (fd, try boundAddress(fd, asked: address))
        } catch {
            fd.close()
            throw error
        }
    }

    /// Accepts one connection, non-blocking with TCP_NODELAY; nil when none is waiting.
    public static func accept(_ listener: FileDescriptor) throws(Errno) -> FileDescriptor? {
        while true {
            let fd = Glibc.accept(listener.rawValue, nil, nil)
            if fd >= 0 {
                let accepted = FileDescriptor(rawValue: fd)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                try? accepted.setNonBlocking()
                try? setOption(accepted, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
                return accepted
            }
            let error = Errno.current
            if error == .interrupted || error.rawValue == ECONNABORTED { continue }
            if error == .wouldBlock { return nil }
            throw error
        }
    }

    /// Connects (blocking) and returns the descriptor with TCP_NODELAY set.
    public static func connect(to address: SocketAddress) throws(Errno) -> FileDescriptor {
        let fd = try open(for: address)
        do throws(Errno) {
            try withSockaddr(address) { (pointer, length) throws(Errno) in
                _ = try retryingOnInterrupt { Glibc.connect(fd.rawValue, pointer, length) }
            }
            if case .tcp = address { try? setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1) }
            return fd
        } catch {
            fd.close()
            throw error
        }
    }

    /// Sets an integer socket option. The corresponding C function is setsockopt(2).
    public static func setOption(_ fd: FileDescriptor, _ level: Int32, _ name: Int32, _ value: Int32) throws(Errno) {
        var value = value
        _ = try retryingOnInterrupt {
            setsockopt(fd.rawValue, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Shuts down both directions. The corresponding C function is shutdown(2).
    public static func shutdown(_ fd: FileDescriptor) {
        _ = Glibc.shutdown(fd.rawValue, Int32(SHUT_RDWR))
    }

    /// Reads and drops what non-blocking `fd` has received, up to `limit` bytes. Call it just
    /// before closing after a last frame: a TCP socket closed with unread input sends a reset,
    /// and a peer that gets the reset first loses that frame.
    public static func discardInput(_ fd: FileDescriptor, limit: Int = 1 << 20) {
        withUnsafeTemporaryAllocation(byteCount: 16 << 10, alignment: 16) { buffer in
            var total = 0
            while total < limit, let count = try? fd.read(into: buffer), count > 0 { total += count }
        }
    }

    private static func open(for address: SocketAddress) throws(Errno) -> FileDescriptor {
        let family: Int32
        switch address {
        case .unix: family = AF_UNIX
        case .tcp(let host, _): family = host.contains(":") ? AF_INET6 : AF_INET
        }
        let fd = try retryingOnInterrupt { socket(family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0) }
        return FileDescriptor(rawValue: fd)
    }

    private static func withSockaddr(
        _ address: SocketAddress, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(Errno) -> Void
    ) throws(Errno) {
        var storage = sockaddr_storage()
        var length: socklen_t = 0
        switch address {
        case .unix(let path):
            var un = sockaddr_un()
            un.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &un.sun_path) { raw in
                for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
            }
            length = socklen_t(MemoryLayout<sockaddr_un>.size)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: un, as: sockaddr_un.self) }
        case .tcp(let host, let port):
            if host.contains(":") {
                var in6 = sockaddr_in6()
                in6.sin6_family = sa_family_t(AF_INET6)
                in6.sin6_port = port.bigEndian
                guard inet_pton(AF_INET6, host, &in6.sin6_addr) == 1 else { throw Errno(rawValue: EINVAL) }
                length = socklen_t(MemoryLayout<sockaddr_in6>.size)
                withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: in6, as: sockaddr_in6.self) }
            } else {
                var in4 = sockaddr_in()
                in4.sin_family = sa_family_t(AF_INET)
                in4.sin_port = port.bigEndian
                let name = host == "localhost" ? "127.0.0.1" : host
                guard inet_pton(AF_INET, name, &in4.sin_addr) == 1 else { throw Errno(rawValue: EINVAL) }
                length = socklen_t(MemoryLayout<sockaddr_in>.size)
                withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: in4, as: sockaddr_in.self) }
            }
        }
        var failure: Errno?
        withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                do throws(Errno) { try body(sa, length) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    /// The address `fd` is bound to, numeric (`localhost:0` binds `127.0.0.1:<port>`).
    private static func boundAddress(_ fd: FileDescriptor, asked: SocketAddress) throws(Errno) -> SocketAddress {
        guard case .tcp = asked else { return asked }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { (pointer) throws(Errno) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sa) throws(Errno) in
                try retryingOnInterrupt { getsockname(fd.rawValue, sa, &length) }
            }
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let port: UInt16
        if Int32(storage.ss_family) == AF_INET6 {
            var in6 = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in6.self) }
            port = UInt16(bigEndian: in6.sin6_port)
            _ = inet_ntop(AF_INET6, &in6.sin6_addr, &text, socklen_t(text.count))
        } else {
            var in4 = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in.self) }
            port = UInt16(bigEndian: in4.sin_port)
            _ = inet_ntop(AF_INET, &in4.sin_addr, &text, socklen_t(text.count))
        }
        return .tcp(host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), port: port)
    }
}
