import CatalogFile
import Dispatch
import Domain
import Log
import Posix
import Server
import Store

#if canImport(Glibc)
import Glibc
#endif

signal(SIGPIPE, SIG_IGN)
// Signals are caught from the start: a SIGTERM during recovery waits for the drain set up
// below (exit 0; its default action would kill the process mid-replay), a second one exits
// 1 at once, and one right after `ready` drains.
let signals = SignalHandler(signals: [SIGTERM, SIGINT])
signals.onSecond { exit(1) }
let configuration = parseOptions()
LoggingSystem.bootstrap(StderrLogHandler(), level: LogLevel(name: configuration.logLevel) ?? .info)
let logger = Logger(label: "main")
logger.info("starting", describe(configuration))

let catalog: Catalog
if let path = configuration.catalogPath {
    do { catalog = try CatalogLoader.load(path: path) } catch {
        printError("achievement-server: \(error.description)")
        exit(1)
    }
} else {
    catalog = CatalogLoader.demo()
}

let store: EventStore
do {
    store = try EventStore(
        StoreConfiguration(
            directory: configuration.dataDir, fsync: configuration.fsync, repair: configuration.repair,
            compactionThreshold: configuration.compactionThreshold),
        coding: ProtobufRecordCoding(),
        onFatal: { message in
            Logger(label: "store").error("fatal storage error; exiting", [("error", message)])
            exit(1)
        })
} catch {
    printError("achievement-server: \(error)")
    exit(1)
}
logger.info("recovered", [("events", String(store.recovered.events)), ("ms", String(store.recovered.milliseconds))])

let server: AchievementServer
do { server = try AchievementServer(configuration: configuration, catalog: catalog.indexed(), store: store) } catch {
    printError("achievement-server: cannot start: \(error.description)")
    exit(1)
}
signals.onFirst {
    server.beginGracefulShutdown { drained in exit(drained ? 0 : 1) }
}
do {
    let addresses = try server.start()
    printLine(server.readyLine(addresses: addresses))
    logger.info("ready", [("listen", addresses.map(\.description).joined(separator: ","))])
} catch {
    printError("achievement-server: cannot listen: \(error.description)")
    exit(1)
}

dispatchMain()
