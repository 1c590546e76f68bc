import Client
import Codec
import Dispatch
import Domain
import Posix
import Reactor
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a load run.
public struct LoadReport: Sendable {
    /// Measured calls: answered, or lost to a closed connection.
    public var requests: Int
    /// Measured calls answered (whatever their status): what the throughput counts.
    public var answered: Int
    /// Open loop: calls due in the measured time that were never sent, the server having
    /// fallen behind `--rate` (not in `requests`, nor in the latencies).
    public var unsent: Int = 0
    /// Events created by measured calls that answered OK (a bulk call counts its items).
    public var events: Int
    public var seconds: Double
    public var histogram: Histogram
    public var statuses: [String: Int]
    /// CPU used by the load tool itself, in percent of one core.
    public var cpuPercent: Double

    /// The report of a run that could not start (login or connect failed): no call measured,
    /// the failure counted under its status.
    public static func notStarted(_ error: ClientError) -> LoadReport {
        LoadReport(requests: 0, answered: 0, events: 0, seconds: 0, histogram: Histogram(), statuses: [error.status.description: 1], cpuPercent: 0)
    }

    public var throughput: Double { seconds > 0 ? Double(answered) / seconds : 0 }
    /// Events created per second.
    public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    /// Calls not answered OK, by status name.
    public var errors: [String: Int] { statuses.filter { $0.key != "OK" } }
}

/// Runs a plan: logs in, opens the connections, drives them, and merges the results.
public enum LoadRun {
    /// Event loops by thread count, made once: a loop runs for the life of the process, so
    /// runs with the same `--threads` share them.
    private static let loopGroups = Locked<[Int: EventLoopGroup]>([:])

    private static func loops(threads: Int) throws(ClientError) -> EventLoopGroup {
        let made: Result<EventLoopGroup, Errno> = loopGroups.withLock { groups in
            if let group = groups[threads] { return .success(group) }
            do throws(Errno) {
                let group = try EventLoopGroup(count: threads, label: "load")
                groups[threads] = group
                return .success(group)
            } catch {
                return .failure(error)
            }
        }
        switch made {
        case .success(let group): return group
        case .failure(let error): throw ClientError(status: .unavailable, code: "LOOPS", message: "cannot create event loops: \(error)")
        }
    }

    /// Runs `plan`; `progress` is called about once a second with (seconds, calls so far).
    /// - Throws: `ClientError` when login or connecting fails.
    public static func run(_ plan: LoadPlan, progress: @escaping (Double, Int) -> Void) throws(ClientError) -> LoadReport {
        let token: String
        if let given = plan.token { token = given } else { token = try login(plan) }
        var factory = RequestFactory(token: token, seed: plan.seed, trackNumbers: plan.mix.needsNumbers, references: plan.references)
        if plan.mix.bulk > 0 { factory.prepareBulks(size: plan.bulkSize) }
        let clock = LoadClock(warmupSeconds: plan.warmupSeconds, durationSeconds: plan.requests == nil ? plan.durationSeconds : nil)
        let budget = RequestBudget(plan.requests)
        let done = DispatchGroup()
        var workers: [LoadWorker] = []
        let loops = try Self.loops(threads: plan.threads)
        for index in 0..<plan.connections {
            do { workers.append(try LoadWorker(plan: plan, factory: factory, clock: clock, index: index, budget: budget, done: done, loop: loops.next())) } catch {
                throw ClientError(status: .unavailable, code: "CONNECT", message: "cannot connect to \(plan.target): \(error)")
            }
        }
        let cpuBefore = cpuSeconds()
        for worker in workers { worker.start() }
        var lastPrint = clock.start
        while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            let now = clock.now()
            if now - lastPrint >= 1_000_000_000 {
                lastPrint = now
                progress(Double(now - clock.start) / 1e9, workers.reduce(0) { $0 + $1.completed.load(ordering: .relaxed) })
            }
        }
        let end = clock.now()
        var histogram = Histogram()
        var statuses: [String: Int] = [:]
        var events = 0, lost = 0, unsent = 0
        var lastAnswerAt: UInt64 = 0
        for worker in workers {
            let results = worker.results()
            histogram.merge(results.histogram)
            statuses.merge(results.statuses, uniquingKeysWith: +)
            events += results.events
            lost += results.lost
            unsent += results.unsent
            lastAnswerAt = max(lastAnswerAt, results.lastAnswerAt)
        }
        // From the warmup's end until the measured time ended or, when later, its last answer came.
        let measuredEnd = min(end, max(clock.measureEnd, lastAnswerAt))
        let seconds = Double(measuredEnd - min(clock.warmupEnd, measuredEnd)) / 1e9
        let cpu = cpuSeconds() - cpuBefore
        var report = LoadReport(requests: Int(histogram.count) + lost, answered: Int(histogram.count), events: events, seconds: seconds, histogram: histogram, statuses: statuses,
                                cpuPercent: Double(end - clock.start) > 0 ? cpu / (Double(end - clock.start) / 1e9) * 100 : 0)
        report.unsent = unsent
        return report
    }

    private static func login(_ plan: LoadPlan) throws(ClientError) -> String {
        let client: Client
        do { client = try Client(address: plan.target) } catch {
            throw ClientError(status: .unavailable, code: "CONNECT", message: "cannot connect to \(plan.target): \(error)")
        }
        defer { client.close() }
        let command = plan.webAPIKey.map { LoginCommand(webAPIKey: $0) }
            ?? LoginCommand(username: plan.username, password: plan.password, organisation: plan.organisation)
        switch client.login(command) {
        case .success(let answer): return answer.token
        case .failure(let error): throw error
        }
    }

    /// User + system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
