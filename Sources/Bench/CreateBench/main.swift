// The server's work per create, on one thread, without sockets: decode the request, check the
// token, build the draft, store rounds of 16 (`--fsync never`, as at 50 x 16), encode each
// answer. What a create costs in CPU, repeatably: no client shares the cores, no thread
// waits for another, so changes of a few per cent show (the client/server runs of
// `scripts/compare` swing by more than that here).
//
//   CreateBench --dir DIR [--creates 100000] [--passes 5]
//
// Requests are the load tool's (`achievement-load`'s default creates: demo catalog, a login
// token, random performed_on over a year), encoded once. Each pass stores `--creates` more
// events into the same store (compaction off). Prints one JSON line: the nanoseconds per
// create of each pass, their median and minimum, and the answers' bytes (a check that each
// create was answered). DIR is made when missing; use a fresh one per run.
import CatalogFile
import Codec
import Domain
import Auth
import LoadGen
import Server
import Store

#if canImport(Glibc)
import Glibc
#endif

var directory = ""
var creates = 100_000
var passes = 5
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    let value = arguments.next() ?? ""
    switch flag {
    case "--dir": directory = value
    case "--creates": creates = max(16, Int(value) ?? creates)
    case "--passes": passes = max(1, Int(value) ?? passes)
    default:
        print("usage: CreateBench --dir DIR [--creates N] [--passes P]")
        exit(2)
    }
}
guard !directory.isEmpty else {
    print("CreateBench: --dir is required")
    exit(2)
}

@Sendable func fail(_ message: String) -> Never {
    print("CreateBench: \(message)")
    exit(1)
}

let demo = CatalogLoader.demo()
let catalog = demo.indexed()
guard let userID = demo.users.first?.id, let user = catalog.userReference(id: userID) else { fail("the demo catalog has no user") }
let now: Milliseconds = 1_767_225_600_000
let tokens = TokenStore()
let token = tokens.issue(user: user, unitID: nil, now: now).token

// The load tool's 512 encoded creates (its default seed).
let requests = RequestFactory(token: token, seed: 1, trackNumbers: false)

let store: EventStore
do {
    store = try EventStore(StoreConfiguration(directory: directory, fsync: .never, compactionThreshold: 1 << 50),
                           coding: ProtobufRecordCoding(), onFatal: { fail("storage failure: \($0)") })
} catch {
    fail("\(error)")
}

/// Where the answers go: one buffer, reused (a connection's output, flushed after each).
final class AnswerSink: @unchecked Sendable {  // safe because: used on this thread only (`--fsync never` answers inline)
    var output: [UInt8] = []
    let referred = ReferredAnswerCache()
    var answers = 0
    var bytes = 0
}
let sink = AnswerSink()

let roundSize = 16
let referredSets = ReferredSetCache(intern: { store.adopt($0) })  // the loop's, as the server's
var drafts: [CustomerEvent] = []
var masks: [FieldMask] = []
var timings: [Double] = []
var next = 0
for _ in 0..<passes {
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    var done = 0
    while done < creates {
        let count = min(roundSize, creates - done)
        for _ in 0..<count {
            do {
                let payload = requests.create(next, serial: 0)
                next += 1
                let command = try payload.withUnsafeBytes { try CreateAchievement(payload: $0) }
                let session = try tokens.check(command.token, now: now)
                masks.append(try FieldMask(fieldsSet: command.fieldsSet))
                let context = CreateContext(now: now, user: session.user, verifyPassCode: { _, _ in false })
                let draft = try AchievementRules.draft(command, catalog: catalog, context: context, referredSets: referredSets)
                guard draft.answerFits(in: 1 << 20, fields: masks[masks.count - 1]) else { fail("an answer over 1 MiB") }
                drafts.append(draft)
            } catch {
                fail("a create failed: \(error)")
            }
        }
        let roundMasks = masks
        let batch = drafts  // handed over, as the server's round does: the store's array is then its only one
        drafts = []
        drafts.reserveCapacity(roundSize)
        store.create(batch: batch) { outcome in
            for index in 0..<outcome.count {
                outcome.answer(index) { event in
                    sink.output.removeAll(keepingCapacity: true)
                    event.encode(fields: roundMasks[index], appendingTo: &sink.output, referred: sink.referred)
                    sink.bytes += sink.output.count
                    sink.answers += 1
                } failed: { error in
                    fail("a create was refused: \(error)")
                }
            }
        }
        masks.removeAll(keepingCapacity: true)
        done += count
    }
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &end)
    let nanoseconds = Double(end.tv_sec - start.tv_sec) * 1e9 + Double(end.tv_nsec - start.tv_nsec)
    timings.append(nanoseconds / Double(creates))
}
guard sink.answers == creates * passes else { fail("\(sink.answers) answers for \(creates * passes) creates") }
store.close()
let sorted = timings.map { Int($0.rounded()) }.sorted()
let each = timings.map { String(Int($0.rounded())) }.joined(separator: ", ")
print("{\"creates_per_pass\": \(creates), \"ns_per_create\": [\(each)], \"median_ns\": \(sorted[sorted.count / 2]), "
    + "\"min_ns\": \(sorted[0]), \"answer_bytes\": \(sink.bytes)}")
