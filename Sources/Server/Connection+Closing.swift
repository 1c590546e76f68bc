import Dispatch
import Posix
import Reactor
import Synchronization
import Wire

/// Closing, idle and drain: how a connection ends. Runs on the connection's queue.
extension Connection {

    /// Sends a connection-level error on call id 0, then closes.
    func connectionError(_ status: StatusCode, _ code: String, _ message: String) {
        dispatchPrecondition(condition: .onQueue(queue))
        answer(0, receivedAt: monotonicNanoseconds(), .error(status, code, message))
        flush()
        close()
    }

    /// Closes at once: pending answers are dropped. The descriptor is closed at the end of
    /// the loop's round, so nothing still on this call stack can touch a reused descriptor number.
    func close() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !closing else { return }
        closing = true
        Socket.shutdown(fd)
        loop.deregister(fd)
        core.stats.callsInFlight.wrappingSubtract(inFlight.count, ordering: .relaxed)
        inFlight.removeAll()
        loop.atRoundEnd { [self] in
            Socket.discardInput(fd)  // no reset: a connection-level error frame reaches the peer
            fd.close()
            core.connectionClosed(self)
        }
    }

    /// Closes the connection when silent longer than the idle timeout, or when a frame has
    /// been arriving for longer than that (called periodically).
    func checkIdle(now: Int64) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !closing, inFlight.isEmpty, isOverdue(now) else { return }
        // Bytes that arrived while the loop was busy elsewhere are traffic: read before judging.
        if !readPaused && !peerClosed && readAvailable() && !isOverdue(now) { return }
        guard !closing else { return }
        let what = decoder.isMidFrame ? "stalled mid-frame" : "idle"
        connectionError(.deadlineExceeded, "DEADLINE_EXCEEDED", "Connection \(what) longer than the idle timeout; closing.")
    }

    /// Silent longer than the idle timeout, or a frame arriving for longer than that.
    private func isOverdue(_ now: Int64) -> Bool {
        let timeout = core.configuration.idleTimeout * 1_000_000
        guard timeout > 0 else { return false }  // --idle-timeout 0: never
        return now - lastActivity > timeout || partialFrameSince.map { now - $0 > timeout } == true
    }

    /// While draining: a frame only partly received that has not grown for a second is a
    /// stalled peer, not a request on its way; the connection then closes (UNAVAILABLE on
    /// call 0) instead of holding the drain until `--drain-timeout` (called periodically).
    func abandonStalledFrame(now: Int64) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard draining, !closing, inFlight.isEmpty, decoder.isMidFrame, now - lastActivity > 1_000_000_000 else { return }
        if !readPaused && !peerClosed && readAvailable() { return }  // bytes came meanwhile: still on its way
        guard !closing, inFlight.isEmpty else { return }
        drainDone()
    }

    /// Starts draining: answers what was received, then closes with UNAVAILABLE on call 0.
    func beginDrain() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !closing else { return }
        draining = true
        finishDrainIfIdle()
    }

    /// While draining, once no call is open and no partial frame is buffered: requests the
    /// peer already sent count as received, so the socket is read first; with nothing left
    /// the connection closes with UNAVAILABLE on call 0.
    func finishDrainIfIdle() {
        while draining && !closing && inFlight.isEmpty && decoder.bufferedBytes == 0 {
            if peerClosed || !readAvailable() {
                if !closing { drainDone() }
                return
            }
        }
    }

    func drainDone() {
        connectionError(.unavailable, "SHUTTING_DOWN", "The server is shutting down.")
    }
}
