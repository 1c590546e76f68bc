import Posix
import Reactor
import Dispatch
import Synchronization

/// What every connection shares: settings, the dispatcher, counters and the registry.
final class ServerCore: Sendable {
    let configuration: ServerConfiguration
    let dispatcher: Dispatcher
    let stats: ServerStats
    /// The loops connections are spread over.
    let loops: EventLoopGroup
    private let registry = Locked<[ObjectIdentifier: Connection]>([:])

    init(configuration: ServerConfiguration, dispatcher: Dispatcher, stats: ServerStats, loops: EventLoopGroup) {
        self.loops = loops
        self.configuration = configuration
        self.dispatcher = dispatcher
        self.stats = stats
    }

    /// Registers and starts a new connection.
    func add(_ connection: Connection) {
        stats.connections.wrappingAdd(1, ordering: .relaxed)
        registry.withLock { $0[ObjectIdentifier(connection)] = connection }
        connection.loop.execute { connection.start() }
    }

    /// Called from a connection's cancel handler, after its descriptor is closed.
    func connectionClosed(_ connection: Connection) {
        registry.withLock { $0[ObjectIdentifier(connection)] = nil }
        stats.connections.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Forgets closed connections and runs `body` on each open one's queue.
    func forEachConnection(_ body: @escaping @Sendable (Connection) -> Void) {
        let all = registry.withLock { Array($0.values) }
        for connection in all { connection.loop.execute { body(connection) } }
    }
}

/// Counters Health reports.
final class ServerStats: Sendable {
    let callsInFlight = Atomic<Int>(0)
    let connections = Atomic<Int>(0)
    let serving = Atomic<Bool>(true)
}
