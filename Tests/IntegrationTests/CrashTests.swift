import Client
import Codec
import Domain
import Foundation
import Posix
import Testing
import TestSupport
import Wire

/// kill -9 under load, restart, check (SPEC §6: with `--fsync always` no acknowledged create
/// is lost). `CRASH_ITERATIONS` sets the rounds (default 3; `scripts/crash-test` runs 20).
@Suite(.serialized) struct CrashTests {
    static var iterations: Int { Int(ProcessInfo.processInfo.environment["CRASH_ITERATIONS"] ?? "").map { max(1, $0) } ?? 3 }
    /// Wall-clock budget: no new round starts after it.
    static var budget: TimeInterval { Double(ProcessInfo.processInfo.environment["CRASH_SECONDS"] ?? "") ?? 600 }

    @Test("kill -9 at a random moment under pipelined creates on 4 connections and bulk calls on a fifth: every acknowledged event survives, equal field by field; nothing twice")
    func killNineUnderLoad() throws {
        let dataDir = TemporaryDirectory.make(prefix: "crash")
        defer { TemporaryDirectory.remove(dataDir) }
        let started = Date()
        var acknowledged: [Acknowledged] = []
        var bulkAcknowledged: [BulkResult.Processed] = []
        var highestNumber: UInt64 = 0
        var round = 0
        while round < Self.iterations && Date().timeIntervalSince(started) < Self.budget {
            // Odd rounds compact often, so crashes also land around snapshots.
            let compaction = round % 2 == 1 ? ["--compaction-threshold", "64KiB"] : []
            let h = try Harness.start(["--fsync", "always"] + compaction, dataDir: dataDir)
            let survey = try Self.verify(h, acknowledged: acknowledged, bulk: bulkAcknowledged, round: round)
            let (fresh, freshBulk) = try Self.loadAndCrash(h, round: round)
            #expect(fresh.allSatisfy { (UInt64($0.event.number ?? "") ?? 0) > max(highestNumber, survey) }, "round \(round): a number was reused")
            #expect(freshBulk.allSatisfy { (UInt64($0.number) ?? 0) > max(highestNumber, survey) }, "round \(round): a number was reused by a bulk call")
            highestNumber = max(highestNumber, survey)
            acknowledged += fresh
            bulkAcknowledged += freshBulk
            round += 1
        }
        let h = try Harness.start(dataDir: dataDir)
        _ = try Self.verify(h, acknowledged: acknowledged, bulk: bulkAcknowledged, round: round)
        #expect(h.server.terminate() == 0)
        #expect(acknowledged.count > 0)
        print("crash test: \(round) rounds of kill -9, \(acknowledged.count) acknowledged creates and \(bulkAcknowledged.count) bulk-created events checked")
    }

    /// Runs pipelined creates on 4 connections and bulk calls of 50 items one after another on
    /// a fifth, kills the server after 50–500 ms, and returns what was acknowledged.
    static func loadAndCrash(_ h: Harness, round: Int) throws -> ([Acknowledged], [BulkResult.Processed]) {
        let token = h.token
        let bulkClient = try Harness.connect(h.server.address)
        let bulkProcessed = Locked<[BulkResult.Processed]>([])
        let stopBulk = Locked(false)
        let bulkDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var call = 0
            while !stopBulk.withLock({ $0 }) {
                let items = (0..<50).map { index in
                    var item = h.create {
                        $0.amount = Double(index % 40)
                        $0.externalSystem = "crash-bulk"
                        $0.externalSystemReferenceNumber = "r\(round)-b\(call)-\(index)"
                    }
                    item.token = nil
                    item.requestUniqueIdentifier = String(index)
                    return item
                }
                guard case .success(let answer) = bulkClient.bulk(CreateBulk(token: token, items: items)) else { break }
                #expect(answer.processed.count == 50 && answer.unprocessed.isEmpty, "round \(round): bulk items refused: \(answer.unprocessed)")
                bulkProcessed.withLock { $0 += answer.processed }
                call += 1
            }
            bulkDone.signal()
        }
        let streams = try (0..<4).map { connection in
            CreateStream(client: try Harness.connect(h.server.address), window: 16) { sequence in
                h.create {
                    $0.token = token
                    $0.amount = Double(sequence % 40)
                    $0.performedOn = Harness.baseTime + Int64(sequence % 97) * 1000
                    $0.externalSystem = connection % 2 == 0 ? "crash" : nil
                    $0.externalSystemReferenceNumber = "r\(round)-c\(connection)-\(sequence)"
                }
            }
        }
        for stream in streams { stream.start() }
        Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.5))
        h.server.crash()
        for stream in streams {
            stream.stop()
            #expect(stream.waitUntilDone(timeout: 30), "round \(round): calls still open after the crash")
        }
        stopBulk.withLock { $0 = true }
        #expect(bulkDone.wait(timeout: .now() + 30) == .success, "round \(round): a bulk call still open after the crash")
        bulkClient.close()
        return (streams.flatMap(\.acknowledged), bulkProcessed.withLock { $0 })
    }

    /// Checks the restarted server against everything acknowledged so far; returns the highest
    /// event number it holds.
    static func verify(_ h: Harness, acknowledged: [Acknowledged], bulk: [BulkResult.Processed], round: Int) throws -> UInt64 {
        let count = try h.eventCount()
        #expect(h.server.readyLine.contains(" events=\(count) "), "round \(round): \(h.server.readyLine) vs Health \(count)")
        let listed = try h.listAll(h.listQuery(pageSize: 1000) { $0.fieldsSet = ["id", "number", "external_system", "external_system_reference_number"] })
        #expect(listed.count == Int(count), "round \(round): listed \(listed.count) of \(count)")
        let ids = Set(listed.compactMap(\.id))
        let numbers = listed.compactMap { $0.number.flatMap(UInt64.init) }
        let references = Set(listed.map { "\($0.externalSystem ?? "")|\($0.externalSystemReferenceNumber ?? "")" })
        #expect(ids.count == listed.count && Set(numbers).count == listed.count, "round \(round): an id or number twice")
        #expect(references.count == listed.count, "round \(round): an external reference twice")
        let missing = acknowledged.filter { !ids.contains($0.event.id ?? "") }
        #expect(missing.isEmpty, "round \(round): \(missing.count) acknowledged events lost, first \(String(describing: missing.first?.command.externalSystemReferenceNumber))")
        let bulkMissing = bulk.filter { !ids.contains($0.id) }
        #expect(bulkMissing.isEmpty, "round \(round): \(bulkMissing.count) acknowledged bulk-created events lost")
        let byID = Dictionary(listed.compactMap { event in event.id.map { ($0, event.number) } }, uniquingKeysWith: { first, _ in first })
        #expect(bulk.allSatisfy { byID[$0.id] == $0.number }, "round \(round): a bulk-created event came back with another number")
        for ack in checkedFieldByField(acknowledged) {
            let stored = h.get(id: ack.event.id)
            #expect((try? stored.get()) == ack.event, "round \(round): \(ack.command.externalSystemReferenceNumber ?? "") differs: \(stored)")
        }
        return numbers.max() ?? 0
    }

    /// The last round's acknowledged events in full, plus up to 300 earlier ones at random.
    static func checkedFieldByField(_ all: [Acknowledged]) -> [Acknowledged] {
        guard let lastRound = all.last?.command.externalSystemReferenceNumber?.split(separator: "-").first else { return [] }
        let (last, earlier) = (all.filter { $0.command.externalSystemReferenceNumber?.hasPrefix(lastRound + "-") == true },
                               all.filter { $0.command.externalSystemReferenceNumber?.hasPrefix(lastRound + "-") != true })
        return last + earlier.shuffled().prefix(300)
    }
}
