import Dispatch
import Log
import Posix
import Reactor
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// One client connection: reads frames, hands calls to the dispatcher, writes answers.
///
/// Owned by its event loop's serial queue (`loop.queue`, shared with the loop's other
/// connections): every mutable field is touched only there (asserted with
/// `dispatchPrecondition`). Answers are buffered and written once per loop round
/// (`flushPending`); answers completed on other threads (after a group commit or a password
/// check) enter through `complete`, which the loop batches into one block. Reading pauses
/// while `--max-in-flight` calls are open or unsent output piles up, so a peer's memory is
/// bounded.
final class Connection: EventLoopChannel, @unchecked Sendable {  // safe because: mutable state confined to `loop.queue`
    let loop: EventLoop
    let fd: FileDescriptor
    /// Strong: the core's registry holds an open connection, and a closed one leaves it
    /// (`connectionClosed`), so the cycle ends with the connection. An `unowned` reference cost
    /// two atomic operations at each of the few `core.` reads of every call.
    let core: ServerCore
    var decoder: FrameDecoder
    /// The payload of the frame being handled; its storage serves every frame (copied on
    /// write should a call keep it).
    private var payload: [UInt8] = []
    var readPaused = false
    var writeArmed = false
    private var output: [UInt8] = []
    private var outputOffset = 0
    /// Calls answered later: call id → when the frame was read (monotonic ns), and whether cancelled.
    var inFlight: [UInt32: PendingCall] = [:]
    var lastActivity: Int64
    /// When the frame now partly read (or the oversized payload being skipped) began to
    /// arrive, monotonic ns; nil when no frame is partly read. A frame must arrive whole within
    /// the idle timeout, however its bytes trickle in.
    var partialFrameSince: Int64?
    var closing = false
    var peerClosed = false
    var draining = false
    /// Set when answers wait for this round's flush, and when calls completed since.
    private var flushQueued = false
    private var completedSinceFlush = false
    private let readBuffer: UnsafeMutableRawBufferPointer

    struct PendingCall {
        var receivedAt: Int64
        var cancelled = false
        var started = false
    }

    init(fd: FileDescriptor, core: ServerCore, loop: EventLoop) {
        self.fd = fd
        self.core = core
        self.loop = loop
        decoder = FrameDecoder(maxPayload: core.configuration.maxFrameBytes)
        readBuffer = .allocate(byteCount: 64 << 10, alignment: 16)
        lastActivity = monotonicNanoseconds()
    }

    deinit {
        readBuffer.deallocate()
    }

    /// The queue that owns this connection (its loop's).
    var queue: DispatchQueue { loop.queue }

    /// Starts reading; called once on `queue`, right after accept.
    func start() {
        do throws(Errno) { try loop.register(fd, self, .read) } catch {
            fd.close()
            core.connectionClosed(self)
        }
    }

    // MARK: reading

    func readable() {
        dispatchPrecondition(condition: .onQueue(queue))
        if readAvailable() {
            finishDrainIfIdle()
        } else if peerClosed && !closing {
            pauseReading()
            if inFlight.isEmpty { close() }
        }
    }

    /// Reads once without waiting and handles what came; false when nothing was there (or
    /// the peer closed, or the read failed).
    func readAvailable() -> Bool {
        let count: Int
        do {
            count = try fd.read(into: readBuffer)
        } catch {
            if error != .wouldBlock { close() }
            return false
        }
        if count == 0 {
            peerClosed = true
            return false
        }
        lastActivity = monotonicNanoseconds()
        decoder.append(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]))
        decodeFrames()
        flush()
        return true
    }

    private func decodeFrames() {
        while !closing && inFlight.count < core.configuration.maxInFlight {
            let next: (header: FrameHeader, oversized: Bool)?
            do {
                next = try decoder.nextHeader(payloadInto: &payload)
            } catch {
                connectionError(.invalidArgument, "BAD_FRAME", "Frame length below 12; the stream cannot continue.")
                return
            }
            guard let (header, oversized) = next else { break }
            partialFrameSince = nil
            if header.callID == 0 && header.kind != .cancel {  // its answer would read as a connection-level error: it is one
                return connectionError(.invalidArgument, "BAD_FRAME", "A frame on call_id 0, which is reserved for connection-level errors; the stream cannot continue.")
            }
            if oversized {
                answer(header.callID, receivedAt: monotonicNanoseconds(), .error(
                    .resourceExhausted, "FRAME_TOO_LARGE",
                    "Payload of \(header.payloadLength) bytes exceeds the limit of \(core.configuration.maxFrameBytes) bytes."))
            } else {
                handle(header, payload: payload)
            }
        }
        // A frame begun (or an oversized payload still being skipped) starts the clock once.
        if !decoder.isMidFrame { partialFrameSince = nil } else if partialFrameSince == nil { partialFrameSince = monotonicNanoseconds() }
        updateReadInterest()
    }

    private func handle(_ header: FrameHeader, payload: [UInt8]) {
        let receivedAt = monotonicNanoseconds()
        guard header.version == FrameHeader.currentVersion else {
            return answer(header.callID, receivedAt: receivedAt, .error(.invalidArgument, "BAD_FRAME", "Unsupported protocol version \(header.version); this server speaks 1."))
        }
        if header.kind == .cancel { return cancel(header.callID) }
        guard header.kind == .request else {
            return answer(header.callID, receivedAt: receivedAt, .error(.invalidArgument, "BAD_FRAME", "Frame kind \(header.kind.rawValue) is not a request (1) or a cancel (3)."))
        }
        let method = MethodID(rawValue: header.code)
        guard Dispatcher.knows(method) else {
            return answer(header.callID, receivedAt: receivedAt, .error(.unimplemented, "UNKNOWN_METHOD", "Method \(header.code) does not exist."))
        }
        guard inFlight[header.callID] == nil else {
            return answer(header.callID, receivedAt: receivedAt, .error(.invalidArgument, "DUPLICATE_CALL_ID", "Call id \(header.callID) is already in flight on this connection."))
        }
        let call = CallContext(connection: self, callID: header.callID, receivedAt: receivedAt, deadlineMs: header.extra)
        inFlight[header.callID] = PendingCall(receivedAt: receivedAt)
        core.stats.callsInFlight.wrappingAdd(1, ordering: .relaxed)
        if let reply = core.dispatcher.handle(method, payload: payload, call: call) {
            inFlight[header.callID] = nil
            core.stats.callsInFlight.wrappingSubtract(1, ordering: .relaxed)
            answer(header.callID, receivedAt: receivedAt, reply)
        }
    }

    private func cancel(_ callID: UInt32) {
        guard inFlight[callID] != nil, inFlight[callID]?.started == false else { return }
        inFlight[callID]?.cancelled = true
    }

    /// Called on `queue` by work that waited (crypt queue) just before it starts: false when
    /// the call was cancelled or its deadline passed, in which case its answer is already sent.
    func begin(_ call: CallContext) -> Bool {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let pending = inFlight[call.callID] else { return false }
        if pending.cancelled {
            finish(call, .error(.cancelled, "CANCELLED", "The call was cancelled before it started."))
            return false
        }
        if call.deadlinePassed {
            finish(call, .error(.deadlineExceeded, "DEADLINE_EXCEEDED", "The deadline passed before the call started."))
            return false
        }
        inFlight[call.callID]?.started = true
        return true
    }

    // MARK: answering

    /// Delivers the answer of a call that completed (any thread). On `queue` (a create
    /// whose batch this thread wrote) it is answered in place and written with the round's
    /// other answers; elsewhere it joins the loop's next batch.
    func complete(_ call: CallContext, _ reply: Reply) {
        if loop.inLoop { return completeInLoop(call, reply) }
        loop.execute { [self] in completeInLoop(call, reply) }
    }

    /// Delivers the answer of a call that completed, on the loop (only).
    func completeInLoop(_ call: CallContext, _ reply: Reply) {
        completeInLoop(call, reply.status, reply.writePayload)
    }

    /// Delivers the answer of a call that completed, on the loop (only), written by `writePayload`
    /// straight into the output (nothing kept).
    func completeInLoop(_ call: CallContext, _ status: StatusCode, _ writePayload: (inout [UInt8]) -> Void) {
        completeInLoop(call, status, ()) { _, output in writePayload(&output) }
    }

    /// `completeInLoop` with the payload's source lent to `write` as it is (a closure capturing
    /// it would copy it: for an event, a retain and a release of each of its objects).
    func completeInLoop<Source: ~Copyable>(_ call: CallContext, _ status: StatusCode, _ source: borrowing Source,
                                           _ write: (borrowing Source, inout [UInt8]) -> Void) {
        guard inFlight.removeValue(forKey: call.callID) != nil else { return }
        core.stats.callsInFlight.wrappingSubtract(1, ordering: .relaxed)
        completedSinceFlush = true
        answer(call.callID, receivedAt: call.receivedAt, status, source, write)
    }

    func finish(_ call: CallContext, _ reply: Reply) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard inFlight.removeValue(forKey: call.callID) != nil else { return }
        core.stats.callsInFlight.wrappingSubtract(1, ordering: .relaxed)
        answer(call.callID, receivedAt: call.receivedAt, reply)
        flush()
        afterCallCompleted()
    }

    /// End of a loop round: writes the buffered answers, then resumes reading (or closes,
    /// or drains) if calls completed.
    func flushPending() {
        flushQueued = false
        flush()
        if completedSinceFlush {
            completedSinceFlush = false
            afterCallCompleted()
        }
    }

    private func afterCallCompleted() {
        if closing { return }
        if peerClosed && inFlight.isEmpty { return close() }
        if decoder.bufferedBytes >= FrameHeader.size { decodeFrames() ; flush() }
        finishDrainIfIdle()
        updateReadInterest()
    }

    func answer(_ callID: UInt32, receivedAt: Int64, _ reply: Reply) {
        answer(callID, receivedAt: receivedAt, reply.status, reply.writePayload)
    }

    /// Appends a response frame whose payload `writePayload` writes (cut to an error past the frame limit).
    func answer(_ callID: UInt32, receivedAt: Int64, _ status: StatusCode, _ writePayload: (inout [UInt8]) -> Void) {
        answer(callID, receivedAt: receivedAt, status, ()) { _, output in writePayload(&output) }
    }

    /// `answer` with the payload written by `write` from `source`, lent as it is.
    func answer<Source: ~Copyable>(_ callID: UInt32, receivedAt: Int64, _ status: StatusCode, _ source: borrowing Source,
                                   _ write: (borrowing Source, inout [UInt8]) -> Void) {
        guard !closing else { return }
        let now = monotonicNanoseconds()
        lastActivity = now  // idle counts from the last traffic either way, not from the last request
        let elapsed = UInt64(max(0, now - receivedAt)) / 1000
        let start = FrameEncoder.begin(&output, kind: .response, code: status.rawValue, callID: callID,
                                       extra: UInt32(truncatingIfNeeded: min(elapsed, UInt64(UInt32.max))))
        write(source, &output)
        if output.count - start - FrameHeader.size > core.configuration.maxFrameBytes {
            output.removeSubrange(start...)
            _ = FrameEncoder.begin(&output, kind: .response, code: StatusCode.resourceExhausted.rawValue, callID: callID)
            Reply.answerTooLarge(limit: core.configuration.maxFrameBytes).writePayload(&output)
        }
        FrameEncoder.finish(&output, frameAt: start)
        if !flushQueued {
            flushQueued = true
            loop.needsFlush(self)
        }
    }

    func flush() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !closing else { return }
        while outputOffset < output.count {
            var written = 0
            var failure: Errno?
            output.withUnsafeBytes { raw in
                do throws(Errno) { written = try fd.write(UnsafeRawBufferPointer(rebasing: raw[outputOffset...])) } catch { failure = error }
            }
            if let error = failure {
                if error == .wouldBlock {
                    if !writeArmed { writeArmed = true; updateInterest() }
                    updateReadInterest()
                    return
                }
                return close()
            }
            outputOffset += written
        }
        output.removeAll(keepingCapacity: output.capacity <= 1 << 20)
        outputOffset = 0
        if writeArmed { writeArmed = false; updateInterest() }
    }

    func writable() {
        flush()
        if !writeArmed { updateReadInterest() }
    }

    private func updateReadInterest() {
        if closing || peerClosed { return }
        let backlog = output.count - outputOffset
        let shouldPause = inFlight.count >= core.configuration.maxInFlight || backlog > (4 << 20)
        if shouldPause { pauseReading() } else if readPaused {
            readPaused = false
            updateInterest()
        }
    }

    func pauseReading() {
        if !readPaused {
            readPaused = true
            updateInterest()
        }
    }

    /// Tells the loop what to watch for: reads unless paused, writes while output waits.
    private func updateInterest() {
        guard !closing else { return }
        var interest: Epoll.Interest = []
        if !readPaused { interest.insert(.read) }
        if writeArmed { interest.insert(.write) }
        loop.setInterest(fd, interest)
    }
}

/// Identifies one call to the dispatcher, so it can answer later from any thread.
struct CallContext: Sendable {
    let connection: Connection
    let callID: UInt32
    /// Monotonic ns when the whole frame was read.
    let receivedAt: Int64
    /// Header `extra`: deadline in ms from `receivedAt`, 0 = none.
    let deadlineMs: UInt32

    var deadlinePassed: Bool {
        deadlineMs != 0 && monotonicNanoseconds() - receivedAt >= Int64(deadlineMs) * 1_000_000
    }

    /// Answers the call from any thread.
    func complete(_ reply: Reply) { connection.complete(self, reply) }
}

/// Nanoseconds of the monotonic clock.
func monotonicNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}

/// Milliseconds since the Unix epoch (wall clock).
func wallClockMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}
