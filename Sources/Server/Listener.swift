import Dispatch
import Log
import Posix
import Reactor
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// One listening socket: accepts on its own queue, refuses past `--max-connections`.
final class Listener: @unchecked Sendable {  // safe because: immutable after init; the source is used only via its thread-safe API
    let address: SocketAddress
    private let fd: FileDescriptor
    private let core: ServerCore
    private let queue = DispatchQueue(label: "listener")
    private let source: any DispatchSourceRead
    private let logger = Logger(label: "listener")

    init(fd: FileDescriptor, address: SocketAddress, core: ServerCore) {
        self.fd = fd
        self.address = address
        self.core = core
        source = DispatchSource.makeReadSource(fileDescriptor: fd.rawValue, queue: queue)
    }

    func start() {
        source.setEventHandler { [self] in acceptAll() }
        source.setCancelHandler { [fd] in fd.close() }
        source.resume()
    }

    /// Stops accepting, closes the socket and removes a Unix socket file. Connections the
    /// kernel already completed (still in the backlog) are accepted first: their requests
    /// count as received and are answered by the drain. The file goes at once (not in the
    /// asynchronous cancel handler), so it is gone even when the process exits right after.
    func stop() {
        queue.sync {
            acceptAll()
            source.cancel()
        }
        if case .unix(let path) = address { try? FileSystem.unlink(path) }
    }

    private func acceptAll() {
        while true {
            let accepted: FileDescriptor?
            do { accepted = try Socket.accept(fd) } catch {
                logger.warn("accept failed", [("error", error.description)])
                return
            }
            guard let connection = accepted else { return }
            if core.stats.connections.load(ordering: .relaxed) >= core.configuration.maxConnections {
                refuse(connection)
            } else {
                core.add(Connection(fd: connection, core: core, loop: core.loops.next()))
            }
        }
    }

    /// Answers RESOURCE_EXHAUSTED on call id 0 and closes (best effort, never blocks).
    private func refuse(_ fd: FileDescriptor) {
        var frame: [UInt8] = []
        let start = FrameEncoder.begin(&frame, kind: .response, code: StatusCode.resourceExhausted.rawValue, callID: 0)
        Reply.error(.resourceExhausted, "TOO_MANY_CONNECTIONS", "The server has \(core.configuration.maxConnections) connections open; retry later.")
            .writePayload(&frame)
        FrameEncoder.finish(&frame, frameAt: start)
        _ = frame.withUnsafeBytes { try? fd.write($0) }
        Socket.discardInput(fd)  // the peer's first calls, already here: no reset, so the frame reaches it
        fd.close()
    }

    /// Removes a socket file left by a dead server; an answering one is left alone (and
    /// bind then fails with EADDRINUSE), and so is anything that is not a socket (EEXIST: a
    /// mistyped `--listen` must not delete a file).
    static func removeStaleSocket(_ path: String) throws(Errno) {
        guard FileSystem.exists(path) else { return }
        guard FileSystem.isSocket(path) else { throw Errno(rawValue: EEXIST) }
        if let probe = try? Socket.connect(to: .unix(path: path)) {
            probe.close()
            throw Errno(rawValue: EADDRINUSE)
        }
        try FileSystem.unlink(path)
    }
}
