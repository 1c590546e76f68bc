import CLinux

#if canImport(Glibc)
import Glibc
#endif

/// An epoll instance: which descriptors to watch for what, and a wait that returns the
/// ready ones. Level-triggered: a descriptor stays ready until it is drained.
public struct Epoll: Sendable {
    /// The epoll descriptor itself (pollable: it is readable while any watched one is ready).
    public let descriptor: FileDescriptor

    /// What to watch a descriptor for.
    public struct Interest: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Bytes to read, or the peer's FIN.
        public static let read = Interest(rawValue: EPOLLIN.rawValue)
        /// Room to write.
        public static let write = Interest(rawValue: EPOLLOUT.rawValue)
    }

    /// One ready descriptor, as `epoll_wait` reported it.
    public struct Event: Sendable {
        public var descriptor: Int32
        /// Readable, or hung up / failed (a read then tells which).
        public var isReadable: Bool
        /// Writable, or failed (a write then tells which).
        public var isWritable: Bool
    }

    /// Creates an instance. The corresponding C function is epoll_create1(2), with EPOLL_CLOEXEC.
    public init() throws(Errno) {
        let fd = try retryingOnInterrupt { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        descriptor = FileDescriptor(rawValue: fd)
    }

    /// Starts watching `fd`. The corresponding C function is epoll_ctl(2) with EPOLL_CTL_ADD.
    public func add(_ fd: FileDescriptor, _ interest: Interest) throws(Errno) {
        try control(EPOLL_CTL_ADD, fd, interest)
    }

    /// Changes what `fd` is watched for (thread-safe). The corresponding C function is epoll_ctl(2) with EPOLL_CTL_MOD.
    public func modify(_ fd: FileDescriptor, _ interest: Interest) throws(Errno) {
        try control(EPOLL_CTL_MOD, fd, interest)
    }

    /// Stops watching `fd`. The corresponding C function is epoll_ctl(2) with EPOLL_CTL_DEL.
    public func remove(_ fd: FileDescriptor) {
        _ = epoll_ctl(descriptor.rawValue, EPOLL_CTL_DEL, fd.rawValue, nil)
    }

    private func control(_ operation: Int32, _ fd: FileDescriptor, _ interest: Interest) throws(Errno) {
        var event = epoll_event()
        event.events = interest.rawValue
        event.data.fd = fd.rawValue
        _ = try retryingOnInterrupt { epoll_ctl(descriptor.rawValue, operation, fd.rawValue, &event) }
    }

    /// Waits up to `timeoutMilliseconds` (-1: no limit, 0: not at all) for ready
    /// descriptors and reports up to `buffer.count` of them into `buffer`'s first entries;
    /// returns how many (0 on timeout or a signal). The corresponding C function is epoll_wait(2).
    public func wait(into buffer: UnsafeMutableBufferPointer<epoll_event>, timeoutMilliseconds: Int32) -> Int {
        let count = epoll_wait(descriptor.rawValue, buffer.baseAddress, Int32(buffer.count), timeoutMilliseconds)
        return max(0, Int(count))
    }

    /// The `index`th entry `poll` filled.
    public static func event(_ buffer: UnsafeMutableBufferPointer<epoll_event>, _ index: Int) -> Event {
        let raw = buffer[index]
        let failed = raw.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        return Event(descriptor: raw.data.fd,
                     isReadable: failed || raw.events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0,
                     isWritable: failed || raw.events & EPOLLOUT.rawValue != 0)
    }

    /// Closes the instance.
    public func close() { descriptor.close() }
}
