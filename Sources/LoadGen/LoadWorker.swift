import Client
import Dispatch
import Posix
import Reactor
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// One connection's share of the load: keeps `pipeline` calls in flight (closed loop) or
/// sends on a fixed schedule (open loop), timing each call from its intended send time.
///
/// Every mutable field is confined to the connection's event loop.
final class LoadWorker: @unchecked Sendable {  // safe because: state touched only on `connection.loop`
    private var connection: FrameConnection!  // safe because: set in init right after creation, before any frame
    private let plan: LoadPlan
    private let factory: RequestFactory
    private let clock: LoadClock
    private var random: SplitMix
    private var nextCallID: UInt32 = 1
    private var inFlight: [UInt32: (intended: UInt64, events: Int)] = [:]
    private var intervalNs: UInt64 = 0
    private var nextIntended: UInt64 = 0
    private var createdNumbers: [UInt64] = []
    private var callIndex = 0
    /// This connection's place among the run's (`index` at init): the high bits of its create serials.
    private let connectionIndex: Int
    /// Latencies (µs) of measured calls.
    private(set) var histogram = Histogram()
    /// Measured calls by status code (counted in an array: no string per call), and calls
    /// lost to a closed connection.
    private var statusCounts = [Int](repeating: 0, count: 256)
    private var otherStatuses: [UInt16: Int] = [:]
    /// Measured calls lost to a connection the server closed before the run ended.
    private var lostCalls = 0
    private var lostConnection = false
    /// The status of a connection-level error (a frame on call 0) before the server closed.
    private var closingStatus: UInt16?
    /// Open loop: calls due in the measured time that were never sent (the server fell behind).
    private(set) var unsent = 0
    /// When the last measured answer came (monotonic ns; 0: none).
    private(set) var lastAnswerAt: UInt64 = 0
    /// Events created by measured OK calls.
    private(set) var events = 0
    let completed = Atomic<Int>(0)
    private let budget: RequestBudget
    private(set) var finished = false
    private let done: DispatchGroup
    /// The connection's callbacks reach the worker through this box, emptied at `finish`: the
    /// connection holds the callbacks and the worker holds the connection, a cycle until then.
    /// Before the worker is in it, a connection-level error's status is kept there (a server
    /// refusing the connection answers at once, maybe before `init` is done).
    private let callbackTarget = Locked<(worker: LoadWorker?, earlyStatus: UInt16?)>((nil, nil))

    init(plan: LoadPlan, factory: RequestFactory, clock: LoadClock, index: Int, budget: RequestBudget, done: DispatchGroup, loop: EventLoop) throws(Errno) {
        self.plan = plan
        self.factory = factory
        self.clock = clock
        self.budget = budget
        self.done = done
        random = SplitMix(seed: plan.seed &+ UInt64(index) &* 7919)
        connectionIndex = index
        done.enter()  // before the connection exists: a close may arrive before start()
        let box = callbackTarget
        connection = try FrameConnection(
            to: plan.target, loop: loop,
            onFrames: { frames in
                box.withLock { state in
                    if state.worker == nil, let error = frames.first(where: { $0.0.callID == 0 }) { state.earlyStatus = error.0.code }
                    return state.worker
                }?.received(frames)
            },
            onClose: { box.withLock { $0.worker }?.connectionClosed() })
        let early = box.withLock { state in
            state.worker = self
            return state.earlyStatus
        }
        if let early { loop.execute { [self] in closingStatus = early } }  // before `start`'s work: the loop runs them in order
        if let rate = plan.rate {
            intervalNs = UInt64(1e9 / (rate / Double(plan.connections)))
        }
    }

    /// Starts sending; `done` leaves once this worker has finished.
    func start() {
        connection.loop.execute { [self] in
            guard !finished else { return }
            if connection.isClosed { return connectionClosed() }
            if intervalNs > 0 {
                nextIntended = clock.start
                // Each tick sends what is due and sleeps until the next intended send time.
                connection.loop.schedule(at: nextIntended) { [weak self] in self?.sendDue() }
            } else {
                var batch: [UInt8] = []
                for _ in 0..<plan.pipeline where mayStart(at: clock.now()) { appendCall(to: &batch, intended: clock.now()) }
                if !batch.isEmpty { connection.send(batch) }
                checkFinished(now: clock.now())  // nothing to send (`--duration 0`): done at once
            }
        }
    }

    /// Sends the calls whose intended time has come; returns when to run next (nil: done).
    private func sendDue() -> UInt64? {
        let now = clock.now()
        var batch: [UInt8] = []
        // Nothing is sent after the measured time, however far behind the schedule is.
        while nextIntended <= now && now < clock.measureEnd && inFlight.count < plan.pipeline && mayStart(at: nextIntended) {
            appendCall(to: &batch, intended: nextIntended)
            nextIntended += intervalNs
        }
        if !batch.isEmpty { connection.send(batch) }
        checkFinished(now: now)
        if finished { return nil }
        // Past the last send: wake at the end of the run (then every millisecond) to finish
        // once the answers are in, even if the last one came before the end.
        if nextIntended >= clock.measureEnd { return max(now + 1_000_000, clock.measureEnd) }
        // Due but held back by the pipeline limit: an answer sends it (`received`); look again
        // in a millisecond in case none comes.
        return nextIntended > now ? nextIntended : now + 1_000_000
    }

    /// True when a call intended at `time` may be sent (taking it from the request budget).
    private func mayStart(at time: UInt64) -> Bool {
        if time >= clock.measureEnd { return false }
        return clock.isMeasuring(time) ? budget.take() : true
    }

    private func appendCall(to batch: inout [UInt8], intended: UInt64) {
        let callID = nextCallID
        nextCallID = nextCallID == UInt32.max ? 1 : nextCallID + 1
        let (method, payload) = nextRequest()
        let creates = method == .createAchievement ? 1 : method == .createAchievementsBulk ? plan.bulkSize : 0
        inFlight[callID] = (intended, creates)
        FrameEncoder.append(&batch, kind: .request, code: method.rawValue, callID: callID, payload: payload)
    }

    /// The next call the mix draws. A show or a cancel names an event this connection created
    /// (a cancel takes it out: each is cancelled once); before there is one, it is a create.
    private func nextRequest() -> (MethodID, [UInt8]) {
        callIndex += 1
        let mix = plan.mix
        var draw = Int(random.next() % UInt64(mix.total))
        if draw < mix.bulk { return (.createAchievementsBulk, factory.bulk(callIndex)) }
        draw -= mix.bulk
        if draw < mix.list { return (.listCustomerEvents, factory.list(callIndex)) }
        draw -= mix.list
        if draw < mix.health { return (.health, factory.health()) }
        draw -= mix.health
        if draw < mix.show, !createdNumbers.isEmpty {
            return (.getCustomerEvent, factory.show(number: createdNumbers[Int(random.next() % UInt64(createdNumbers.count))]))
        }
        draw -= mix.show
        if draw >= 0, draw < mix.cancel, !createdNumbers.isEmpty {
            let index = Int(random.next() % UInt64(createdNumbers.count))
            let number = createdNumbers[index]
            createdNumbers.swapAt(index, createdNumbers.count - 1)
            createdNumbers.removeLast()
            return (.cancelCustomerEvent, factory.cancel(number: number))
        }
        // A serial unique in the run: the connection's index, then its call count.
        return (.createAchievement, factory.create(Int(random.next() % 4096), serial: UInt64(connectionIndex) << 40 | UInt64(callIndex)))
    }

    private func received(_ frames: [(FrameHeader, [UInt8])]) {
        let now = clock.now()
        var batch: [UInt8] = []
        for (header, payload) in frames {
            if header.callID == 0 { closingStatus = header.code }  // a connection-level error: the server closes next
            guard let (intended, creates) = inFlight.removeValue(forKey: header.callID) else { continue }
            if clock.isMeasuring(intended) {
                lastAnswerAt = now
                histogram.record((now &- intended) / 1000)
                if header.code < 256 { statusCounts[Int(header.code)] += 1 } else { otherStatuses[header.code, default: 0] += 1 }
                if header.code == 0 { events += creates }
                completed.wrappingAdd(1, ordering: .relaxed)
            }
            if header.code == 0, creates == 1, plan.mix.needsNumbers, let number = RequestFactory.number(inCreateAnswer: payload),
                createdNumbers.count < 100_000
            {
                createdNumbers.append(number)
            }
            if intervalNs == 0 && mayStart(at: now) { appendCall(to: &batch, intended: now) }
        }
        if !batch.isEmpty { connection.send(batch) }
        if intervalNs > 0 && nextIntended <= now { _ = sendDue() }  // room for calls held back
        checkFinished(now: now)
    }

    private func checkFinished(now: UInt64) {
        guard !finished, now >= clock.measureEnd || budget.exhausted else { return }
        if inFlight.isEmpty || now > clock.measureEnd + 10_000_000_000 { finish() }
    }

    private func connectionClosed() {
        // A close before the run ended (the server refused or dropped us) is an error, one per
        // measured call it lost, or one for the connection when it lost none.
        if !finished && clock.now() < clock.measureEnd && !budget.exhausted {
            lostConnection = true
            lostCalls = inFlight.values.filter { clock.isMeasuring($0.intended) }.count
        }
        inFlight.removeAll()
        finish()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        if intervalNs > 0, clock.timed, !lostConnection {  // a lost connection's schedule is not the server falling behind
            let from = max(nextIntended, clock.warmupEnd)
            if from < clock.measureEnd { unsent = Int((clock.measureEnd - from + intervalNs - 1) / intervalNs) }
        }
        connection.close()
        callbackTarget.withLock { $0.worker = nil }
        done.leave()
    }

    /// What a worker measured, read on its loop (after `done`).
    struct Results {
        var histogram: Histogram
        var statuses: [String: Int]
        var events: Int
        /// Measured calls lost to a closed connection (counted in `statuses`, not in the histogram).
        var lost: Int
        var unsent: Int
        var lastAnswerAt: UInt64
    }

    /// Reads the results on the worker's loop (after `done`).
    func results() -> Results {
        connection.loop.sync { [self] in
            Results(histogram: histogram, statuses: statuses, events: events, lost: lostCalls, unsent: unsent, lastAnswerAt: lastAnswerAt)
        }
    }

    /// Measured calls by status name (read on the loop).
    private var statuses: [String: Int] {
        var named: [String: Int] = [:]
        for (code, count) in statusCounts.enumerated() where count > 0 {
            named[StatusCode(rawValue: UInt16(code)).description, default: 0] += count
        }
        for (code, count) in otherStatuses { named[StatusCode(rawValue: code).description, default: 0] += count }
        if lostConnection {
            // Under the status the server closed with (on call 0), if it said one.
            let name = closingStatus.map { StatusCode(rawValue: $0).description } ?? "CONNECTION_CLOSED"
            named[name, default: 0] += max(1, lostCalls)
        }
        return named
    }
}

/// Shared count of measured calls still allowed (`--requests`); unlimited when nil.
final class RequestBudget: Sendable {
    private let remaining: Atomic<Int>
    private let limited: Bool

    init(_ requests: Int?) {
        remaining = Atomic(requests ?? 0)
        limited = requests != nil
    }

    /// Takes one call from the budget; false when none is left.
    func take() -> Bool {
        guard limited else { return true }
        return remaining.wrappingSubtract(1, ordering: .relaxed).newValue >= 0
    }

    var exhausted: Bool { limited && remaining.load(ordering: .relaxed) <= 0 }
}

/// The run's time line in monotonic nanoseconds: warmup, then measurement.
struct LoadClock: Sendable {
    let start: UInt64
    let warmupEnd: UInt64
    let measureEnd: UInt64
    /// True for a run of a duration (false: of a number of requests, with no end in time).
    let timed: Bool

    init(warmupSeconds: Double, durationSeconds: Double?) {
        let start = LoadClock.monotonic()
        let warmupEnd = start + UInt64(warmupSeconds * 1e9)
        self.start = start
        self.warmupEnd = warmupEnd
        measureEnd = durationSeconds.map { warmupEnd + UInt64($0 * 1e9) } ?? UInt64.max / 2
        timed = durationSeconds != nil
    }

    func now() -> UInt64 { Self.monotonic() }

    func isMeasuring(_ time: UInt64) -> Bool { time >= warmupEnd && time < measureEnd }

    static func monotonic() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
