import Client
import Domain
import Foundation
import Testing
import TestSupport

/// The `achievement-load` binary built next to the server.
private var loadToolPath: String {
    URL(fileURLWithPath: ServerProcess.binaryPath).deletingLastPathComponent().appendingPathComponent("achievement-load").path
}

/// Runs `achievement-load` with `arguments` against a fresh server (`--fsync never`) and
/// returns how it ended, its `--json` report, and the server's event count afterwards.
private func runLoad(_ arguments: [String]) throws -> (run: ProcessOutcome, report: [String: Any], events: UInt64) {
    let h = try Harness.start(["--fsync", "never"])
    let dir = TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(dir) }
    let run = try runProgram(loadToolPath, ["--target", h.server.address, "--json", dir + "/r.json"] + arguments, timeout: 60)
    guard let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json"))) as? [String: Any] else {
        throw TestFailure("the report is not a JSON object; stderr: \(run.stderr)")
    }
    return (run, report, try h.eventCount())
}

/// The real load tool against the real server, as `scripts/bench` drives it.
@Suite struct LoadToolTests {
    @Test("closed loop: --requests 300 on 2 connections x 4 in flight measures exactly 300 OK creates and exits 0")
    func closedLoop() throws {
        let (run, r, events) = try runLoad(["--connections", "2", "--pipeline", "4", "--requests", "300"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(r["requests"] as? Int == 300)
        #expect(r["events"] as? Int == 300)
        #expect((r["errors"] as? [String: Any])?.isEmpty == true)
        #expect(((r["latency_ms"] as? [String: Any])?["p50"] as? Double ?? 0) > 0)
        #expect(events == 300)
    }

    @Test("open loop: --rate 400 for 1 s sends about 400 calls at that rate")
    func openLoop() throws {
        let (run, r, _) = try runLoad(["--connections", "2", "--rate", "400", "--duration", "1s"])
        #expect(run.status == 0, "\(run.stderr)")
        let requests = r["requests"] as? Int ?? 0
        #expect((360...440).contains(requests), "\(requests) calls in 1 s at 400 calls/s")
        #expect((r["errors"] as? [String: Any])?.isEmpty == true)
    }

    @Test("--references: every create has its own reference; a rerun with the same seed retries each one (OK, no new event)")
    func references() throws {
        let h = try Harness.start(["--fsync", "never"])
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        for round in 0..<2 {
            let run = try runProgram(loadToolPath, ["--target", h.server.address, "--json", dir + "/r\(round).json",
                                                    "--requests", "200", "--pipeline", "4", "--references"], timeout: 60)
            #expect(run.status == 0, "round \(round): \(run.stderr)")
            #expect(try h.eventCount() == 200, "round \(round)")
        }
        // Seed 1, connection 0, its first and its 200th call.
        for serial in ["0000000000000001", "00000000000000c8"] {
            let reference = "load-0000000000000001-" + serial
            #expect(try h.client.get(h.lookup(CustomerEventIdentifier(externalSystemReferenceNumber: reference))).get()
                .externalSystemReferenceNumber == reference)
        }
    }

    @Test("every call refused (a bad token): exit 3, and the JSON report is well-formed with the errors by status")
    func allErrors() throws {
        let (run, r, events) = try runLoad(["--requests", "100", "--token", "bad"])
        #expect(run.status == 3)
        #expect(r["requests"] as? Int == 100)
        #expect(r["events"] as? Int == 0)
        #expect((r["errors"] as? [String: Any])?["UNAUTHENTICATED"] as? Int == 100)
        #expect(events == 0)
    }

    @Test("open loop past the server's capacity: nothing sent after the measured second, the throughput is what was answered, the rest reported unsent")
    func openLoopOverload() throws {
        let start = Date()
        let (run, r, events) = try runLoad(["--rate", "1000000", "--duration", "1s"])
        let elapsed = Date().timeIntervalSince(start)
        #expect(run.status == 0, "\(run.stderr)")
        let requests = r["requests"] as? Int ?? 0, unsent = r["unsent"] as? Int ?? 0
        let throughput = r["throughput_per_s"] as? Double ?? 0, seconds = r["seconds"] as? Double ?? 0
        #expect(requests > 0 && unsent > 0 && requests + unsent >= 990_000, "\(requests) answered, \(unsent) unsent")
        #expect(seconds >= 1 && seconds < 1.5 && abs(throughput - Double(requests) / seconds) < throughput * 0.002 + 1, "\(throughput) calls/s over \(seconds) s")
        #expect(UInt64(requests) == events)
        #expect(elapsed < 4, "the run took \(elapsed) s")
    }

    @Test("--duration 0: nothing measured, exit 0 at once, and a well-formed report")
    func zeroDuration() throws {
        let start = Date()
        let (run, r, events) = try runLoad(["--duration", "0"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Date().timeIntervalSince(start) < 4)
        #expect(r["requests"] as? Int == 0 && (r["latency_ms"] as? [String: Any])?["p50"] as? Double == 0)
        #expect(events == 0)
    }

    @Test("--mix: list, show, cancel and health are sent as drawn; each created event is cancelled at most once")
    func mix() throws {
        let (lists, _, listEvents) = try runLoad(["--mix", "list=100", "--requests", "50"])
        #expect(lists.status == 0, "\(lists.stderr)")
        #expect(listEvents == 0, "a list-only mix created events")
        let (run, r, events) = try runLoad(["--mix", "create=50,show=20,cancel=20,health=10", "--requests", "400", "--pipeline", "4"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect((r["errors"] as? [String: Any])?.isEmpty == true, "\(r)")
        #expect(events > 0 && events < 400)
    }

    @Test("a server that refuses connections: the lost calls count under the status it sent (RESOURCE_EXHAUSTED)")
    func refusedConnections() throws {
        let h = try Harness.start(["--max-connections", "2"])
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let run = try runProgram(loadToolPath, ["--target", h.server.address, "--json", dir + "/r.json", "--connections", "4", "--duration", "1s"], timeout: 60)
        #expect(run.status == 3)
        let r = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json"))) as? [String: Any]
        let errors = r?["errors"] as? [String: Any]
        // A reset can still beat the frame to the peer now and then (its calls then count as CONNECTION_CLOSED).
        #expect((errors?["RESOURCE_EXHAUSTED"] as? Int ?? 0) >= 1, "\(errors ?? [:])")
    }

    @Test("login fails: exit 1, and still a well-formed report with the failure under its status")
    func loginFails() throws {
        let (run, r, _) = try runLoad(["--password", "wrong"])
        #expect(run.status == 1)
        #expect(r["requests"] as? Int == 0)
        #expect((r["errors"] as? [String: Any])?["UNAUTHENTICATED"] as? Int == 1)
    }
}
