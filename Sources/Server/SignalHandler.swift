import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM/SIGINT through Dispatch signal sources on one queue: the first signal runs
/// `onFirst` (drain), any later one `onSecond` (exit at once).
public final class SignalHandler: @unchecked Sendable {  // safe because: handlers set before signals arrive; `count` is atomic
    private let queue = DispatchQueue(label: "signals")
    private var sources: [any DispatchSourceSignal] = []
    private let count = Atomic<Int>(0)
    private var first: @Sendable () -> Void = {}
    private var second: @Sendable () -> Void = {}

    /// Starts catching `signals` (their default action is disabled).
    public init(signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                if count.wrappingAdd(1, ordering: .relaxed).newValue == 1 { first() } else { second() }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// Sets what the first signal does.
    public func onFirst(_ body: @escaping @Sendable () -> Void) { queue.sync { first = body } }
    /// Sets what every later signal does.
    public func onSecond(_ body: @escaping @Sendable () -> Void) { queue.sync { second = body } }
}
