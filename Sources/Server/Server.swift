import Auth
import Dispatch
import Domain
import Log
import Posix
import Reactor
import Store
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// The achievement server: listeners, connections, dispatcher, store; `run()` plus
/// `beginGracefulShutdown()` (SPEC §1).
public final class AchievementServer: @unchecked Sendable {  // safe because: all stored properties are immutable or thread-safe; the timer is used through its thread-safe API
    /// The version Health reports.
    public static let version = "0.1.0"

    private let configuration: ServerConfiguration
    private let core: ServerCore
    private let store: EventStore
    private let stats = ServerStats()
    private let startedAt = monotonicNanoseconds()
    private let listeners = Locked<[Listener]>([])
    private let logger = Logger(label: "server")
    private let control = DispatchQueue(label: "server.control")
    private let idleTimer: any DispatchSourceTimer

    /// Builds the server over an opened store and an indexed catalog; nothing listens yet.
    /// - Throws: `Errno` when the event loops cannot be made (descriptor limit).
    public init(configuration: ServerConfiguration, catalog: CatalogIndex, store: EventStore) throws(Errno) {
        self.configuration = configuration
        self.store = store
        let hasher = SecretHasher()
        let stats = self.stats
        let startedAt = self.startedAt
        let dispatcher = Dispatcher(
            catalog: catalog, store: store, authenticator: Authenticator(catalog: catalog, hasher: hasher), hasher: hasher,
            maxPayloadBytes: configuration.maxFrameBytes, clock: { wallClockMilliseconds() },
            health: {
                HealthReport(
                    serving: stats.serving.load(ordering: .relaxed), version: AchievementServer.version,
                    uptimeMs: (monotonicNanoseconds() - startedAt) / 1_000_000, events: UInt64(store.count),
                    connections: UInt32(clamping: stats.connections.load(ordering: .relaxed)),
                    callsInFlight: UInt32(clamping: stats.callsInFlight.load(ordering: .relaxed)),
                    logBytes: store.logBytes, lastFsyncMicros: store.lastFsyncMicros)
            })
        core = ServerCore(configuration: configuration, dispatcher: dispatcher, stats: stats,
                          loops: try EventLoopGroup(label: "connections", spinMicroseconds: 20))
        idleTimer = DispatchSource.makeTimerSource(queue: control)
    }

    /// Binds every `--listen` address and starts accepting; returns the bound addresses.
    /// SIGTERM/SIGINT are held from here on (`SignalHandler.holdTerminationSignals`), so a
    /// signal sent as soon as the addresses are announced is not lost.
    /// - Throws: `ListenFailure` naming the address whose bind or listen failed (in use,
    ///   permission, a Unix socket path that names another kind of file).
    public func start() throws(ListenFailure) -> [SocketAddress] {
        SignalHandler.holdTerminationSignals()
        var bound: [SocketAddress] = []
        for address in configuration.listen {
            let listening: (FileDescriptor, SocketAddress)
            do throws(Errno) {
                if case .unix(let path) = address { try Listener.removeStaleSocket(path) }
                listening = try Socket.listen(on: address, mode: mode_t(configuration.socketMode))
            } catch {
                throw ListenFailure(address: address, errno: error)
            }
            let (fd, actual) = listening
            let listener = Listener(fd: fd, address: actual, core: core)
            listeners.withLock { $0.append(listener) }
            listener.start()
            bound.append(actual)
        }
        startIdleSweep()
        return bound
    }

    /// The `ready` line of SPEC §1.
    public func readyLine(addresses: [SocketAddress]) -> String {
        "ready listen=\(addresses.map(\.description).joined(separator: ",")) events=\(store.recovered.events) recovered_in=\(store.recovered.milliseconds)"
    }

    /// Drains: Health turns NOT_SERVING, listeners close, open connections answer what they
    /// received and close, the log is synced, socket files removed. `completion(true)` when
    /// everything finished within `--drain-timeout`, false when it timed out.
    public func beginGracefulShutdown(completion: @escaping @Sendable (Bool) -> Void) {
        stats.serving.store(false, ordering: .relaxed)
        logger.info("draining", [("connections", String(stats.connections.load(ordering: .relaxed))),
                                 ("calls_in_flight", String(stats.callsInFlight.load(ordering: .relaxed)))])
        for listener in listeners.withLock({ $0 }) { listener.stop() }
        idleTimer.cancel()
        core.forEachConnection { $0.beginDrain() }
        let deadline = monotonicNanoseconds() + configuration.drainTimeout * 1_000_000
        waitForDrain(deadline: deadline, completion: completion)
    }

    private func waitForDrain(deadline: Int64, completion: @escaping @Sendable (Bool) -> Void, round: Int = 0) {
        let drained = stats.connections.load(ordering: .relaxed) == 0
        let now = monotonicNanoseconds()
        let timedOut = now >= deadline
        guard drained || timedOut else {
            if round % 20 == 19 { core.forEachConnection { $0.abandonStalledFrame(now: now) } }  // every 100 ms
            control.asyncAfter(deadline: .now() + .milliseconds(5)) {
                self.waitForDrain(deadline: deadline, completion: completion, round: round + 1)
            }
            return
        }
        store.close()
        logger.info("stopped", [("drained", String(drained))])
        completion(drained)
    }

    private func startIdleSweep() {
        // With no idle timeout the sweep still runs, rarely: it is cheap, and stop cancels it.
        let period = configuration.idleTimeout == 0 ? 1000 : max(10, min(1000, Int(configuration.idleTimeout / 4)))
        let timer = idleTimer
        timer.schedule(deadline: .now() + .milliseconds(period), repeating: .milliseconds(period))
        timer.setEventHandler { [core] in
            let now = monotonicNanoseconds()
            core.forEachConnection { $0.checkIdle(now: now) }
        }
        timer.resume()
    }
}

/// A `--listen` address the server could not bind or listen on, and why.
public struct ListenFailure: Error, CustomStringConvertible {
    public let address: SocketAddress
    public let errno: Errno

    public var description: String {
        if case .unix = address, errno.rawValue == EEXIST {
            return "\(address): the path exists and is not a socket (not removed)"
        }
        return "\(address): \(errno.description)"
    }
}
