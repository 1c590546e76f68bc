import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM/SIGINT through Dispatch signal sources on one queue: the first signal runs
/// `onFirst` (drain), any later one `onSecond` (exit at once).
///
/// No signal may be lost or kill the process once the `ready` line is out, so the signals
/// are blocked on the calling thread (`holdTerminationSignals`, also called by
/// `AchievementServer.start`) before anything listens, and `init` returns only once the
/// sources are registered: a signal sent early stays pending until a source takes it, and
/// one taken before `onFirst`/`onSecond` is set runs its action when it is set.
/// (On Linux, Dispatch installs its own handler and reads a signalfd when a source is
/// registered, and its threads block every signal; `dispatchMain()` later unblocks the main
/// thread. SIG_IGN would discard a pending signal there, so it is set on Darwin only.)
public final class SignalHandler: @unchecked Sendable {  // safe because: every mutable field is touched only on `queue`
    private let queue = DispatchQueue(label: "signals")
    private var sources: [any DispatchSourceSignal] = []
    private var received = 0
    private var ranFirst = false
    private var ranSecond = 0
    private var first: (@Sendable () -> Void)?
    private var second: (@Sendable () -> Void)?

    /// Starts catching `signals` (their default action is disabled).
    public init(signals: [Int32]) {
        Self.hold(signals)
        let registered = DispatchGroup()
        for number in signals {
            #if canImport(Darwin)
            signal(number, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                received += 1
                runDue()
            }
            registered.enter()
            source.setRegistrationHandler { registered.leave() }
            source.resume()
            sources.append(source)
        }
        _ = registered.wait(timeout: .now() + .seconds(5))
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// Blocks SIGTERM and SIGINT on the calling thread (and the threads it starts later), so
    /// one arriving before a `SignalHandler` exists waits instead of killing the process.
    public static func holdTerminationSignals() {
        hold([SIGTERM, SIGINT])
    }

    private static func hold(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Runs the actions the signals received so far call for and have not run yet (on `queue`).
    private func runDue() {
        if received >= 1, !ranFirst, let first {
            ranFirst = true
            first()
        }
        while received - 1 > ranSecond, let second {  // also before `first` is set: a second signal during the start exits at once
            ranSecond += 1
            second()
        }
    }

    /// Sets what the first signal does (run at once if it already came).
    public func onFirst(_ body: @escaping @Sendable () -> Void) {
        queue.sync {
            first = body
            runDue()
        }
    }

    /// Sets what every later signal does.
    public func onSecond(_ body: @escaping @Sendable () -> Void) {
        queue.sync {
            second = body
            runDue()
        }
    }
}
