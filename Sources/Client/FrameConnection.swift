import Dispatch
import Posix
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// A client-side framed connection: writes frames from any thread, delivers every frame
/// read on its serial `queue`.
///
/// `onFrames` gets all frames of one read at once, so a caller can answer a batch with one
/// write (the load tool's pipelining). Writes are buffered and flushed without blocking.
public final class FrameConnection: @unchecked Sendable {  // safe because: `output` is Locked; reader state only on `queue`
    /// Receives the frames of one read; runs on `queue`.
    public typealias FramesHandler = @Sendable ([(FrameHeader, [UInt8])]) -> Void

    /// The queue frames are delivered on.
    public let queue: DispatchQueue
    private let fd: FileDescriptor
    private var decoder: FrameDecoder
    private let readSource: any DispatchSourceRead
    private let writeSource: any DispatchSourceWrite
    private let output = Locked<(bytes: [UInt8], offset: Int, armed: Bool, closed: Bool)>(([], 0, false, false))
    private let onFrames: FramesHandler
    private let onClose: @Sendable () -> Void
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)

    /// Connects (blocking) to `address` and starts reading.
    /// - Throws: `Errno` when the connection cannot be made.
    public init(to address: SocketAddress, maxPayload: Int = 64 << 20, queue: DispatchQueue? = nil,
                onFrames: @escaping FramesHandler, onClose: @escaping @Sendable () -> Void = {}) throws(Errno) {
        fd = try Socket.connect(to: address)
        try fd.setNonBlocking()
        self.queue = queue ?? DispatchQueue(label: "client.connection")
        decoder = FrameDecoder(maxPayload: maxPayload)
        self.onFrames = onFrames
        self.onClose = onClose
        readSource = DispatchSource.makeReadSource(fileDescriptor: fd.rawValue, queue: self.queue)
        writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd.rawValue, queue: self.queue)
        readSource.setEventHandler { [unowned self] in readable() }
        writeSource.setEventHandler { [unowned self] in flush() }
        readSource.setCancelHandler { [fd, buffer, onClose] in
            fd.close()
            buffer.deallocate()
            onClose()
        }
        readSource.resume()
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

    /// Closes the connection; `onClose` runs once, on `queue`.
    public func close() {
        queue.async { [self] in closeOnQueue() }
    }

    private func closeOnQueue() {
        let wasArmed = output.withLock { state -> Bool? in
            guard !state.closed else { return nil }
            state.closed = true
            return state.armed
        }
        guard let wasArmed else { return }
        if !wasArmed { writeSource.resume() }
        writeSource.cancel()
        readSource.cancel()
    }

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
                        if !state.armed { state.armed = true; writeSource.resume() }
                    } else {
                        failed = true
                    }
                    return
                }
                state.offset += written
            }
            state.bytes.removeAll(keepingCapacity: state.bytes.capacity < 1 << 20)
            state.offset = 0
            if state.armed { state.armed = false; writeSource.suspend() }
        }
        if failed { close() }
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

    private func readable() {
        let count: Int
        do { count = try fd.read(into: buffer) } catch {
            if error != .wouldBlock { closeOnQueue() }
            return
        }
        guard count > 0 else { return closeOnQueue() }
        decoder.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        var frames: [(FrameHeader, [UInt8])] = []
        while true {
            guard let next = try? decoder.nextFrame() else { break }
            if case .frame(let header, let payload) = next { frames.append((header, payload)) }
        }
        if !frames.isEmpty { onFrames(frames) }
    }
}
