import Posix

/// What a load run does (the flags of `achievement-load`).
public struct LoadPlan: Sendable {
    /// Share of each method, in percent-like weights.
    public struct Mix: Sendable, Equatable {
        public var create: Int
        public var show: Int
        public var list: Int
        /// CreateAchievementsBulk calls of `LoadPlan.bulkSize` items each.
        public var bulk: Int
        /// CancelCustomerEvent of an event this connection created (each cancelled once).
        public var cancel: Int
        /// Health calls.
        public var health: Int

        public init(create: Int = 100, show: Int = 0, list: Int = 0, bulk: Int = 0, cancel: Int = 0, health: Int = 0) {
            self.create = create
            self.show = show
            self.list = list
            self.bulk = bulk
            self.cancel = cancel
            self.health = health
        }

        /// Parses `create=70,show=20,list=10` (also `bulk=N`, `cancel=N`, `health=N`).
        public init?(parsing text: String) {
            self.init(create: 0)
            for part in text.split(separator: ",") {
                let pair = part.split(separator: "=")
                guard pair.count == 2, let weight = Int(pair[1]), (0...1_000_000).contains(weight) else { return nil }
                switch pair[0] {
                case "create": create = weight
                case "show": show = weight
                case "list": list = weight
                case "bulk": bulk = weight
                case "cancel": cancel = weight
                case "health": health = weight
                default: return nil
                }
            }
            guard total > 0 else { return nil }
        }

        var total: Int { create + show + list + bulk + cancel + health }
        /// True when creates must report their numbers (shows and cancels name events by them).
        var needsNumbers: Bool { show > 0 || cancel > 0 }
    }

    public var target: SocketAddress = .tcp(host: "127.0.0.1", port: 7070)
    public var connections = 1
    public var pipeline = 1
    /// Event loop threads the connections are spread over (one keeps the tool's own CPU low:
    /// it shares the machine with the server, as redis-benchmark does).
    public var threads = 1
    /// Seconds of measured load (when `requests` is nil).
    public var durationSeconds: Double = 10
    /// Total measured calls, instead of a duration.
    public var requests: Int?
    /// Calls per second over all connections (open loop); nil: closed loop.
    public var rate: Double?
    public var warmupSeconds: Double = 0
    public var mix = Mix()
    /// Items per bulk call (`--bulk-size`).
    public var bulkSize = 1000
    public var seed: UInt64 = 1
    /// Each create carries its own `external_system_reference_number` (`--references`).
    public var references = false
    public var username = "demo"
    public var password = "demo-password"
    public var organisation = "DEMO"
    public var webAPIKey: String?
    public var token: String?

    public init() {}
}
