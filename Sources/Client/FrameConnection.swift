import Dispatch
import Posix
import Reactor
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// A client-side framed connection: writes frames from any thread, delivers every frame
/// read on its event loop (shared with the loop's other connections).
///
/// `onFrames` gets all frames of one read at once, so a caller can answer a batch with one
/// write (the load tool's pipelining). Writes are buffered and flushed without blocking.
public final class FrameConnection: EventLoopChannel, @unchecked Sendable {  // safe because: `output` is Locked; reader state only on `loop`
    /// Receives the frames of one read; runs on `loop`.
    public typealias FramesHandler = @Sendable ([(FrameHeader, [UInt8])]) -> Void

    /// The loops client connections share unless given one: one per core, made on first use.
    public static let sharedLoops: EventLoopGroup = {
        do { return try EventLoopGroup(label: "client") } catch { fatalError("cannot create client event loops: \(error)") }
    }()

    /// The loop frames are delivered on; the connection's reader state belongs to it.
    public let loop: EventLoop
    private let fd: FileDescriptor
    private var decoder: FrameDecoder
    private let output = Locked<(bytes: [UInt8], offset: Int, armed: Bool, closed: Bool)>(([], 0, false, false))
    private let onFrames: FramesHandler
    private let onClose: @Sendable () -> Void
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)

    /// Connects (blocking) to `address` and starts reading on `loop` (default: the next of `sharedLoops`).
    /// - Throws: `Errno` when the connection cannot be made.
    public init(to address: SocketAddress, maxPayload: Int = 64 << 20, loop: EventLoop? = nil,
                onFrames: @escaping FramesHandler, onClose: @escaping @Sendable () -> Void = {}) throws(Errno) {
        fd = try Socket.connect(to: address)
        try fd.setNonBlocking()
        let loop = loop ?? Self.sharedLoops.next()
        self.loop = loop
        decoder = FrameDecoder(maxPayload: maxPayload)
        self.onFrames = onFrames
        self.onClose = onClose
        loop.execute { [self] in
            // Under the output lock, so a write that found the socket full meanwhile is watched too.
            let registered = output.withLock { state -> Bool in
                do throws(Errno) { try loop.register(fd, self, state.armed ? [.read, .write] : .read) } catch { return false }
                return true
            }
            if !registered { closeOnQueue() }
        }
    }

    deinit {
        buffer.deallocate()
    }

    /// Queues bytes (one or more whole frames) and writes what the socket takes now.
    public func send(_ bytes: [UInt8]) {
        let closed = output.withLock { state -> Bool in
            if !state.closed { state.bytes.append(contentsOf: bytes) }
            return state.closed
        }
        if !closed { flush() }
    }

    /// True once the connection is closed (by either side).
    public var isClosed: Bool { output.withLock { $0.closed } }

    /// Closes the connection; `onClose` runs once, on `loop`.
    public func close() {
        loop.execute { [self] in closeOnQueue() }
    }

    private func closeOnQueue() {
        let wasOpen = output.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        guard wasOpen else { return }
        loop.deregister(fd)  // no event reaches `readable` after this
        fd.close()
        onClose()
    }

    /// Writes what is buffered; called by the loop when the socket has room again.
    public func writable() { flush() }

    /// Nothing is buffered per round: `send` writes at once.
    public func flushPending() {}

    private func flush() {
        var failed = false
        output.withLock { state in
            guard !state.closed else { return }
            while state.offset < state.bytes.count {
                var written = 0
                var error: Errno?
                state.bytes.withUnsafeBytes { raw in
                    do throws(Errno) { written = try Self.send(fd, UnsafeRawBufferPointer(rebasing: raw[state.offset...])) } catch let e { error = e }
                }
                if let error {
                    if error == .wouldBlock {
                        if !state.armed { state.armed = true; loop.setInterest(fd, [.read, .write]) }
                    } else {
                        failed = true
                    }
                    return
                }
                state.offset += written
            }
            state.bytes.removeAll(keepingCapacity: state.bytes.capacity < 1 << 20)
            state.offset = 0
            if state.armed { state.armed = false; loop.setInterest(fd, .read) }
        }
        guard failed else { return }
        // The server closed: what it sent first (a connection-level error on call 0) is read
        // before the close is reported.
        loop.execute { [self] in
            while !isClosed, readOnce() {}
            closeOnQueue()
        }
    }

    /// write(2) without SIGPIPE (send with MSG_NOSIGNAL): when the server has closed the
    /// connection the write fails with EPIPE instead of killing the process using the client.
    private static func send(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer) throws(Errno) -> Int {
        while true {
            let count = Glibc.send(fd.rawValue, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            let error = Errno.current
            if error != .interrupted { throw error }
        }
    }

    /// Reads once and delivers the whole frames; called by the loop.
    public func readable() { readOnce() }

    /// Reads once and delivers the whole frames; false when nothing was read (closed, or
    /// nothing waiting).
    @discardableResult
    private func readOnce() -> Bool {
        let count: Int
        do { count = try fd.read(into: buffer) } catch {
            if error != .wouldBlock { closeOnQueue() }
            return false
        }
        guard count > 0 else {
            closeOnQueue()
            return false
        }
        decoder.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        var frames: [(FrameHeader, [UInt8])] = []
        while true {
            guard let next = try? decoder.nextFrame() else { break }
            if case .frame(let header, let payload) = next { frames.append((header, payload)) }
        }
        if !frames.isEmpty { onFrames(frames) }
        return true
    }
}
