// The store alone, in process: durable creates per second with W concurrent writers (each
// keeps one create in flight and starts its next when the last is durable), LevelDB's
// `db_bench fillsync --threads` in spirit. No network, no request decoding: what the
// write-ahead log's group commit gives. Events are the demo catalog's, prepared once.
//
//   StoreBench --dir DIR [--writers 64] [--seconds 5] [--fsync always|never]
//
// Prints one JSON line: writers, creates, seconds, creates_per_second. DIR is made when
// missing; use a fresh one per run.
import CatalogFile
import Dispatch
import Domain
import Server
import Store
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

var directory = ""
var writers = 64
var seconds = 5.0
var fsync = FsyncPolicy.always
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    let value = arguments.next() ?? ""
    switch flag {
    case "--dir": directory = value
    case "--writers": writers = max(1, Int(value) ?? 64)
    case "--seconds": seconds = max(0.1, Double(value) ?? 5)
    case "--fsync": fsync = value == "never" ? .never : .always
    default:
        print("usage: StoreBench --dir DIR [--writers N] [--seconds S] [--fsync always|never]")
        exit(2)
    }
}
guard !directory.isEmpty else {
    print("StoreBench: --dir is required")
    exit(2)
}

// 512 prepared drafts from the demo catalog, as the load tool draws its requests.
let demo = CatalogLoader.demo()
let catalog = demo.indexed()
guard let userID = demo.users.first?.id, let user = catalog.userReference(id: userID) else {
    print("StoreBench: the demo catalog has no user")
    exit(1)
}
let context = CreateContext(now: 1_767_225_600_000, user: user, verifyPassCode: { _, _ in false })
var drafts: [CustomerEvent] = []
/// A fixed-seed generator: the same drafts every run.
struct Generator {
    var state: UInt64 = 1
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}
var random = Generator()
for i in 0..<512 {
    var command = CreateAchievement()
    command.accountsReceivableIdentifier = Identifier(number: ["AR-1001", "AR-1002"][Int(random.next() % 2)])
    command.classificationIdentifier = Identifier(name: ["Purchase", "Visit"][Int(random.next() % 2)])
    command.performedByUnitIdentifier = Identifier(alternativeCode: ["U-COUNTER", "U-GATE12"][Int(random.next() % 2)])
    command.performedOn = 1_767_225_600_000 + Int64(random.next() % 31_536_000_000)
    command.amount = Double(random.next() % 10_000) / 100
    command.description = "store bench event \(i)"
    switch AchievementRules.prepare(command, catalog: catalog, context: context) {
    case .success(let draft): drafts.append(draft)
    case .failure(let error):
        print("StoreBench: a demo draft does not prepare: \(error)")
        exit(1)
    }
}

let store: EventStore
do {
    store = try EventStore(StoreConfiguration(directory: directory, fsync: fsync), coding: ProtobufRecordCoding(),
                           onFatal: { print("StoreBench: storage failure: \($0)"); exit(1) })
} catch {
    print("StoreBench: \(error)")
    exit(1)
}

let created = Atomic<Int>(0)
let stopping = Atomic<Bool>(false)
let running = DispatchGroup()
let pool = drafts

/// One writer's next create; its completion hops to a queue to start the following one
/// (a completion runs on the thread that synced, which must not recurse into the log).
@Sendable func write(_ index: Int) {
    store.create(pool[index % pool.count]) { result in
        guard case .success = result else {
            print("StoreBench: a create failed: \(result)")
            exit(1)
        }
        created.add(1, ordering: .relaxed)
        if stopping.load(ordering: .relaxed) {
            running.leave()
            return
        }
        DispatchQueue.global().async { write(index &+ 1) }
    }
}

var start = timespec()
clock_gettime(CLOCK_MONOTONIC, &start)
for w in 0..<writers {
    running.enter()
    DispatchQueue.global().async { write(w * 7) }
}
usleep(UInt32(seconds * 1_000_000))
stopping.store(true, ordering: .relaxed)
var end = timespec()
clock_gettime(CLOCK_MONOTONIC, &end)
let counted = created.load(ordering: .relaxed)
running.wait()
store.close()
let elapsed = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
print("{\"writers\": \(writers), \"creates\": \(counted), \"seconds\": \(elapsed), \"creates_per_second\": \(Double(counted) / elapsed)}")
