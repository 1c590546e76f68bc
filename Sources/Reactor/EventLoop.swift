import CLinux
import Dispatch
import Posix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A descriptor's owner as an event loop sees it. Every method is called on the loop's queue.
public protocol EventLoopChannel: AnyObject {
    /// The descriptor is readable, or the peer hung up, or it failed (a read tells which).
    func readable()
    /// The descriptor has room to write, or failed.
    func writable()
    /// The loop ends a round: write out what was buffered since `EventLoop.needsFlush`.
    func flushPending()
}

/// Many descriptors watched by one epoll instance and served by one long-running block on
/// a serial Dispatch queue, as Redis and NIO serve theirs.
///
/// The block waits in epoll_wait itself, so a ready socket is served by the thread that
/// wakes, with no hand-off between threads. Each round takes every ready event, calls the
/// channels, runs the tasks deferred to the round's end (such as one log write for the
/// round's creates), then flushes the channels that buffered output: many connections per
/// wakeup, one write per connection per round. Work from other threads enters through
/// `execute` (an eventfd wakes the wait); `queue.async` would never run, since the loop
/// never returns. The channel table, the flush list and every channel's state are confined
/// to `queue`.
public final class EventLoop: @unchecked Sendable {  // safe because: everything but `pending` only on `queue`; `pending` is Locked
    /// The serial queue the loop runs on; every channel of this loop is owned by it. Do not
    /// submit blocks to it: use `execute`.
    public let queue: DispatchQueue
    private let epoll: Epoll
    private let wakeup: FileDescriptor
    private var channels: [(any EventLoopChannel)?] = []
    private var dirty: [any EventLoopChannel] = []
    private var roundEnd: [() -> Void] = []
    private var timers: [Timer] = []
    private let pending = Locked<[@Sendable () -> Void]>([])
    private let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 256)
    private let spinNanoseconds: UInt64
    /// State a user of the loop keeps per loop (what a round gathered); touch it only on the loop.
    public var local: AnyObject?
    /// True when the last round wrote output for few enough ready descriptors to spin after it.
    private var spinAfterRound = false
    /// Rounds serving more ready descriptors than this do not spin: the loop is busy, and the
    /// next wait will find work soon anyway (spinning then only takes CPU from the other threads).
    /// Measured at 50 connections × 1: spinning after every round that wrote cost 5–10% of
    /// throughput; after lone rounds it keeps the 1 × 1 latency (41 µs, against 80 without).
    private static let spinMaxEvents = 1
    private static let key = DispatchSpecificKey<UInt>()

    private struct Timer {
        var due: UInt64
        /// Runs when due; returns when to run next (monotonic ns), nil to stop.
        var task: () -> UInt64?
    }

    /// Creates the loop and starts it on its queue (nothing is registered yet).
    /// - Parameter spinMicroseconds: after a round that wrote output for one ready descriptor, how long to poll for
    ///   the peers' next requests before sleeping (0: sleep at once). A peer answered
    ///   usually sends again within tens of microseconds; catching that without a sleep and
    ///   a wakeup saves both, at the price of at most this much CPU per such round.
    /// - Throws: `Errno` when no epoll instance or eventfd can be made (descriptor limit).
    public init(label: String, spinMicroseconds: Int = 0) throws(Errno) {
        spinNanoseconds = UInt64(spinMicroseconds) * 1000
        epoll = try Epoll()
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else {
            let error = Errno.current
            epoll.close()
            throw error
        }
        wakeup = FileDescriptor(rawValue: fd)
        try epoll.add(wakeup, .read)
        queue = DispatchQueue(label: label, qos: .userInitiated)
        queue.setSpecific(key: Self.key, value: identity)
        queue.async { [self] in run() }
    }

    private var identity: UInt { UInt(bitPattern: ObjectIdentifier(self)) }

    /// True when the caller runs on the loop (a channel may then be touched directly).
    public var inLoop: Bool { DispatchQueue.getSpecific(key: Self.key) == identity }

    /// Watches `fd` for `channel`, which the loop keeps until `deregister`. Call on the loop.
    /// - Throws: `Errno` from epoll_ctl (the descriptor cannot be watched).
    public func register(_ fd: FileDescriptor, _ channel: any EventLoopChannel, _ interest: Epoll.Interest) throws(Errno) {
        dispatchPrecondition(condition: .onQueue(queue))
        let slot = Int(fd.rawValue)
        if slot >= channels.count { channels.append(contentsOf: repeatElement(nil, count: slot + 1 - channels.count)) }
        try epoll.add(fd, interest)
        channels[slot] = channel
    }

    /// Changes what `fd` is watched for; callable from any thread.
    public func setInterest(_ fd: FileDescriptor, _ interest: Epoll.Interest) {
        try? epoll.modify(fd, interest)
    }

    /// Stops watching `fd` and drops the channel; call on the loop before closing `fd`.
    public func deregister(_ fd: FileDescriptor) {
        dispatchPrecondition(condition: .onQueue(queue))
        epoll.remove(fd)
        let slot = Int(fd.rawValue)
        if slot < channels.count { channels[slot] = nil }
    }

    /// Asks for `channel.flushPending()` at the end of this round. Call on the loop, once
    /// per round per channel (the channel keeps a flag).
    public func needsFlush(_ channel: any EventLoopChannel) {
        dirty.append(channel)
    }

    /// Runs `task` at the end of this round, before the flushes. Call on the loop.
    public func atRoundEnd(_ task: @escaping () -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        roundEnd.append(task)
    }

    /// Runs `task` on the loop at `time` (monotonic ns, `EventLoop.now()`), then again at the
    /// time it returns, until it returns nil. Call on the loop.
    public func schedule(at time: UInt64, _ task: @escaping () -> UInt64?) {
        dispatchPrecondition(condition: .onQueue(queue))
        timers.append(Timer(due: time, task: task))
    }

    /// Runs `work` on the loop soon, from any thread; works submitted close together run in
    /// one round.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        let wake = pending.withLock { list in
            list.append(work)
            return list.count == 1
        }
        if wake {
            var one: UInt64 = 1
            _ = Glibc.write(wakeup.rawValue, &one, 8)
        }
    }

    /// Runs `body` on the loop and returns its result; the caller waits. Never call it on
    /// the loop itself (it would wait forever).
    public func sync<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        precondition(!inLoop, "EventLoop.sync called on its own loop")
        let result = Locked<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        execute {
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }  // safe: set before the signal
    }

    /// The loop: wait for events (or the next timer), serve them, end the round. Never returns.
    private func run() {
        while true {
            var count = 0
            if spinAfterRound && spinNanoseconds > 0 {
                let spinUntil = Self.now() + spinNanoseconds
                repeat { count = epoll.wait(into: events, timeoutNanoseconds: 0) } while count == 0 && Self.now() < spinUntil
            }
            if count == 0 { count = epoll.wait(into: events, timeoutNanoseconds: nextTimeout()) }
            for index in 0..<count {
                let event = Epoll.event(events, index)
                if event.descriptor == wakeup.rawValue {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeup.rawValue, &value, 8)
                    continue
                }
                if event.isWritable { channel(event.descriptor)?.writable() }
                if event.isReadable { channel(event.descriptor)?.readable() }
            }
            runPending()
            if !timers.isEmpty { runDueTimers() }
            spinAfterRound = endRound() && count <= Self.spinMaxEvents
        }
    }

    private func runPending() {
        let works = pending.withLock { list -> [@Sendable () -> Void] in
            if list.isEmpty { return [] }
            defer { list.removeAll(keepingCapacity: true) }
            return list
        }
        for work in works { work() }
    }

    /// Nanoseconds until the next timer is due; nil (wait for events only) without timers.
    private func nextTimeout() -> Int64? {
        guard let due = timers.map(\.due).min() else { return nil }
        let now = Self.now()
        return due <= now ? 0 : Int64(due - now)
    }

    private func runDueTimers() {
        let now = Self.now()
        var index = 0
        while index < timers.count {
            guard timers[index].due <= now else {
                index += 1
                continue
            }
            if let next = timers[index].task() {
                timers[index].due = next
                index += 1
            } else {
                timers.remove(at: index)
            }
        }
    }

    private func channel(_ fd: Int32) -> (any EventLoopChannel)? {
        let slot = Int(fd)
        return slot >= 0 && slot < channels.count ? channels[slot] : nil
    }

    /// Ends a round: the deferred tasks, then the flushes (either may cause more of both).
    /// Returns whether any channel flushed output.
    private func endRound() -> Bool {
        var wrote = false
        while !roundEnd.isEmpty || !dirty.isEmpty {
            if !roundEnd.isEmpty {
                let tasks = roundEnd
                roundEnd.removeAll(keepingCapacity: true)
                for task in tasks { task() }
            }
            let round = dirty
            dirty.removeAll(keepingCapacity: true)
            wrote = wrote || !round.isEmpty
            for channel in round { channel.flushPending() }
        }
        return wrote
    }

    /// The monotonic clock in nanoseconds, as `schedule` takes it.
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

/// A fixed set of loops; connections are spread over them in turn.
public final class EventLoopGroup: Sendable {
    /// The loops, one per core unless asked otherwise.
    public let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)

    /// Creates `count` loops (at least one; default: the number of online cores), each
    /// polling `spinMicroseconds` after a round that wrote output (see `EventLoop.init`).
    /// - Throws: `Errno` when an epoll instance cannot be made.
    public init(count: Int? = nil, label: String, spinMicroseconds: Int = 0) throws(Errno) {
        let wanted = max(1, count ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        var loops: [EventLoop] = []
        for index in 0..<wanted { loops.append(try EventLoop(label: "\(label).\(index)", spinMicroseconds: spinMicroseconds)) }
        self.loops = loops
    }

    /// The loop for the next connection (round robin).
    public func next() -> EventLoop {
        loops[nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }
}
